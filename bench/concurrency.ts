/**
 * `--concurrency N` against the embedded fake cloud: the same CLI run (same --runs, same seed, so
 * the same requests) with N = 1, 2, 4, 8, and its throughput relative to N = 1. The option is read
 * from the options table, so the section says so plainly when the CLI does not have it.
 */
import path from 'node:path';
import { OPTIONS } from '../suites/harness/options.ts';
import { runCli } from './cli-runs.ts';

export interface ConcurrencyPoint {
  readonly concurrency: number;
  readonly wallMs: number;
  /** Wall time at N = 1 ÷ wall time at N: the same work done this many times faster. */
  readonly speedup: number;
  readonly verdict: string | null;
}

export function cliHasConcurrency(): boolean {
  return OPTIONS.some((option) => option.flag === 'concurrency');
}

export async function measureConcurrency(workDir: string, options: { readonly levels: readonly number[]; readonly runs: number; readonly seed: number }): Promise<ConcurrencyPoint[]> {
  const points: Array<Omit<ConcurrencyPoint, 'speedup'>> = [];
  for (const concurrency of options.levels) {
    const run = await runCli({ runs: options.runs, seed: options.seed, reportDir: path.join(workDir, `concurrency-${concurrency}`), extraArgs: ['--concurrency', String(concurrency)] });
    if (run.exitCode !== 0) throw new Error(`--concurrency ${concurrency}: the CLI exited ${String(run.exitCode)}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    points.push({ concurrency, wallMs: run.wallMs, verdict: run.verdict });
  }
  const base = points[0]?.wallMs ?? 1;
  return points.map((point) => ({ ...point, speedup: base / point.wallMs }));
}
