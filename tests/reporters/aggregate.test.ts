/**
 * The aggregation and verdict rules, on plain data with a small ledger, so each rule is visible.
 * The same rules run end to end through vitest in reporter-runs.test.ts.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import { describe, expect, test } from 'vitest';
import type { Level, Requirement } from '../../specs/ledger-types.ts';
import type { OutcomeStatus, RequirementOutcome, RunInfo } from '../../contract/outcome-types.ts';
import { buildReportBody, type CollectedRun, type CollectedTest } from '../../reporters/aggregate.ts';

function req(id: RequirementId, level: Level): Requirement {
  return {
    id,
    level,
    title: `title of ${id}`,
    clause: `clause of ${id}`,
    interpretations: [],
    scenario: '',
    expect: { statuses: [], observe: [] },
    checks: [],
  };
}

const LEDGER = [req('CI-001', 'MUST'), req('CI-002', 'MUST'), req('CI-012', 'SHOULD'), req('CI-058', 'MAY')];

const RUN_INFO: RunInfo = {
  suiteVersion: '0.1.0',
  target: 'http://127.0.0.1:1/v2.1',
  targetKind: 'embedded fake cloud',
  microversion: '2.1',
  seed: 7,
  runs: 10,
  startedAt: '2026-01-01T00:00:00.000Z',
  document: { name: 'doc.rst', sha256: 'b'.repeat(64) },
};

function outcome(requirement: RequirementId, status: OutcomeStatus, message = `${status} of ${requirement}`): RequirementOutcome {
  return { requirement, status, check: 'status_code_conformance', message, evidence: [] };
}

function testOf(name: string, declared: string[], outcomes: RequirementOutcome[], extra: Partial<CollectedTest> = {}): CollectedTest {
  const failed = outcomes.some((o) => o.status === 'fail' || o.status === 'error');
  return { file: 'a.test.ts', name, state: failed ? 'failed' : 'passed', declared, outcomes, crash: null, skipNote: null, ...extra };
}

function run(tests: CollectedTest[], problems: string[] = []): CollectedRun {
  return { mode: 'run', testFiles: 1, tests, problems, notes: [], durationMs: 5 };
}

const allPass = (): CollectedTest[] => LEDGER.map((r) => testOf(r.id, [r.id], [outcome(r.id, 'pass')]));

function build(tests: CollectedTest[], problems: string[] = [], info: RunInfo | null = RUN_INFO) {
  return buildReportBody({ requirements: LEDGER, interpretations: [] }, info, run(tests, problems), { name: 'suite', version: '1.2.3' });
}

describe('status of a requirement', () => {
  test.each<[OutcomeStatus[], string]>([
    [['pass', 'fail', 'error'], 'fail'],
    [['pass', 'error', 'not-exercisable'], 'error'],
    [['pass', 'not-exercisable'], 'pass'],
    [['not-exercisable'], 'not-exercisable'],
    [[], 'not-run'],
  ])('outcomes %j give %s', (statuses, expected) => {
    const tests = statuses.map((s, i) => testOf(`t${i}`, ['CI-001'], [outcome('CI-001', s)]));
    expect(build(tests).requirements[0]?.status).toBe(expected);
  });

  test('every ledger requirement appears, in ledger order, not-run when nothing judged it', () => {
    const body = build([]);
    expect(body.requirements.map((r) => [r.id, r.status])).toEqual(LEDGER.map((r) => [r.id, 'not-run']));
  });

  test('a test that crashed without judging makes its declared requirements error, with its message', () => {
    const crashed = testOf('crashing', ['CI-001', 'CI-002'], [outcome('CI-002', 'pass')], { state: 'failed', crash: 'TypeError: x is undefined' });
    const body = build([crashed]);
    expect(body.requirements[0]?.status).toBe('error');
    expect(body.requirements[0]?.messages[0]?.text).toContain('TypeError: x is undefined');
    // What it did judge before crashing stands.
    expect(body.requirements[1]?.status).toBe('pass');
  });

  test('a test that passed without judging a declared requirement leaves a note, not a pass', () => {
    const body = build([testOf('silent', ['CI-001'], [])]);
    expect(body.requirements[0]?.status).toBe('not-run');
    expect(body.requirements[0]?.messages[0]?.text).toContain('without recording an outcome');
  });

  test('evidence is capped per requirement, failing exchanges first, and messages are deduplicated', () => {
    const exchange = (url: string) => ({
      request: { method: 'POST', url, headers: {} },
      response: { status: 400, headers: {}, body: '' },
      durationMs: 1,
      curl: 'curl',
    });
    const pass = { ...outcome('CI-001', 'pass'), evidence: [exchange('pass-1'), exchange('pass-2')] };
    const fail = { ...outcome('CI-001', 'fail'), evidence: [exchange('fail-1'), exchange('fail-2')] };
    const tests = [testOf('a', ['CI-001'], [pass, pass]), testOf('b', ['CI-001'], [fail])];
    const r = build(tests).requirements[0];
    expect(r?.evidence.map((e) => e.request.url)).toEqual(['fail-1', 'fail-2', 'pass-1']);
    expect(r?.evidenceOmitted).toBe(3);
    expect(r?.messages.map((m) => m.status)).toEqual(['fail', 'pass']);
  });

  test('ids outside the ledger become notes', () => {
    const body = build([...allPass(), testOf('typo', ['CI-999'], [outcome('CI-999' as RequirementId, 'pass')])]);
    expect(body.notes.join('\n')).toContain('CI-999 is not in the ledger');
    expect(body.verdict.value).toBe('conformant');
  });
});

describe('verdict', () => {
  const replace = (id: RequirementId, status: OutcomeStatus): CollectedTest[] =>
    allPass().map((t) => (t.declared[0] === id ? testOf(id, [id], [outcome(id, status)]) : t));

  test('every MUST passes: conformant', () => {
    expect(build(allPass()).verdict).toMatchObject({ value: 'conformant', warnings: [], problems: [] });
  });

  test('a MUST fails: nonconformant, naming it', () => {
    const verdict = build(replace('CI-002', 'fail')).verdict;
    expect(verdict.value).toBe('nonconformant');
    expect(verdict.reason).toContain('CI-002');
  });

  test('a failed MUST stands even when the run also had problems', () => {
    expect(build(replace('CI-002', 'fail'), ['unhandled error: boom']).verdict.value).toBe('nonconformant');
  });

  test('only a SHOULD fails: conformant, with the warning listed', () => {
    const verdict = build(replace('CI-012', 'fail')).verdict;
    expect(verdict).toMatchObject({ value: 'conformant', warnings: ['CI-012'] });
    expect(verdict.reason).toContain('CI-012');
  });

  test('a MAY outcome never changes the verdict', () => {
    expect(build(replace('CI-058', 'fail')).verdict.value).toBe('conformant');
    expect(build(replace('CI-058', 'error')).verdict.value).toBe('conformant');
  });

  test('a MUST errored or not run: error', () => {
    expect(build(replace('CI-001', 'error')).verdict.value).toBe('error');
    expect(build(allPass().filter((t) => t.declared[0] !== 'CI-001')).verdict).toMatchObject({ value: 'error' });
  });

  test('a MUST not exercisable: still conformant, and the reason says so', () => {
    const verdict = build(replace('CI-001', 'not-exercisable')).verdict;
    expect(verdict.value).toBe('conformant');
    expect(verdict.reason).toContain('not exercisable on this target: CI-001');
  });

  test('no MUST exercisable at all: error (nothing was shown)', () => {
    const tests = LEDGER.map((r) => testOf(r.id, [r.id], [outcome(r.id, 'not-exercisable')]));
    expect(build(tests).verdict.value).toBe('error');
  });

  test('setupError in RunInfo: error, with the setup error as the first problem', () => {
    const body = build(allPass(), [], { ...RUN_INFO, setupError: 'target unreachable' });
    expect(body.verdict.value).toBe('error');
    expect(body.verdict.problems[0]).toBe('setup error: target unreachable');
  });

  test('run problems (unhandled errors, interruption, missing RunInfo): error', () => {
    expect(build(allPass(), ['the run was interrupted before every test finished']).verdict.value).toBe('error');
    const noInfo = build(allPass(), ['no RunInfo'], null);
    expect(noInfo.verdict.value).toBe('error');
    expect(noInfo.target.url).toBe('(unknown)');
    expect(noInfo.seed).toBeNull();
  });

  test('counts per level and status add up', () => {
    const counts = build(replace('CI-012', 'fail')).counts;
    expect(counts.MUST).toMatchObject({ pass: 2, total: 2 });
    expect(counts.SHOULD).toMatchObject({ fail: 1, total: 1 });
    expect(counts.all).toMatchObject({ pass: 3, fail: 1, total: 4 });
  });
});
