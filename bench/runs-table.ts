/**
 * Which --runs a remote cloud needs (issue 11): the self-test's targeted faulty variants, each
 * served by a loopback fake cloud and tested through `--target`, at several --runs values. For each
 * value: the requests a run sends (counted by the fake cloud), the wall time those requests take at
 * the polite 10 requests/s, and which variants were flagged (a MUST the variant breaks failed).
 * The smallest --runs that flags as many variants as the largest is the remote default.
 *
 *   npx tsx bench/runs-table.ts [--runs 1,2,3,5,10,100] [--parallel 2] [--variants NAME,...]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { faults, startFakeCloud, targetArgs } from '../fixtures/fake-cloud/index.ts';
import { runCli } from './cli-runs.ts';
import { median } from './stats.ts';

/** The rate the wall-time column assumes: the suite's default for a remote cloud. */
const REMOTE_RPS = 10;

export interface RunsPoint {
  readonly runs: number;
  /** Variants run (targeted faults, plus the faithful cloud). */
  readonly variants: number;
  readonly flagged: readonly string[];
  readonly missed: readonly string[];
  readonly medianRequests: number;
  readonly totalRequests: number;
  /** Median requests of one run at REMOTE_RPS, in seconds. */
  readonly medianSecondsAtRemoteRate: number;
  /** The faithful cloud's verdict at this --runs (must stay conformant). */
  readonly faithfulVerdict: string | null;
}

interface OneRun {
  readonly requests: number;
  readonly flagged: boolean;
  readonly verdict: string | null;
}

function mustFailures(reportDir: string): { verdict: string | null; failed: Set<string> } {
  try {
    const report = JSON.parse(readFileSync(path.join(reportDir, 'conformance.json'), 'utf8')) as {
      verdict: { value: string };
      requirements: Array<{ id: string; level: string; status: string }>;
    };
    return { verdict: report.verdict.value, failed: new Set(report.requirements.filter((r) => r.level === 'MUST' && r.status === 'fail').map((r) => r.id)) };
  } catch {
    return { verdict: null, failed: new Set() };
  }
}

async function runVariant(workDir: string, fault: string | null, runs: number, seed: number): Promise<OneRun> {
  const cloud = await startFakeCloud(fault === null ? {} : { faults: [fault] });
  try {
    const { seed: s } = cloud;
    const reportDir = path.join(workDir, `runs-${runs}-${fault ?? 'faithful'}`);
    await runCli({
      runs,
      seed,
      reportDir,
      extraArgs: [...targetArgs(s), '--control-url', s.control_url, '--max-rps', '0'],
      env: { OSI_TOKEN: s.token, OSI_ALT_TOKEN: s.alt_token, OSI_READER_TOKEN: s.reader_token, OSI_CONTROL_TOKEN: s.control_token },
      capMs: 900_000,
    });
    const { verdict, failed } = mustFailures(reportDir);
    const breaks = faults.find((f) => f.name === fault)?.breaks ?? [];
    return { requests: cloud.state().api_requests, flagged: breaks.some((id) => failed.has(id)), verdict };
  } finally {
    await cloud.close();
  }
}

export async function measureRunsTable(
  workDir: string,
  runsValues: readonly number[],
  parallel: number,
  seed: number,
  progress: (line: string) => void = () => undefined,
  only?: readonly string[],
): Promise<RunsPoint[]> {
  const targeted = faults.filter((f) => f.kind === 'targeted' && (!only || only.includes(f.name))).map((f) => f.name);
  const points: RunsPoint[] = [];
  for (const runs of runsValues) {
    const queue: Array<string | null> = [null, ...targeted];
    const results = new Map<string | null, OneRun>();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) results.set(next, await runVariant(workDir, next, runs, seed));
      }),
    );
    const requests = [...results.values()].map((r) => r.requests);
    const flagged = targeted.filter((name) => results.get(name)?.flagged);
    const point: RunsPoint = {
      runs,
      variants: targeted.length,
      flagged,
      missed: targeted.filter((name) => !flagged.includes(name)),
      medianRequests: median(requests),
      totalRequests: requests.reduce((a, b) => a + b, 0),
      medianSecondsAtRemoteRate: median(requests) / REMOTE_RPS,
      faithfulVerdict: results.get(null)?.verdict ?? null,
    };
    points.push(point);
    progress(
      `--runs ${runs}: ${flagged.length}/${targeted.length} flagged, median ${point.medianRequests} requests (${point.medianSecondsAtRemoteRate.toFixed(0)} s at ${REMOTE_RPS}/s), faithful cloud ${point.faithfulVerdict ?? 'no verdict'}${point.missed.length > 0 ? `; missed ${point.missed.join(', ')}` : ''}`,
    );
  }
  return points;
}

/** The smallest --runs that flags as many variants as the largest measured. */
export function smallestSufficientRuns(points: readonly RunsPoint[]): number | null {
  const largest = [...points].sort((a, b) => b.runs - a.runs)[0];
  if (!largest) return null;
  return (
    [...points].sort((a, b) => a.runs - b.runs).find((p) => p.flagged.length >= largest.flagged.length && p.faithfulVerdict === 'conformant')?.runs ?? null
  );
}

export function runsTable(points: readonly RunsPoint[]): string[] {
  return [
    `The ${points[0]?.variants ?? 0} targeted faulty variants and the faithful cloud, each a loopback fake cloud tested through \`--target\` (one run per variant and --runs, seed fixed); requests counted by the fake cloud; wall time at ${REMOTE_RPS} requests/s is the median run's requests over that rate.`,
    '',
    "| --runs | variants flagged | median requests per run | median wall time at 10 requests/s | all runs' requests | faithful cloud | missed |",
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...points.map(
      (p) =>
        `| ${p.runs} | ${p.flagged.length} of ${p.variants} | ${Math.round(p.medianRequests)} | ${(p.medianSecondsAtRemoteRate / 60).toFixed(1)} min | ${p.totalRequests} | ${p.faithfulVerdict ?? 'none'} | ${p.missed.length > 0 ? p.missed.join(', ') : '—'} |`,
    ),
    '',
    `Smallest --runs that flags as many as the largest: **${smallestSufficientRuns(points) ?? 'none'}**.`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --variants restricts the run to some faulty variants (e.g. those a smaller --runs missed).
  const { values } = parseArgs({ options: { runs: { type: 'string' }, parallel: { type: 'string' }, variants: { type: 'string' } } });
  const runsValues = (values.runs ?? '1,2,3,5,10,100').split(',').map(Number);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'osi-runs-'));
  try {
    const points = await measureRunsTable(
      workDir,
      runsValues,
      Number(values.parallel ?? 2),
      20261127,
      (line) => process.stderr.write(`bench: ${line}\n`),
      values.variants?.split(','),
    );
    process.stdout.write(`${runsTable(points).join('\n')}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
