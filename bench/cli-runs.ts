/**
 * Whole runs of the conformance CLI (`npm run conformance`, start-up included), timed from spawn
 * to exit, with reports written to a temporary directory. Optionally under `node --cpu-prof`: node
 * passes the flag on to vitest's forked workers, so every process of the run leaves a profile.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './child-process.ts';

/** Node's default; finer sampling makes profiles that a worker may not finish writing before vitest kills it. */
const PROFILE_INTERVAL_US = 1000;

export interface CliRunOptions {
  readonly runs: number;
  readonly seed: number;
  readonly reportDir: string;
  readonly extraArgs?: readonly string[];
  /** When set, the run is profiled and every process writes its profile here. */
  readonly cpuProfileDir?: string;
  /** Added to the environment (secrets go here, never on the command line). */
  readonly env?: Readonly<Record<string, string>>;
  /** A run still going after this long is killed (SIGKILL) and reported with its wall time so far. */
  readonly capMs?: number;
}

/** The CLI under test: this checkout's, or another's (OSI_BENCH_CLI) for a before/after comparison. */
const CLI_PATH = process.env.OSI_BENCH_CLI ?? path.join(ROOT, 'bin/os-interface-conformance.mjs');

export interface CliRunResult {
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** Monotonic clock at spawn and at exit, in microseconds (the clock CPU profiles use). */
  readonly spawnedAtUs: number;
  readonly exitedAtUs: number;
  readonly pid: number;
  readonly verdict: string | null;
  readonly stderr: string;
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

export function runCli(options: CliRunOptions): Promise<CliRunResult> {
  const profiling =
    options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-interval=${PROFILE_INTERVAL_US}`];
  const args = [
    ...profiling,
    CLI_PATH,
    '--runs',
    String(options.runs),
    '--seed',
    String(options.seed),
    '--report-dir',
    options.reportDir,
    ...(options.extraArgs ?? []),
  ];
  return new Promise((resolve, reject) => {
    const spawnedAtUs = monotonicUs();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...(options.env ?? {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const cap = options.capMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.capMs);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const exitedAtUs = monotonicUs();
      clearTimeout(cap);
      void readVerdict(options.reportDir).then((verdict) =>
        resolve({ exitCode, wallMs: (exitedAtUs - spawnedAtUs) / 1000, spawnedAtUs, exitedAtUs, pid: child.pid ?? -1, verdict, stderr }),
      );
    });
  });
}

/** The report's verdict: a timing is only worth reporting for a run that judged the target. */
async function readVerdict(reportDir: string): Promise<string | null> {
  try {
    const report = JSON.parse(await readFile(path.join(reportDir, 'conformance.json'), 'utf8')) as { verdict?: { value?: unknown } };
    return typeof report.verdict?.value === 'string' ? report.verdict.value : null;
  } catch {
    return null;
  }
}
