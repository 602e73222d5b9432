/**
 * Running a generated scenario as a fast-check property against the target, with the run's seed,
 * and recording what it found so that the report shows the smallest failing request.
 *
 * While fast-check explores and shrinks, judgements are only counted; when it has found its
 * smallest counterexample, that case is sent once more with its judgements recorded, so the
 * evidence in the report is the minimal request, with the seed and path that replay it.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import fc from 'fast-check';
import { mapBounded } from './async.ts';
import { withCasePath } from './har-recorder.ts';
import type { Scenario } from './scenario.ts';

export interface PropertyOptions<T> {
  readonly scenario: Scenario;
  /** Requirements the property judges: the replay information is attached to them on failure. */
  readonly requirements: readonly RequirementId[];
  readonly arbitrary: fc.Arbitrary<T>;
  /** Sends the case and judges it; resolves false when a MUST requirement failed. */
  readonly run: (value: T) => Promise<boolean>;
  /** Defaults to the run's --runs. */
  readonly numRuns?: number;
  /**
   * Shrink to the smallest failing case (default). Stateful positive scenarios turn it off: after a
   * failure the target's state may differ (a port that did not detach), so a replayed case would
   * not show the same thing; they record the first failure as it happened and stop.
   */
  readonly shrink?: boolean;
  /** Cases tried first, whatever --runs says (e.g. one per kind of breakage). */
  readonly examples?: readonly T[];
  /**
   * Cases cannot disturb each other, so they may run --concurrency at a time (default: as `shrink`).
   * Generated sequences shrink but share the server: they run one at a time.
   */
  readonly independent?: boolean;
}

/** How a property ended: the path of its smallest counterexample when it failed. */
export interface PropertyResult {
  readonly failed: boolean;
  readonly path?: string;
}

/**
 * Runs every case of the property `concurrency` at a time, judgements counted as fast-check's own
 * run counts them. True when all passed; otherwise the judgements are rolled back and false is
 * returned, for the sequential run to find, shrink and record the failure exactly.
 */
async function allPassConcurrently<T>(options: PropertyOptions<T>, numRuns: number, examples: ReadonlyArray<[T]>, concurrency: number): Promise<boolean> {
  const { scenario, arbitrary, run } = options;
  // The values fc.check would try, in its order: the examples, then the seed's.
  const cases = fc
    .sample(fc.tuple(arbitrary), { seed: scenario.session.target.seed, numRuns, examples: [...examples] })
    .map(([value], index) => ({ value, path: String(index) }));
  const checkpoint = scenario.checkpoint();
  let failed = false;
  scenario.startQuietPhase();
  try {
    await mapBounded(cases, concurrency, async ({ value, path }) => {
      if (failed) return;
      try {
        if ((await withCasePath(path, () => run(value))) === false) failed = true;
      } catch {
        failed = true;
      }
    });
  } finally {
    scenario.endQuietPhase();
  }
  if (failed) scenario.rollback(checkpoint);
  return !failed;
}

export async function checkProperty<T>(options: PropertyOptions<T>): Promise<PropertyResult> {
  const { scenario, arbitrary } = options;
  const { seed, runs } = scenario.session.target;
  const shrink = options.shrink ?? true;
  const examples = (options.examples ?? []).map((example): [T] => [example]);
  const numRuns = Math.max(options.numRuns ?? runs, examples.length);
  // Shrinking properties are the independent ones (refusals attach nothing on a conformant target):
  // they may run --concurrency cases at a time. Stateful ones (shrink: false) stay sequential.
  const concurrency = scenario.session.concurrency;
  const independent = options.independent ?? shrink;
  if (independent && concurrency > 1 && (await allPassConcurrently(options, numRuns, examples, concurrency))) return { failed: false };
  if (shrink) scenario.startQuietPhase();
  const paths = new CasePaths();
  const details = await fc.check(
    fc.asyncProperty(arbitrary, (value) => paths.run(options.run, value)),
    { seed, numRuns, endOnFailure: !shrink, examples },
  );
  scenario.endQuietPhase();
  if (!details.failed) return { failed: false };
  if (details.counterexample === null) {
    // fast-check gave up without a counterexample: the generators discard too much (a suite bug).
    throw new Error(`the property could not run: ${details.interrupted ? 'interrupted' : 'too many discarded cases'}`);
  }
  const path = details.counterexamplePath ?? undefined;
  if (!shrink) {
    for (const id of options.requirements) scenario.replay(id, seed, path);
    return { failed: true, ...(path !== undefined ? { path } : {}) };
  }
  // Send the smallest counterexample once more, this time recording its evidence.
  const [smallest] = details.counterexample;
  await withCasePath(path ?? 'counterexample', () => options.run(smallest));
  for (const id of options.requirements) scenario.replay(id, seed, path);
  return { failed: true, ...(path !== undefined ? { path } : {}) };
}

/**
 * Names each case fast-check runs, for exchanges.har: its index in the run ("7"), and while
 * shrinking the failing case's index with the shrink step ("7/shrink 3"). The same seed gives the
 * same names on any target, which is what lets two runs be compared case by case.
 */
class CasePaths {
  private next = 0;
  private failedAt: number | null = null;
  private shrinkStep = 0;

  async run<T>(run: (value: T) => Promise<boolean>, value: T): Promise<boolean> {
    const path = this.failedAt === null ? String(this.next++) : `${this.failedAt}/shrink ${this.shrinkStep++}`;
    const index = this.failedAt === null ? this.next - 1 : null;
    let passed = false;
    try {
      passed = (await withCasePath(path, () => run(value))) !== false;
      return passed;
    } finally {
      if (!passed && index !== null) this.failedAt = index;
    }
  }
}
