/**
 * Reports built in-process (no vitest run) for the tests of verify, merge and the renderings:
 * the real ledger, judged by synthetic tests that reuse the fixtures' outcomes (hostile bodies and
 * planted secrets included).
 */
import { buildReportBody, type CollectedTest } from '../../reporters/aggregate.ts';
import type { ConformanceReportBody } from '../../reporters/report-types.ts';
import { ledger } from '../../specs/index.ts';
import type { OutcomeStatus, RunInfo } from '../../contract/outcome-types.ts';
import { outcomeFor, runInfoFor } from './fixtures/support.ts';

export interface SampleOptions {
  /** Status per requirement id; every other requirement passes. */
  readonly statuses?: Readonly<Record<string, OutcomeStatus>>;
  readonly runInfo?: Partial<RunInfo>;
}

export function sampleReportBody(options: SampleOptions = {}): ConformanceReportBody {
  const tests: CollectedTest[] = ledger.requirements.map((r) => {
    const status = options.statuses?.[r.id] ?? 'pass';
    return {
      file: 'suite/sample.test.ts',
      name: `${r.id} ${r.title}`,
      state: status === 'pass' || status === 'not-exercisable' ? 'passed' : 'failed',
      declared: [r.id],
      outcomes: [outcomeFor(r.id, status)],
      crash: null,
      skipNote: null,
    };
  });
  const runInfo: RunInfo = { ...runInfoFor('sample'), ...options.runInfo };
  return buildReportBody(
    ledger,
    runInfo,
    { mode: 'run', testFiles: 1, tests, problems: [], notes: [], durationMs: 1234 },
    { name: 'os-interface-conformance', version: '0.1.0' },
  );
}
