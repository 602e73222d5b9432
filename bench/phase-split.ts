/**
 * Where the wall time of one default `npm run conformance` goes, from CPU profiles of all its
 * processes (bench/cpu-profile.ts says how samples are attributed).
 *
 * Phases, on the monotonic clock the profiles share with the bench:
 * - start-up: from spawn until the test worker first runs the suite's HTTP client (the first
 *   request of the first test): node and tsx boot, the embedded cloud, the version document,
 *   vitest start, collecting the test files;
 * - tests: from there until the worker last runs suite code (harness, generators, checks); this
 *   span is divided by what the worker was doing, sample by sample: generating, in the HTTP
 *   client, judging (validation), in vitest, collecting garbage, or idle; idle is the worker
 *   waiting, nearly always for the target's answer, so it is counted with HTTP as its own line;
 * - reporting and exit: from then until the process has exited (writing the reports, closing).
 * The CPU the main process spends in the same spans (the fake cloud answering, the reporter) is
 * listed beside, as it overlaps the worker's time rather than adding to it.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readProfile, samplesOf, tally, type Category, type Sample } from './cpu-profile.ts';
import { runCli, type CliRunResult } from './cli-runs.ts';

export interface PhaseSplit {
  readonly wallMs: number;
  readonly startupMs: number;
  readonly testsMs: number;
  readonly reportingMs: number;
  /** The tests span divided by what the worker did, in ms (sums to testsMs). */
  readonly testsByCategory: ReadonlyMap<Category, number>;
  /** CPU of the main process (CLI, embedded cloud, reporter) during the tests span, in ms. */
  readonly mainDuringTests: ReadonlyMap<Category, number>;
  /** CPU of the main process from the last test on, in ms. */
  readonly mainAfterTests: ReadonlyMap<Category, number>;
  /** Profiles read, and which process each came from. */
  readonly profiles: readonly string[];
}

const SUITE_CODE = /\/suites\/harness\/|\/generators\/|\/suites\/checks\//;
const HTTP_CLIENT = /\/suites\/harness\/http\.ts$/;

/** Profile file names carry the process id: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile. */
function pidOf(file: string): number {
  return Number(file.split('.')[3]);
}

function toMs(totals: Map<Category, number>): Map<Category, number> {
  return new Map([...totals].map(([category, us]) => [category, us / 1000]));
}

/** The run ended before its worker had written a profile (see PROFILED_ATTEMPTS). */
class MissingWorkerProfile extends Error {}

/**
 * vitest stops its worker with SIGTERM and kills it 500 ms later; a worker still writing its
 * profile then leaves none. Such a run is repeated, a few times at most.
 */
const PROFILED_ATTEMPTS = 4;

/** Profiles one default run (--runs as given) and splits its wall time. */
export async function profileRun(workDir: string, runs: number, seed: number): Promise<PhaseSplit & { readonly attempts: number }> {
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= PROFILED_ATTEMPTS; attempt++) {
    const profileDir = path.join(workDir, `profile-${attempt}`);
    const run = await runCli({ runs, seed, reportDir: path.join(workDir, `profiled-report-${attempt}`), cpuProfileDir: profileDir });
    if (run.exitCode !== 0) throw new Error(`the profiled run exited ${String(run.exitCode)}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    try {
      return { ...(await splitPhases(run, profileDir)), attempts: attempt };
    } catch (error) {
      if (!(error instanceof MissingWorkerProfile)) throw error;
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('no profiled run');
}

export async function splitPhases(run: CliRunResult, profileDir: string): Promise<PhaseSplit> {
  const files = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const main: Sample[] = [];
  const workers: Sample[] = [];
  for (const file of files) {
    const samples = samplesOf(await readProfile(path.join(profileDir, file)));
    const into = pidOf(file) === run.pid ? main : workers;
    for (const sample of samples) into.push(sample);
  }
  if (workers.length === 0) throw new MissingWorkerProfile(`no worker profile in ${profileDir}: did vitest fork its workers with --cpu-prof?`);
  const isSuiteWork = (s: Sample): boolean => s.urls.some((url) => SUITE_CODE.test(url));
  const firstRequest = workers.filter((s) => s.urls.some((url) => HTTP_CLIENT.test(url))).reduce((min, s) => Math.min(min, s.at), Infinity);
  const lastSuiteWork = workers.filter(isSuiteWork).reduce((max, s) => Math.max(max, s.at + s.weight), -Infinity);
  if (!Number.isFinite(firstRequest) || !Number.isFinite(lastSuiteWork)) throw new Error('the worker profile shows no request sent');
  const testsByCategory = toMs(tally(workers, firstRequest, lastSuiteWork));
  const testsMs = (lastSuiteWork - firstRequest) / 1000;
  // Time the profiles do not cover (between worker samples, e.g. while a worker forks) is idle.
  const covered = [...testsByCategory.values()].reduce((a, b) => a + b, 0);
  if (covered < testsMs) testsByCategory.set('idle', (testsByCategory.get('idle') ?? 0) + testsMs - covered);
  return {
    wallMs: run.wallMs,
    startupMs: (firstRequest - run.spawnedAtUs) / 1000,
    testsMs,
    reportingMs: (run.exitedAtUs - lastSuiteWork) / 1000,
    testsByCategory,
    mainDuringTests: toMs(tally(main, firstRequest, lastSuiteWork)),
    mainAfterTests: toMs(tally(main, lastSuiteWork)),
    profiles: files.map((f) => `${f} (${pidOf(f) === run.pid ? 'CLI main process' : 'vitest worker'})`),
  };
}
