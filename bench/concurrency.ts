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
  readonly cliRepeats: number;
  readonly seed: number;
}

export function cliHasConcurrency(): boolean {
  return OPTIONS.some((option) => option.flag === 'concurrency');
}

const atLevel = (target: ResolvedTarget, concurrency: number): ResolvedTarget => ({ ...target, manners: { ...target.manners, concurrency } });

/**
 * Levels take turns round by round (1, 2, 4, 8, 1, 2, ...), so that a change in the machine's load
 * during the section weighs on every level alike; each level's figure is its median.
 */
export async function measureConcurrency(target: ResolvedTarget, workDir: string, plan: ConcurrencyPlan): Promise<ConcurrencyPoint[]> {
  const loopRates = new Map<number, number[]>(plan.levels.map((level) => [level, []]));
  const cliWalls = new Map<number, number[]>(plan.levels.map((level) => [level, []]));
  for (const level of plan.levels) await runSuiteExchanges(atLevel(target, level), plan.loopCases); // warm-up
  for (let round = 0; round < plan.loopRounds; round++) {
    for (const level of plan.levels) {
      const run = await runSuiteExchanges(atLevel(target, level), plan.loopCases);
      loopRates.get(level)?.push(run.exchanges / (run.elapsedMs / 1000));
    }
  }
  for (let round = 0; round < plan.cliRepeats; round++) {
    for (const level of plan.levels) {
      const run = await runCli({
        runs: plan.cliRuns,
        seed: plan.seed,
        reportDir: path.join(workDir, `concurrency-${level}-${round}`),
        extraArgs: ['--concurrency', String(level)],
      });
      if (run.exitCode !== 0) throw new Error(`--concurrency ${level}: the CLI exited ${String(run.exitCode)}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
      cliWalls.get(level)?.push(run.wallMs);
    }
  }
  const loop = (level: number): number => median(loopRates.get(level) ?? []);
  const cli = (level: number): number => median(cliWalls.get(level) ?? []);
  const [base] = plan.levels;
  if (base === undefined) return [];
  return plan.levels.map((level) => ({
    concurrency: level,
    loopExchangesPerSecond: loop(level),
    cliWallMs: cli(level),
    loopSpeedup: loop(level) / loop(base),
    cliSpeedup: cli(base) / cli(level),
  }));
}
