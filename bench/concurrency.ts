/**
 * `--concurrency N` against the fake cloud, N = 1, 2, 4, 8, two ways:
 * - the exchange loop (bench/suite-exchanges.ts) with the target's concurrency set to N, as the CLI
 *   sets it: exchanges per second, no start-up in the figure;
 * - the whole CLI with --concurrency N at one --runs and seed (so the same requests): wall time,
 *   start-up included.
 * Throughput relative to N = 1 is the figure that travels. The option is looked up in the options
 * table, so the section says so plainly when the CLI does not have it.
 */
import path from 'node:path';
import { OPTIONS } from '../suites/harness/options.ts';
import type { ResolvedTarget } from '../suites/harness/target.ts';
import { runCli } from './cli-runs.ts';
import { median } from './stats.ts';
import { runSuiteExchanges } from './suite-exchanges.ts';

export interface ConcurrencyPoint {
  readonly concurrency: number;
  /** Exchange loop: median exchanges per second. */
  readonly loopExchangesPerSecond: number;
  /** Whole CLI: wall time in ms. */
  readonly cliWallMs: number;
  /** Throughput relative to N = 1 (loop: exchanges/s ratio; CLI: wall time at 1 ÷ wall time at N). */
  readonly loopSpeedup: number;
  readonly cliSpeedup: number;
}

export interface ConcurrencyPlan {
  readonly levels: readonly number[];
  readonly loopCases: number;
  readonly loopRounds: number;
  readonly cliRuns: number;
  readonly seed: number;
}

export function cliHasConcurrency(): boolean {
  return OPTIONS.some((option) => option.flag === 'concurrency');
}

async function loopThroughput(target: ResolvedTarget, concurrency: number, plan: ConcurrencyPlan): Promise<number> {
  const atLevel: ResolvedTarget = { ...target, manners: { ...target.manners, concurrency } };
  await runSuiteExchanges(atLevel, plan.loopCases); // warm-up at this level
  const rates: number[] = [];
  for (let round = 0; round < plan.loopRounds; round++) {
    const run = await runSuiteExchanges(atLevel, plan.loopCases);
    rates.push(run.exchanges / (run.elapsedMs / 1000));
  }
  return median(rates);
}

export async function measureConcurrency(target: ResolvedTarget, workDir: string, plan: ConcurrencyPlan): Promise<ConcurrencyPoint[]> {
  const measured: Array<{ concurrency: number; loop: number; cli: number }> = [];
  for (const concurrency of plan.levels) {
    const loop = await loopThroughput(target, concurrency, plan);
    const run = await runCli({ runs: plan.cliRuns, seed: plan.seed, reportDir: path.join(workDir, `concurrency-${concurrency}`), extraArgs: ['--concurrency', String(concurrency)] });
    if (run.exitCode !== 0) throw new Error(`--concurrency ${concurrency}: the CLI exited ${String(run.exitCode)}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    measured.push({ concurrency, loop, cli: run.wallMs });
  }
  const [base] = measured;
  if (!base) return [];
  return measured.map((m) => ({ concurrency: m.concurrency, loopExchangesPerSecond: m.loop, cliWallMs: m.cli, loopSpeedup: m.loop / base.loop, cliSpeedup: base.cli / m.cli }));
}
