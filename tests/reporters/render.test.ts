/** The renderings treat every string from the run as hostile, and stay valid whatever it holds. */
import { describe, expect, test } from 'vitest';
import { renderReportHtml } from '../../reporters/render-html.ts';
import { renderReportJunit } from '../../reporters/render-junit.ts';
import { codeBlock, escapeInline, renderReportMarkdown } from '../../reporters/render-md.ts';
import { sealReport } from '../../reporters/write.ts';
import { sampleReportBody } from './sample-report.ts';
import { assertWellFormedXml } from './xml-check.ts';

const report = sealReport(
  sampleReportBody({ statuses: { 'CI-001': 'fail', 'CI-012': 'fail', 'CI-058': 'fail', 'CI-013': 'not-exercisable', 'CI-020': 'error' } }),
);

describe('Markdown', () => {
  test('inline text cannot make markup, split a table cell, or mention anyone', () => {
    expect(escapeInline('<img src=x> | *b* @team [l](u)\nnext')).toBe('&lt;img src=x&gt; \\| \\*b\\* &#64;team \\[l\\](u) next');
  });

  test('a code block fence is longer than any backtick run inside', () => {
    const block = codeBlock('a ``` b ```` c');
    expect(block.startsWith('`````\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });

  test('the report has the header facts, the matrix, failures with evidence, warnings and observations', () => {
    const md = renderReportMarkdown(report);
    expect(md).toContain('## ❌ Conformance: nonconformant');
    expect(md).toMatch(/\| Target \| `https:\/\/\*\*\*@compute\.example\.test\/v2\.1\?token=\*\*\*` \(given URL\) \|/);
    expect(md).toContain('| Seed / runs | seed 4242 · 25 runs |');
    expect(md).toContain(`sha256 \`${'a'.repeat(64)}\``);
    for (const heading of ['### Matrix', '### Failures (MUST)', '### Could not judge (error)', '### Warnings (failed SHOULD)', '### Observations (MAY)']) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('<details><summary>Evidence 1 (fail, status\\_code\\_conformance): POST');
    // The hostile body stays inside its fence: the fence around it is longer than its ```.
    expect(md).toMatch(/````http\n> POST [^\n]+\n[\s\S]*<script>window\.__pwned[\s\S]*\n````\n/);
    expect(md.split('\n').filter((l) => l.startsWith('| CI-')).length).toBe(report.requirements.length);
  });

  test('without evidence (for the step summary size limit) it says so', () => {
    const md = renderReportMarkdown(report, { withEvidence: false });
    expect(md).not.toContain('<details><summary>Evidence');
    expect(md).toContain('Evidence left out');
  });
});

describe('HTML', () => {
  const html = renderReportHtml(report);

  test('only its own script runs, and the page can load nothing', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;window.__pwned');
    expect(html).not.toContain('<img');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[^"]+script-src &#39;sha256-/);
    // Inside a real tag (escaped text holds no raw `<`), no attribute may load anything.
    expect(html).not.toMatch(/<[^>]*\s(?:src|srcset|action|formaction|poster|data)=/);
    for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^#/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  test('one row per requirement with level and status for the filters', () => {
    expect(html.match(/<tr class="req"/g)).toHaveLength(report.requirements.length);
    expect(html).toContain('data-level="MUST" data-status="fail" data-failed="true"');
  });
});

describe('JUnit', () => {
  const xml = renderReportJunit(report);

  test('well-formed, with forbidden characters replaced', () => {
    assertWellFormedXml(xml);
    expect(xml).not.toMatch(/[\u0001\u0008]/);
  });

  test('fail → failure, error → error, not-exercisable → skipped, MAY never fails, verdict case last', () => {
    const testcase = (id: string) =>
      new RegExp(`<testcase classname="(MUST|SHOULD|MAY)" name="${id} [^"]*"[^>]*?(/>|>[\\s\\S]*?</testcase>)`).exec(xml)?.[0] ?? '';
    expect(testcase('CI-001')).toMatch(/^<testcase classname="MUST"[\s\S]*<failure message="Expected 200, got 400/);
    expect(testcase('CI-012')).toMatch(/<failure /);
    expect(testcase('CI-020')).toMatch(/<error message=/);
    expect(testcase('CI-013')).toMatch(/<skipped message="not exercisable: /);
    expect(testcase('CI-058')).not.toMatch(/<failure|<error/);
    expect(testcase('CI-058')).toMatch(/<system-out>observation \(fail\)/);
    expect(testcase('CI-002')).toMatch(/\/>$/);
    expect(xml).toMatch(/<testcase classname="run" name="verdict" time="0">\s*<failure message="nonconformant: /);
  });
});
