/**
 * How the cost grows with the number of generated cases, measured two honest ways:
 * - the suite's exchange loop (bench/suite-exchanges.ts) at several case counts, where 10,000 cases
 *   take seconds rather than minutes; the line's slope is the cost of one case;
 * - the whole CLI at a few --runs values, start-up included; the slope is the cost of one more
 *   run (a case of every generated scenario), the intercept the fixed cost of a run.
 * Both are fitted by least squares; R² near 1 means the cost is linear.
 */
import path from 'node:path';
import type { ResolvedTarget } from '../suites/harness/target.ts';
import { runCli } from './cli-runs.ts';
import { fitLine, median, type LinearFit } from './stats.ts';
import { runSuiteExchanges } from './suite-exchanges.ts';

export interface SizeStep {
  readonly size: number;
  readonly repeats: number;
}

export interface ScalingResult {
  readonly fit: LinearFit;
  /** Per size: the median time (ms) and the median time per unit (µs). */
  readonly bySize: ReadonlyArray<{ readonly size: number; readonly measured: number; readonly medianMs: number; readonly perUnitUs: number }>;
}

/**
 * The sizes take turns (100, 1,000, 10,000, 100, 1,000, 100, ...) rather than all repeats of one
 * size in a row, so that a change in the machine's load does not tilt the fitted line.
 */
function interleaved(steps: readonly SizeStep[]): Array<{ step: SizeStep; repeat: number }> {
  const most = Math.max(0, ...steps.map((s) => s.repeats));
  const order: Array<{ step: SizeStep; repeat: number }> = [];
  for (let repeat = 0; repeat < most; repeat++) for (const step of steps) if (repeat < step.repeats) order.push({ step, repeat });
  return order;
}

function summarise(points: ReadonlyArray<{ size: number; measured: number; ms: number }>): ScalingResult {
  const sizes = [...new Set(points.map((p) => p.size))];
  return {
    fit: fitLine(points.map((p) => [p.measured, p.ms] as const)),
    bySize: sizes.map((size) => {
      const at = points.filter((p) => p.size === size);
      const measured = at[0]?.measured ?? size;
      const medianMs = median(at.map((p) => p.ms));
      return { size, measured, medianMs, perUnitUs: (medianMs * 1000) / measured };
    }),
  };
}

/** The exchange loop at each size; x is the number of exchanges actually sent (examples included). */
export async function exchangeLoopScaling(target: ResolvedTarget, steps: readonly SizeStep[]): Promise<ScalingResult> {
  const points: Array<{ size: number; measured: number; ms: number }> = [];
  for (const { step } of interleaved(steps)) {
    const run = await runSuiteExchanges(target, step.size);
    points.push({ size: step.size, measured: run.exchanges, ms: run.elapsedMs });
  }
  return summarise(points);
}

/** Whole CLI runs at each --runs value; x is --runs. */
export async function cliScaling(workDir: string, steps: readonly SizeStep[], seed: number): Promise<ScalingResult> {
  // An untimed run first: the first run after a while pays for cold caches (tsx's, the disk's).
  await runCli({ runs: steps[0]?.size ?? 1, seed, reportDir: path.join(workDir, 'cli-warm-up') });
  const points: Array<{ size: number; measured: number; ms: number }> = [];
  for (const { step, repeat } of interleaved(steps)) {
    const run = await runCli({ runs: step.size, seed, reportDir: path.join(workDir, `cli-runs-${step.size}-${repeat}`) });
    if (run.exitCode !== 0) throw new Error(`--runs ${step.size}: the CLI exited ${String(run.exitCode)}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    points.push({ size: step.size, measured: step.size, ms: run.wallMs });
  }
  return summarise(points);
}
