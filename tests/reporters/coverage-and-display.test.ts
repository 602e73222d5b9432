/**
 * What a person reads at the end of a run (issue 12): the verdict with its coverage (item 6),
 * --require-all, --only/--skip in the verdict, failure reasons and uncut titles in the terminal
 * (item 11), MAYs shown as observed and neutral marks for files that judged nothing cleanly (item 5).
 */
import { describe, expect, test } from 'vitest';
import { renderReportHtml } from '../../reporters/render-html.ts';
import { renderReportMarkdown } from '../../reporters/render-md.ts';
import { progressLine, summaryLines } from '../../reporters/render-terminal.ts';
import { sealReport } from '../../reporters/write.ts';
import { ledger } from '../../specs/index.ts';
import { sampleReportBody } from './sample-report.ts';

const MUSTS = ledger.requirements.filter((r) => r.level === 'MUST').length;
const plain = { color: false, width: null } as const;

describe('coverage in the verdict (item 6)', () => {
  test('conformant with MUSTs not exercisable says how many were judged, everywhere the verdict is shown', () => {
    const report = sealReport(sampleReportBody({ statuses: { 'CI-053': 'not-exercisable', 'CI-054': 'not-exercisable', 'CI-059': 'not-exercisable' } }));
    expect(report.verdict.value).toBe('conformant');
    expect(report.verdict.coverage).toEqual({ judged: MUSTS - 3, total: MUSTS });
    const headline = `conformant, ${MUSTS - 3} of ${MUSTS} MUSTs judged`;
    expect(summaryLines(report, 'out', plain)).toContain(`verdict: ${headline}`);
    expect(renderReportMarkdown(report)).toContain(`**Verdict: ${headline}**`);
    expect(renderReportHtml(report)).toContain(`${MUSTS - 3} of ${MUSTS} MUSTs judged`);
    expect(report.verdict.reason).toContain(`${MUSTS - 3} of ${MUSTS} MUST requirements judged`);
  });

  test('--require-all: a MUST not judged is an error, and so is the verdict', () => {
    const report = sealReport(sampleReportBody({ statuses: { 'CI-053': 'not-exercisable' }, runInfo: { requireAll: true } }));
    const ci053 = report.requirements.find((r) => r.id === 'CI-053');
    expect(ci053?.status).toBe('error');
    expect(ci053?.messages[0]?.text).toMatch(/^--require-all: this MUST was not judged/);
    expect(report.verdict.value).toBe('error');
    expect(report.selection?.requireAll).toBe(true);
    // A SHOULD not exercisable stays what it is: certification asks for the MUSTs.
    const should = sealReport(sampleReportBody({ statuses: { 'CI-012': 'not-exercisable' }, runInfo: { requireAll: true } }));
    expect(should.verdict.value).toBe('conformant');
  });
});

describe('--only / --skip in the report (item 11)', () => {
  test('only the selected requirements are judged, and the verdict says what was selected', () => {
    const report = sealReport(sampleReportBody({ runInfo: { selection: { only: ['CI-020', 'ci-021'], skip: [] } } }));
    expect(report.requirements.map((r) => r.id)).toEqual(['CI-020', 'CI-021']);
    expect(report.verdict.coverage).toEqual({ judged: 2, total: 2 });
    expect(report.verdict.reason).toContain(`selected: --only CI-020, CI-021 (2 of ${ledger.requirements.length} requirements)`);
    expect(report.selection).toMatchObject({ only: ['CI-020', 'ci-021'], selected: 2, total: ledger.requirements.length });
  });

  test('--skip by level leaves the level out', () => {
    const report = sealReport(sampleReportBody({ runInfo: { selection: { only: [], skip: ['MAY', 'SHOULD'] } } }));
    expect(report.requirements.every((r) => r.level === 'MUST')).toBe(true);
    expect(report.verdict.reason).toContain('--skip MAY, SHOULD');
  });
});

describe('the terminal summary (items 5 and 11)', () => {
  const report = sealReport(sampleReportBody({ statuses: { 'CI-020': 'fail', 'CI-001': 'error' } }));

  test('a failure shows its reason, the first line of its message', () => {
    const lines = summaryLines(report, 'out', plain);
    const at = lines.findIndex((l) => l.includes('CI-020') && l.includes('fail'));
    const reason = report.requirements.find((r) => r.id === 'CI-020')?.messages[0]?.text.split('\n')[0] ?? '';
    expect(reason).not.toBe('');
    expect(lines[at + 1]).toContain(`↳ CI-020: ${reason}`);
    expect(lines.some((l) => l.includes('↳ CI-001: '))).toBe(true);
  });

  test('titles are cut on a narrow terminal only, never when stdout is not one', () => {
    const longest = [...ledger.requirements].sort((a, b) => b.title.length - a.title.length)[0];
    if (!longest) throw new Error('empty ledger');
    expect(summaryLines(report, 'out', plain).some((l) => l.includes(longest.title))).toBe(true);
    expect(summaryLines(report, 'out', { color: false, width: 60 }).some((l) => l.includes(longest.title))).toBe(false);
  });

  test('a MAY reads "observed" with what the target answered, never pass or fail; the JSON keeps the recorded status', () => {
    for (const status of ['pass', 'fail'] as const) {
      const observed = sealReport(sampleReportBody({ statuses: { 'CI-058': status } }));
      const lines = summaryLines(observed, 'out', plain);
      const row = lines.find((l) => l.startsWith('  CI-058'));
      expect(row).toMatch(/◦ observed/);
      expect(row).not.toMatch(/pass|fail/);
      expect(lines[lines.indexOf(row ?? '') + 1]).toMatch(/↳ CI-058: answered \d{3} to POST/);
      expect(renderReportMarkdown(observed)).toMatch(/\| CI-058 \| MAY \| 👁 observed \|/);
      expect(observed.requirements.find((r) => r.id === 'CI-058')?.status).toBe(status);
    }
  });

  test('a test file with only errors, or cut short, gets a neutral mark, not a green tick', () => {
    const base = { file: 'suites/conformance/x.test.ts', tests: 3, failedTests: 0, skippedTests: 0, durationMs: 5 };
    const none = { pass: 0, fail: 0, error: 0, 'not-exercisable': 0 };
    expect(progressLine({ ...base, outcomes: { ...none, pass: 4 } }, plain)).toMatch(/^ ✓ /);
    expect(progressLine({ ...base, outcomes: { ...none, error: 4 } }, plain)).toMatch(/^ ○ /);
    expect(progressLine({ ...base, skippedTests: 2, outcomes: { ...none, pass: 1 } }, plain)).toMatch(/^ ○ /);
    expect(progressLine({ ...base, outcomes: none }, plain)).toMatch(/^ ○ /);
    expect(progressLine({ ...base, failedTests: 1, outcomes: { ...none, fail: 1 } }, plain)).toMatch(/^ ✗ /);
  });
});
