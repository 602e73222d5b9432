/**
 * Every requirement ends with a status whatever the target was given (issue 12, item 4), for every
 * subset of the optional resources of README's table: a requirement that nothing judged because
 * the target lacks what it needs (the ledger's `needs`) is not-exercisable, naming what to give,
 * never not-run. End to end through the CLI: tests/selftest/resource-subsets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildReportBody, type CollectedTest } from '../../reporters/aggregate.ts';
import { ledger } from '../../specs/index.ts';
import { offeredNeeds } from '../../suites/harness/needs.ts';
import { runInfoFor } from './fixtures/support.ts';
import { RESOURCE_SUBSETS, type OptionalResource } from '../cloud/helpers.ts';

type Optional = OptionalResource;
const SUBSETS = RESOURCE_SUBSETS;

function offeredBy(subset: readonly Optional[]) {
  const has = (o: Optional): boolean => subset.includes(o);
  return offeredNeeds({
    portIds: has('port-id') ? ['p'] : [],
    netId: has('net-id') ? 'n' : null,
    subnet: has('net-id') && has('network-url') ? { id: 's', cidr: '10.0.0.0/24' } : null,
    networkUrl: has('network-url') ? 'http://127.0.0.1:9696' : null,
    readerToken: has('reader-token') ? 'r' : null,
    altToken: has('alt-token') ? 'a' : null,
    controlUrl: has('control-url') ? 'c' : null,
    controlToken: has('control-url') ? 't' : null,
    maxMicroversion: '2.96',
  });
}

describe('in-process: every subset of the optional resources', () => {
  it.each(SUBSETS.map((s) => [s.join(' ') || '(none)', s] as const))(
    '%s: a requirement whose needs the target lacks is not-exercisable, never not-run',
    (_name, subset) => {
      const offered = offeredBy(subset);
      // A run that exercised exactly what the target offers: requirements with unmet needs have no outcome.
      const tests: CollectedTest[] = ledger.requirements
        .filter((r) => (r.needs ?? []).every((n) => offered.includes(n)))
        .map((r) => ({
          file: 'suite/x.test.ts',
          name: r.id,
          state: 'passed',
          declared: [],
          outcomes: [{ requirement: r.id, status: 'pass', check: 'c', message: 'ok', evidence: [] }],
          crash: null,
          skipNote: null,
        }));
      const body = buildReportBody(
        ledger,
        { ...runInfoFor('subsets'), offered },
        { mode: 'run', testFiles: 1, tests, problems: [], notes: [], durationMs: 1 },
        { name: 's', version: '1' },
      );
      expect(body.requirements.filter((r) => r.status === 'not-run').map((r) => r.id)).toEqual([]);
      expect(body.verdict.value).toBe('conformant');
      for (const r of body.requirements.filter((x) => x.status === 'not-exercisable'))
        expect(r.messages[0]?.text).toMatch(/^The target was not given .*\(--|microversion/);
    },
  );
});
