/**
 * Time to a verdict against clouds that misbehave (issue 11), as a ratio to the per-request
 * timeout: the CLI is pointed by --target at a loopback fake cloud whose switches or faults make it
 * hang on create, answer 503 to everything, never detach, or be slow but correct, and each run is
 * timed from spawn to exit. A ratio travels between machines and timeouts; a bounded suite keeps it
 * to a few timeouts whatever the cloud does.
 *
 * Also runnable alone, e.g. against an older checkout's CLI for a before/after comparison:
 *   OSI_BENCH_CLI=/path/to/old/bin/os-interface-conformance.mjs npx tsx bench/time-to-verdict.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeCloud, targetArgs, type FakeCloudOptions, type RunningFakeCloud } from '../fixtures/fake-cloud/index.ts';
import { runCli } from './cli-runs.ts';

export interface VerdictVariant {
  readonly name: string;
  /** What the cloud does, in words, for the table. */
  readonly behaviour: string;
  readonly cloud: FakeCloudOptions;
  /** POST /_control/settings before the run. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export const VERDICT_VARIANTS: readonly VerdictVariant[] = [
  { name: 'create-hangs', behaviour: 'every create is read and never answered', cloud: {}, settings: { hang: 'compute-create' } },
  {
    name: 'all-503',
    behaviour: 'every request answers 503 without Retry-After',
    cloud: {},
    settings: { unavailable_burst: 86_400_000, burst_omit_retry_after: 1 },
  },
  { name: 'detach-never', behaviour: 'DELETE answers 202, the port never leaves', cloud: { faults: ['detach-does-not-detach'] } },
  { name: 'correct', behaviour: 'a correct cloud', cloud: {} },
  {
    name: 'slow-correct',
    behaviour: 'correct, attachments listed 1 s after the 200, detach takes 1.5 s',
    cloud: { listVisibilityDelayMs: 1_000, detachDelayMs: 1_500 },
  },
];

export interface VerdictTiming {
  readonly variant: string;
  readonly behaviour: string;
  readonly exitCode: number | null;
  readonly verdict: string | null;
  readonly wallMs: number;
  readonly timeoutMs: number;
  /** Wall time over the per-request timeout. */
  readonly ratio: number;
  /** The CLI's last stderr line (why it ended), for the table. */
  readonly lastLine: string;
}

export interface VerdictPlan {
  readonly timeoutMs: number;
  readonly runs: number;
  readonly seed: number;
  /** Extra CLI flags (e.g. --detach-timeout-s for a quick run). */
  readonly extraArgs: readonly string[];
  /** Kills a run that goes on longer (the old suite could poll for many minutes). */
  readonly capMs: number;
  readonly only?: readonly string[];
}

async function settle(cloud: RunningFakeCloud, settings: Readonly<Record<string, unknown>> | undefined): Promise<void> {
  if (!settings) return;
  const { seed } = cloud;
  const answer = await fetch(`${seed.control_url}/settings`, {
    method: 'POST',
    headers: { 'X-Control-Token': seed.control_token, 'Content-Type': 'application/json' },
    body: JSON.stringify(settings),
  });
  if (!answer.ok) throw new Error(`the fake cloud refused the settings ${JSON.stringify(settings)}: ${answer.status}`);
}

export async function measureTimeToVerdict(workDir: string, plan: VerdictPlan, progress: (line: string) => void = () => undefined): Promise<VerdictTiming[]> {
  const out: VerdictTiming[] = [];
  for (const variant of VERDICT_VARIANTS.filter((v) => !plan.only || plan.only.includes(v.name))) {
    const cloud = await startFakeCloud(variant.cloud);
    try {
      await settle(cloud, variant.settings);
      progress(`time to verdict: ${variant.name}`);
      const reportDir = path.join(workDir, `verdict-${variant.name}-${Date.now()}`);
      const result = await runCli({
        runs: plan.runs,
        seed: plan.seed,
        reportDir,
        extraArgs: [...targetArgs(cloud.seed), '--timeout-ms', String(plan.timeoutMs), ...plan.extraArgs],
        env: { OSI_TOKEN: cloud.seed.token },
        capMs: plan.capMs,
      });
      const lines = result.stderr
        .trim()
        .split('\n')
        .filter((l) => l.length > 0);
      const timing: VerdictTiming = {
        variant: variant.name,
        behaviour: variant.behaviour,
        exitCode: result.exitCode,
        verdict: result.verdict,
        wallMs: result.wallMs,
        timeoutMs: plan.timeoutMs,
        ratio: result.wallMs / plan.timeoutMs,
        lastLine: (lines.at(-1) ?? '').slice(0, 160),
      };
      out.push(timing);
      progress(
        `${variant.name}: ${timing.verdict ?? 'no verdict'} (exit ${timing.exitCode ?? 'killed'}) after ${(timing.wallMs / 1000).toFixed(1)} s = ${timing.ratio.toFixed(1)} request timeouts`,
      );
    } finally {
      await cloud.close();
    }
  }
  return out;
}

export function verdictTable(timings: readonly VerdictTiming[]): string[] {
  const timeout = timings[0]?.timeoutMs ?? 0;
  return [
    `Per-request timeout ${timeout} ms; the CLI pointed by \`--target\` at a loopback fake cloud; wall time from spawn to exit, start-up included.`,
    '',
    '| variant | the cloud | verdict (exit) | wall time | ratio to the request timeout |',
    '| --- | --- | --- | --- | --- |',
    ...timings.map(
      (t) =>
        `| ${t.variant} | ${t.behaviour} | ${t.verdict ?? 'none'} (${t.exitCode ?? 'killed'}) | ${(t.wallMs / 1000).toFixed(1)} s | **${t.ratio.toFixed(1)}** |`,
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'osi-verdict-'));
  try {
    const timeoutMs = Number(process.env.OSI_BENCH_TIMEOUT_MS ?? 10_000);
    const only = process.env.OSI_BENCH_ONLY?.split(',');
    const timings = await measureTimeToVerdict(
      workDir,
      {
        timeoutMs,
        runs: Number(process.env.OSI_BENCH_RUNS ?? 100),
        seed: 20261127,
        extraArgs: [],
        capMs: Number(process.env.OSI_BENCH_CAP_MS ?? 600_000),
        ...(only ? { only } : {}),
      },
      (line) => process.stderr.write(`bench: ${line}\n`),
    );
    process.stdout.write(`${verdictTable(timings).join('\n')}\n`);
    for (const t of timings) process.stdout.write(`${t.variant}: ${t.lastLine}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
