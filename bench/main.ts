/**
 * `npm run bench [-- --quick] [--only SECTIONS] [--write-markdown BENCHMARKS.md]`: how fast the
 * suite checks a cloud and how its cost grows, measured side by side on one machine. Prints the
 * figures as Markdown, then every ratio, and last `suite/raw exchanges-per-second ratio: R`.
 *
 * Everything it starts listens on 127.0.0.1 only, and everything it writes goes to a temporary
 * directory that is removed at the end (the one exception is --write-markdown's file).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { breakDownClient } from './client-profile.ts';
import { compareCloudWithBare } from './cloud-vs-bare.ts';
import { cliHasConcurrency, measureConcurrency } from './concurrency.ts';
import { compareExchanges } from './exchange-ratio.ts';
import { machineFacts } from './machine.ts';
import { BenchUsageError, USAGE, planFrom, type BenchPlan } from './options.ts';
import { profileRun } from './phase-split.ts';
import { FIGURES_END, FIGURES_START, ratioSummary, renderMarkdown, type BenchResults } from './render.ts';
import { measureRunsTable } from './runs-table.ts';
import { cliScaling, exchangeLoopScaling } from './scaling.ts';
import { measureTimeToVerdict } from './time-to-verdict.ts';
import { openTarget, type CloudLayout } from './targets.ts';

const LAYOUTS: readonly CloudLayout[] = ['separate-process', 'same-process'];

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

async function measure(plan: BenchPlan, workDir: string): Promise<BenchResults> {
  const started = performance.now();
  const machine = machineFacts();
  const results: Mutable<BenchResults> = {
    machine,
    loadAtEnd: 0,
    quick: plan.quick,
    command: `npm run bench${plan.quick ? ' -- --quick' : ''}`,
    elapsedSeconds: 0,
    exchange: [],
  };
  const exchange: Array<BenchResults['exchange'][number]> = [];
  for (const layout of LAYOUTS) {
    progress(`suite against raw, ${layout}`);
    const target = await openTarget(layout, workDir, plan.seed);
    try {
      exchange.push({ layout, comparison: await compareExchanges(target.target, plan.exchange) });
      if (layout === 'separate-process') {
        progress('client CPU per exchange by part, suite and raw (profiled rounds)');
        results.clientBreakdown = await breakDownClient(target.target, plan.exchange.profiledCases);
      }
      if (layout === 'separate-process' && plan.sections.has('scaling')) {
        progress(`exchange loop at ${plan.loopSizes.map((s) => s.size).join(', ')} cases`);
        results.loop = await exchangeLoopScaling(target.target, plan.loopSizes);
      }
      if (layout === 'separate-process' && plan.sections.has('concurrency')) {
        if (cliHasConcurrency()) {
          progress(`--concurrency ${plan.concurrency.levels.join(', ')} (exchange loop and CLI)`);
          results.concurrency = await measureConcurrency(target.target, workDir, { ...plan.concurrency, seed: plan.seed });
        } else {
          results.concurrency = { unavailable: 'Not measured: the CLI has no --concurrency option yet.' };
        }
      }
    } finally {
      await target.close();
    }
  }
  results.exchange = exchange;
  if (plan.sections.has('cli')) {
    progress(`CLI at --runs ${plan.cliRuns.map((s) => s.size).join(', ')}`);
    results.cli = await cliScaling(workDir, plan.cliRuns, plan.seed);
  }
  if (plan.sections.has('profile')) {
    progress('profiled CLI run');
    results.profile = { ...(await profileRun(workDir, plan.profileRuns, plan.seed)), runs: plan.profileRuns };
  }
  if (plan.sections.has('load')) {
    progress('fake cloud against a bare server (autocannon)');
    results.load = await compareCloudWithBare(workDir, plan.load);
  }
  if (plan.sections.has('verdict')) {
    progress('time to a verdict against misbehaving clouds');
    results.verdict = await measureTimeToVerdict(
      workDir,
      {
        timeoutMs: plan.verdict.timeoutMs,
        runs: plan.verdict.runs,
        seed: plan.seed,
        extraArgs: ['--detach-timeout-s', String(plan.verdict.detachTimeoutS)],
        capMs: 600_000,
        ...(plan.verdict.only ? { only: plan.verdict.only } : {}),
      },
      progress,
    );
  }
  if (plan.sections.has('runs')) {
    progress(`faulty variants at --runs ${plan.runsValues.join(', ')}`);
    results.runsTable = await measureRunsTable(workDir, plan.runsValues, 2, plan.seed, progress);
  }
  results.loadAtEnd = os.loadavg()[0] ?? 0;
  results.elapsedSeconds = (performance.now() - started) / 1000;
  return results;
}

/** Replaces the generated block between the markers; the prose around it is left as written. */
async function writeFigures(file: string, markdown: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(FIGURES_START);
  const end = text.indexOf(FIGURES_END);
  if (start < 0 || end < start) throw new Error(`${file} has no generated-figures markers (${FIGURES_START} … ${FIGURES_END})`);
  await writeFile(file, `${text.slice(0, start)}${markdown.trimEnd()}${text.slice(end + FIGURES_END.length)}`);
}

async function main(): Promise<number> {
  let plan: BenchPlan;
  try {
    plan = planFrom(process.argv.slice(2));
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (plan.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'osi-bench-'));
  try {
    const results = await measure(plan, workDir);
    const markdown = renderMarkdown(results);
    process.stdout.write(`${markdown}\n`);
    if (plan.markdownFile !== null) await writeFigures(plan.markdownFile, markdown);
    process.stdout.write(`${ratioSummary(results).join('\n')}\n`);
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
