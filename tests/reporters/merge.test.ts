import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { buildMatrix, mergeReports } from '../../reporters/merge.ts';
import { matrixCommand } from '../../reporters/cli-commands.ts';
import type { MatrixReport } from '../../reporters/report-types.ts';
import { schemaErrors, schemaValidator, verifyReport } from '../../reporters/verify.ts';
import { sealReport, writeReportFiles } from '../../reporters/write.ts';
import { requirements } from '../../specs/requirements.ts';
import { ENV_TOKEN, readTree, scratchDir } from './helpers.ts';
import { expectNoSecrets } from './secrets.ts';
import { sampleReportBody } from './sample-report.ts';
import { assertWellFormedXml } from './xml-check.ts';

beforeEach(() => {
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
  // As in a real run, the token the suite was given is known to the process that writes reports.
  vi.stubEnv('OSI_TOKEN', ENV_TOKEN);
});

function twoReports(): { pathA: string; pathB: string } {
  const a = writeReportFiles(sampleReportBody({ runInfo: { target: 'https://cloud-a.example/v2.1', microversion: '2.1' } }), scratchDir('merge-a'));
  const b = writeReportFiles(
    sampleReportBody({
      statuses: { 'CI-001': 'fail', 'CI-012': 'fail', 'CI-090': 'not-exercisable' },
      runInfo: { target: 'https://cloud-b.example/v2.1', microversion: '2.70', seed: 99 },
    }),
    scratchDir('merge-b'),
  );
  return { pathA: a.files.json, pathB: b.files.json };
}

describe('mergeReports', () => {
  test('two reports give two columns, requirements down, in all four formats', () => {
    const { pathA, pathB } = twoReports();
    const out = scratchDir('matrix');
    const { matrix, files } = mergeReports([pathA, pathB], out);

    expect(matrix.columns.map((c) => c.label)).toEqual(['https://cloud-a.example/v2.1 @ 2.1', 'https://cloud-b.example/v2.1 @ 2.70']);
    expect(matrix.columns.map((c) => c.verdict.value)).toEqual(['conformant', 'nonconformant']);
    expect(matrix.rows.map((r) => r.id)).toEqual(requirements.map((r) => r.id));
    const row = (id: string) => matrix.rows.find((r) => r.id === id)?.cells.map((c) => c.status);
    expect(row('CI-001')).toEqual(['pass', 'fail']);
    expect(row('CI-090')).toEqual(['pass', 'not-exercisable']);
    expect(matrix.rows.every((r) => r.cells.length === 2)).toBe(true);

    const json = JSON.parse(readFileSync(files.json, 'utf8')) as MatrixReport;
    const validate = schemaValidator('matrix');
    expect(validate(json), schemaErrors(validate)).toBe(true);
    expect(verifyReport(files.json)).toMatchObject({ ok: true, kind: 'matrix' });

    const markdown = readFileSync(files.markdown, 'utf8');
    expect(markdown).toMatch(/\| ID \| Level \| Title \| 1: .*cloud-a.* \| 2: .*cloud-b.* \|/);
    expect(markdown).toContain('| CI-001 | MUST | Attaching a free port by port\\_id succeeds with 200 | ✅ pass | ❌ fail |');

    const xml = readFileSync(files.junit, 'utf8');
    assertWellFormedXml(xml);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);

    const html = readFileSync(files.html, 'utf8');
    expect(html.match(/<tr class="req"/g)).toHaveLength(requirements.length);
    expectNoSecrets(readTree(out));
  });

  test('accepts report objects as well as paths', () => {
    const { pathA } = twoReports();
    const report = sealReport(sampleReportBody({ runInfo: { microversion: '2.49' } }));
    const { matrix } = mergeReports([pathA, report], scratchDir('matrix-objects'));
    expect(matrix.columns).toHaveLength(2);
  });

  test('refuses a tampered input, naming it', () => {
    const { pathA, pathB } = twoReports();
    const json = JSON.parse(readFileSync(pathB, 'utf8')) as { verdict: { value: string } };
    json.verdict.value = 'conformant';
    writeFileSync(pathB, JSON.stringify(json));
    expect(() => mergeReports([pathA, pathB], scratchDir('matrix-bad'))).toThrow(/merge-b.*digest mismatch/);
    const errors: string[] = [];
    expect(matrixCommand([pathA, pathB], scratchDir('matrix-cmd'), { out: () => {}, err: (l) => errors.push(l) })).toBe(1);
    expect(errors[0]).toContain('tampered');
  });

  test('columns with the same target and microversion get told apart; unknown requirements show as absent', () => {
    const a = sealReport(sampleReportBody());
    const b = sealReport({ ...sampleReportBody(), requirements: sampleReportBody().requirements.slice(1) });
    const matrix = buildMatrix([b, a]);
    expect(new Set(matrix.columns.map((c) => c.label)).size).toBe(2);
    expect(matrix.rows.at(-1)?.id).toBe(requirements[0]?.id);
    expect(matrix.rows.at(-1)?.cells.map((c) => c.status)).toEqual(['absent', 'pass']);
  });
});

describe('matrix from the CLI command', () => {
  test('matrixCommand writes the files and says where', () => {
    const { pathA, pathB } = twoReports();
    const out = join(scratchDir('matrix-cli'), 'deep', 'dir');
    const lines: string[] = [];
    expect(matrixCommand([pathA, pathB], out, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(0);
    expect(lines[0]).toContain('matrix of 2 reports written');
    expect([...readTree(out).keys()].map((p) => p.slice(out.length + 1)).sort()).toEqual(['matrix-junit.xml', 'matrix.html', 'matrix.json', 'matrix.md']);
  });
});
