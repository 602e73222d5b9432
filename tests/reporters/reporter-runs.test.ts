/**
 * End to end: the synthetic fixture suites run in a real vitest (child process) with the conformance
 * reporter, and the written files are checked: statuses, verdict rules, digest, schema, redaction,
 * JUnit well-formedness, the Markdown summary and the terminal output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { schemaErrors, schemaValidator, verifyReport } from '../../reporters/verify.ts';
import { readTree, requirement, runScenario, scratchDir, statusById, type ScenarioRun } from './helpers.ts';
import { expectNoSecrets } from './secrets.ts';
import { assertWellFormedXml } from './xml-check.ts';

const FILES = ['conformance.json', 'conformance.md', 'conformance.html', 'junit.xml'];

let nonconformant: ScenarioRun;
let warnings: ScenarioRun;
let crash: ScenarioRun;
let setupError: ScenarioRun;
let noRunInfo: ScenarioRun;
let brokenRun: ScenarioRun;
let summaryFile: string;

beforeAll(async () => {
  summaryFile = join(scratchDir('summary'), 'step-summary.md');
  [nonconformant, warnings, crash, setupError, noRunInfo, brokenRun] = await Promise.all([
    runScenario('nonconformant', { GITHUB_STEP_SUMMARY: summaryFile }),
    runScenario('conformant-warnings'),
    runScenario('crash'),
    runScenario('setup-error'),
    runScenario('conformant-warnings', { REPORTER_FIXTURE_NO_RUN_INFO: '1' }),
    runScenario('broken-run'),
  ]);
}, 180_000);

const runs = (): [string, ScenarioRun][] => [
  ['nonconformant', nonconformant],
  ['conformant-warnings', warnings],
  ['crash', crash],
  ['setup-error', setupError],
  ['no RunInfo', noRunInfo],
  ['broken-run', brokenRun],
];

describe('every run writes every file, valid and verifiable, without a secret', () => {
  test('all four files exist for every scenario, including the ones that errored', () => {
    for (const [name, run] of runs()) {
      const files = [...readTree(run.reportDir).keys()].map((p) => p.slice(run.reportDir.length + 1)).sort();
      expect(files, name).toEqual([...FILES].sort());
    }
  });

  test('conformance.json matches its JSON Schema and its digest verifies', () => {
    const validate = schemaValidator('conformance-report');
    for (const [name, run] of runs()) {
      expect(validate(run.report), `${name}: ${schemaErrors(validate)}`).toBe(true);
      expect(verifyReport(join(run.reportDir, 'conformance.json')), name).toMatchObject({ ok: true });
    }
  });

  test('no planted token or password in any written file, nor in the terminal output', () => {
    for (const [, run] of runs()) {
      expectNoSecrets(readTree(run.reportDir));
      expectNoSecrets(
        new Map([
          ['stdout', run.stdout],
          ['stderr', run.stderr],
        ]),
      );
    }
    expectNoSecrets(new Map([[summaryFile, readFileSync(summaryFile, 'utf8')]]));
  });

  test('junit.xml is well-formed XML with one testcase per requirement plus the verdict', () => {
    for (const [name, run] of runs()) {
      const xml = readFileSync(join(run.reportDir, 'junit.xml'), 'utf8');
      expect(() => assertWellFormedXml(xml), name).not.toThrow();
      expect(xml.match(/<testcase /g)?.length, name).toBe(run.report.requirements.length + 1);
    }
  });
});

describe('nonconformant scenario (a MUST fails)', () => {
  test('statuses per requirement follow the outcomes', () => {
    const statuses = statusById(nonconformant.report);
    expect(statuses).toMatchObject({
      'CI-001': 'fail', // MUST fail
      'CI-012': 'fail', // SHOULD fail: warning
      'CI-013': 'not-exercisable',
      'CI-014': 'error', // the test threw before recording an outcome
      'CI-020': 'error', // recorded error outcome
      'CI-050': 'error', // its beforeAll failed, so vitest skipped it
      'CI-058': 'fail', // MAY: observation only
      'CI-090': 'not-exercisable',
      'CI-091': 'not-run', // the test passed without recording anything
      'CI-002': 'pass',
    });
    const special = new Set(['CI-001', 'CI-012', 'CI-013', 'CI-014', 'CI-020', 'CI-050', 'CI-058', 'CI-090', 'CI-091']);
    for (const [id, status] of Object.entries(statuses)) if (!special.has(id)) expect(status, id).toBe('pass');
  });

  test('the verdict is nonconformant, naming the failed MUST, with the SHOULD as a warning', () => {
    expect(nonconformant.report.verdict).toMatchObject({ value: 'nonconformant', warnings: ['CI-012'], problems: [] });
    expect(nonconformant.report.verdict.reason).toContain('CI-001');
  });

  test('a crash and a failed hook carry the error message into the requirement', () => {
    expect(requirement(nonconformant.report, 'CI-014').messages[0]?.text).toMatch(/crashed before judging.*harness crashed/);
    expect(requirement(nonconformant.report, 'CI-050').messages[0]?.text).toMatch(/hook of "with a fresh server" failed: could not create the server/);
    expect(requirement(nonconformant.report, 'CI-091').messages[0]?.text).toContain('without recording an outcome');
  });

  test('evidence is kept (capped at 3, with the count of the rest), with tests, replay and run facts', () => {
    const r = requirement(nonconformant.report, 'CI-001');
    expect(r.evidence).toHaveLength(3);
    expect(r.evidenceOmitted).toBe(1);
    expect(r.evidence[0]?.curl).toContain("-H 'X-Auth-Token: $OS_TOKEN'");
    expect(r.tests).toEqual([{ file: 'suite/success.fixture-test.ts', name: 'CI-001 Attaching a free port by port_id succeeds with 200', state: 'failed' }]);
    expect(r.messages[0]?.replay).toEqual({ seed: 4242, path: '3:1:0' });
    expect(nonconformant.report).toMatchObject({
      formatVersion: 1,
      kind: 'conformance-report',
      microversion: '2.1',
      seed: 4242,
      runs: 25,
      startedAt: '2026-01-02T03:04:05.000Z',
      suite: { name: 'os-interface-conformance' },
      document: { name: 'POST_create_interface.rst', sha256: 'a'.repeat(64) },
      target: { url: 'https://***@compute.example.test/v2.1?token=***', kind: 'given URL' },
      source: { mode: 'run', testFiles: 3 },
    });
  });

  test('the terminal shows a line per file, the matrix failures first, the counts and the verdict line', () => {
    const out = nonconformant.stdout;
    expect(out).toMatch(/✗ suite\/success\.fixture-test\.ts \(21 tests/);
    const matrixLines = out.split('\n').filter((l) => /^ {2}CI-\d{3} /.test(l));
    expect(matrixLines[0]).toMatch(/CI-001 +MUST +✗ fail/);
    expect(matrixLines.at(-1)).toMatch(/✓ pass/);
    expect(out).toMatch(/^ {2}MUST +\d+: 1 fail, 3 error/m);
    expect(out).toMatch(/^verdict: nonconformant, \d+ of \d+ MUSTs judged$/m);
  });

  test('the Markdown is appended to $GITHUB_STEP_SUMMARY', () => {
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('Conformance: nonconformant');
    expect(summary).toContain('| CI-001 | MUST | ❌ fail |');
  });
});

describe('other verdicts', () => {
  test('only SHOULDs fail: conformant, with the warnings listed and the not-exercisable MUST named', () => {
    expect(warnings.report.verdict).toMatchObject({ value: 'conformant', warnings: ['CI-012', 'CI-016'], problems: [] });
    expect(warnings.report.verdict.reason).toContain('not exercisable on this target: CI-013');
    expect(warnings.stdout).toMatch(/^verdict: conformant, \d+ of \d+ MUSTs judged$/m);
  });

  test('a crashed test: its requirement is error, and so is the verdict', () => {
    expect(requirement(crash.report, 'CI-014').status).toBe('error');
    expect(crash.report.verdict.value).toBe('error');
    expect(crash.report.verdict.reason).toContain('CI-014');
  });

  test('setupError in RunInfo: verdict error, the setup error first among the problems', () => {
    expect(setupError.report.verdict.value).toBe('error');
    expect(setupError.report.verdict.problems[0]).toMatch(/^setup error: target unreachable/);
    expect(setupError.report.counts.MUST.error).toBe(setupError.report.counts.MUST.total);
  });

  test('a test file that cannot load and an unhandled rejection: verdict error, both named', () => {
    expect(brokenRun.report.verdict.value).toBe('error');
    const problems = brokenRun.report.verdict.problems.join('\n');
    expect(problems).toMatch(/suite\/success\.fixture-test\.ts could not be loaded: cannot load the success scenarios/);
    expect(problems).toMatch(/unhandled error: stray rejection/);
    expect(requirement(brokenRun.report, 'CI-001').status).toBe('not-run');
    expect(brokenRun.report.source.testFiles).toBe(3);
  });

  test('no RunInfo anywhere: verdict error, saying where it was looked for', () => {
    expect(noRunInfo.report.verdict.value).toBe('error');
    expect(noRunInfo.report.verdict.problems.join(' ')).toContain('no RunInfo');
    expect(noRunInfo.report.target.url).toBe('(unknown)');
  });
});
