/**
 * How outcomes combine, in one place for the scenario that records them and the reporter that
 * aggregates them: the checks of one judgement, the judgements of one test, and the outcomes of one
 * requirement across tests all follow the same precedence, and keep the same amount of evidence.
 */
import type { OutcomeStatus } from './outcome-types.ts';

/**
 * From most to least decisive: a failure seen outweighs an observation missed; a missed
 * observation outweighs a pass (the requirement was not fully seen); a pass outweighs a check that
 * did not apply. Also the order a requirement's messages and evidence are listed in.
 */
export const OUTCOME_PRECEDENCE: readonly OutcomeStatus[] = ['fail', 'error', 'pass', 'not-exercisable'];

/** The most decisive of `items` by their status, or undefined when there are none. */
export function mostDecisive<T>(items: readonly T[], statusOf: (item: T) => OutcomeStatus): T | undefined {
  for (const status of OUTCOME_PRECEDENCE) {
    const found = items.find((item) => statusOf(item) === status);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The most decisive status with a non-zero count, or undefined when every count is zero. */
export function decisiveStatus(counts: Readonly<Record<OutcomeStatus, number>>): OutcomeStatus | undefined {
  return OUTCOME_PRECEDENCE.find((status) => counts[status] > 0);
}

/** Exchanges kept as evidence per requirement, in a test's outcome and in the report: enough to read and reproduce, small enough to ship. */
export const EVIDENCE_PER_REQUIREMENT = 3;
