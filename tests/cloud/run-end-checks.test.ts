/**
 * The reporter's runEndChecks hook, through which the CLI reports leaks: each string it returns is
 * a run problem of the written report (verdict "error" unless a MUST failed), and a check that
 * throws is a problem too, never a lost report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import ConformanceReporter from '../../reporters/conformance-reporter.ts';
import { RUN_INFO_ENV, type RunInfo } from '../../contract/outcome-types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'osi-run-end-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runInfo: RunInfo = {
  suiteVersion: '0.1.0',
  target: 'cloud "fake"',
  targetKind: 'cloud (clouds.yaml / OS_*)',
  microversion: '2.1',
  seed: 1,
  runs: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  document: { name: 'doc.rst', sha256: 'a'.repeat(64) },
};
let saved: string | undefined;
beforeEach(() => {
  saved = process.env[RUN_INFO_ENV];
  process.env[RUN_INFO_ENV] = JSON.stringify(runInfo);
});
afterEach(() => {
  if (saved === undefined) delete process.env[RUN_INFO_ENV];
  else process.env[RUN_INFO_ENV] = saved;
});

function problemsWritten(reportDir: string): { verdict: string; problems: string[] } {
  const report = JSON.parse(readFileSync(path.join(reportDir, 'conformance.json'), 'utf8')) as { verdict: { value: string; problems: string[] } };
  return { verdict: report.verdict.value, problems: report.verdict.problems };
}

describe('runEndChecks', () => {
  it('each string is a run problem of the report', async () => {
    const reportDir = path.join(dir, 'leaks');
    const reporter = new ConformanceReporter({
      reportDir,
      terminal: 'quiet',
      runEndChecks: async () => ['leak: port p1 is attached to server s1 and was not before the run'],
    });
    await reporter.onTestRunEnd([], [], 'passed');
    const written = problemsWritten(reportDir);
    expect(written.verdict).toBe('error');
    expect(written.problems).toContain('leak: port p1 is attached to server s1 and was not before the run');
  });

  it('a check that throws becomes a problem, and the report is still written', async () => {
    const reportDir = path.join(dir, 'throws');
    const reporter = new ConformanceReporter({ reportDir, terminal: 'quiet', runEndChecks: () => Promise.reject(new Error('the cloud went away')) });
    await reporter.onTestRunEnd([], [], 'passed');
    expect(problemsWritten(reportDir).problems).toContain('the run-end check failed: the cloud went away');
  });
});
