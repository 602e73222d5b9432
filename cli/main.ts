/**
 * `npm run conformance -- [options]`: runs the conformance suites against a target (the embedded
 * fake cloud, a compute URL, or a cloud from clouds.yaml / OS_*) and writes the reports. Also
 * `--cleanup-only LEDGER`, `--version`, and the commands in COMMANDS (`list`, `verify [--public-key
 * KEY] FILE`, `matrix FILE...`, `diff A B`, `keygen DIR`; certification: cli/certify.ts,
 * reporters/sign.ts, reporters/diff.ts).
 *
 * Exit codes: 0 every MUST requirement passed; 1 a MUST failed (or the run could not judge one, or
 * left something it could not remove); 2 usage or configuration error, or a target that cannot be
 * reached; 130/143 stopped by SIGINT/SIGTERM (after removing what the run created). Errors are one
 * line on stderr, never a stack trace.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import type { Reporter, Vitest } from 'vitest/node';
import { ConfigError, readConfig, type SuiteConfig } from '../suites/harness/config.ts';
import { OPTIONS } from '../suites/harness/options.ts';
import { setPreparedTarget } from '../suites/harness/prepared.ts';
import { PROGRESS_FILE_ENV, ProgressLine, planText, plannedRequests } from '../suites/harness/progress.ts';
import type { TargetHandoff } from '../suites/harness/target.ts';
import { CloudAccessError } from '../suites/cloud/errors.ts';
import { RunInterrupts } from '../suites/cloud/interrupts.ts';
import { planDeadlines, RunLifecycle, type TeardownSummary } from '../suites/cloud/lifecycle.ts';
import { startHarRecording } from '../suites/harness/har-recorder.ts';
import { finishHarRecording, harComment } from '../reporters/har.ts';
import type { ConformanceReport } from '../reporters/report-types.ts';
import { suiteVersion } from '../suites/harness/suite-version.ts';
import { ReportSigner, SigningKeyError } from '../reporters/sign.ts';
import { adoptReferenceSettings, resolveReference } from './certify.ts';
import { cleanupLedgerOnly } from './cleanup-only.ts';
import { faults } from '../fixtures/fake-cloud/faults.ts';
import { helpText } from './help.ts';
import { jsonSummary, listCommand } from './summary.ts';
import { selectionFromEnv, selectionProblem } from '../contract/selection.ts';
import { ledger } from '../specs/index.ts';
import { reportDirProblem as checkReportDir } from '../contract/report-dir.ts';
import { suiteInfo } from '../reporters/suite-info.ts';

class UsageError extends Error {}

/** The suite's own checkout: vitest runs from here whatever the working directory (clouds.yaml may live elsewhere). */
const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

/**
 * `--runs -1` reaches parseArgs as a flag followed by what looks like another flag, which it calls
 * "ambiguous": joined as `--runs=-1`, the value reaches the range check, which names the range.
 */
function joinNegativeValues(args: readonly string[]): string[] {
  const valued = new Set(OPTIONS.filter((o) => o.kind !== 'boolean').map((o) => `--${o.flag}`));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = args[i + 1];
    if (valued.has(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

/** Secret options given as flags: npm echoes its arguments into logs, and ps shows them to everyone. */
function secretFlagsGiven(args: readonly string[]): string[] {
  return OPTIONS.filter((o) => o.secret && args.some((a) => a === `--${o.flag}` || a.startsWith(`--${o.flag}=`))).map(
    (o) => `--${o.flag} (set ${o.env} instead)`,
  );
}

/** Turns flags into the OSI_* variables global setup reads, so flags and variables are one path. */
function flagsToEnvironment(args: readonly string[]): { command: string | null; positionals: string[]; help: boolean; version: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' }, version: { type: 'boolean' } };
  for (const spec of OPTIONS)
    options[spec.flag] = spec.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', ...(spec.kind === 'list' ? { multiple: true } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(args), options, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages go on with advice about positionals; the first sentence is the useful part.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '').split('. ')[0] : String(error);
    throw new UsageError(`${message} (see --help)`);
  }
  for (const spec of OPTIONS) {
    const value = parsed.values[spec.flag];
    if (value === undefined) continue;
    process.env[spec.env] = Array.isArray(value) ? value.join(',') : String(value);
  }
  const [command = null, ...positionals] = parsed.positionals;
  return { command, positionals, help: parsed.values.help === true, version: parsed.values.version === true };
}

function say(line: string): void {
  process.stderr.write(`conformance: ${line}\n`);
}

async function runSuites(): Promise<number> {
  adoptReferenceSettings(process.env);
  const config = readConfig(process.env);
  // Certification settles its key and reference before anything is sent.
  const signer = config.signKey === null ? null : ReportSigner.fromFile(config.signKey);
  const reference = config.reference === null ? null : resolveReference(config.reference);
  for (const name of config.faults) {
    if (!faults.some((f) => f.name === name)) throw new ConfigError(`--fault ${name} is not a fault of the fake cloud (npm run fake-cloud -- --list-faults)`);
  }
  process.env.OSI_REPORT_DIR = config.reportDir;
  if (config.cleanupOnly !== null) return cleanupLedgerOnly(config, say);
  // Before anything is sent: a run that cannot write its reports must not run at all.
  const reportDirProblem = checkReportDir(config.reportDir);
  if (reportDirProblem !== null) throw new ConfigError(reportDirProblem);
  startHarRecording(config.reportDir);
  // Seeds are chosen once, here, so the printed seed is the one every worker uses.
  process.env.OSI_SEED = String(config.seed);
  const deadlines = planDeadlines(config.deadlineS);
  const interrupts = new RunInterrupts(say, config.mode === 'embedded' ? null : path.join(config.reportDir, 'resources.jsonl'));
  const lifecycle = new RunLifecycle(config, interrupts, deadlines);
  // On a real cloud the run owns SIGINT and SIGTERM: what it created must be removed before it exits.
  if (config.mode !== 'embedded') interrupts.install();
  if (deadlines.testPhaseEndsAt !== null) interrupts.armDeadline(deadlines.testPhaseEndsAt);
  // The vitest run, once started: an interrupt cancels it, and winding down closes it.
  const running: RunningVitest = { vitest: null };
  let windingDown: Promise<boolean> | null = null;
  /** Stops the tests, removes what the run created and says so; once, whoever asks first. */
  const windDown = (): Promise<boolean> =>
    (windingDown ??= (async () => {
      // Workers must stop sending before cleanup starts, or a late attach could outlive it.
      if (running.vitest) await Promise.race([running.vitest.close(), unrefSleep(5_000)]);
      const leftBehind = reportTeardown(await lifecycle.teardown(say));
      interrupts.uninstall();
      return leftBehind;
    })());
  interrupts.onInterrupt((reason) => {
    if (reason === 'deadline')
      say(
        `the ${config.deadlineIsDefault ? 'default deadline for a cloud or --target' : '--deadline-s'} of ${config.deadlineS ?? 0} s is near: no further request is sent; removing what the run created`,
      );
    // If the run does not wind down by itself (a stuck test), wind it down here and exit anyway.
    else setTimeout(() => void windDown().then(() => process.exit(interrupts.signalExitCode ?? 1)), 2 * config.timeoutMs + 10_000).unref();
  });
  let code = 2;
  let leftBehind = false;
  try {
    const handoff = await lifecycle.prepare();
    code = interrupts.signalExitCode ?? (await runVitest(config, handoff, lifecycle, interrupts, running, signer));
  } finally {
    leftBehind = await windDown();
    // After cleanup, so that its exchanges are recorded too; the HAR must be complete before a diff.
    await finishHarRecording(config.reportDir, config.har, suiteVersion, harComment(running.report)).catch((error: unknown) => {
      say(`exchanges.har could not be written: ${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))}`);
    });
  }
  // The run's exit code stays the verdict's: against another cloud a diff is expected to show something.
  if (reference !== null && interrupts.signalExitCode === null && code !== 2) {
    const { diffCommand } = await import('../reporters/cli-commands.ts');
    await diffCommand(config.reportDir, reference, config.reportDir);
  }
  // Something the run created is still on the cloud: never a clean exit.
  return interrupts.signalExitCode ?? (leftBehind ? Math.max(code, 1) : code);
}

/** A wait that does not keep the process alive by itself. */
function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

interface RunningVitest {
  vitest: Vitest | null;
  /** The report the run built, once it has. */
  report?: ConformanceReport;
}

/** Runs the conformance project in this process; returns the exit code the verdict asks for. */
async function runVitest(
  config: SuiteConfig,
  handoff: TargetHandoff,
  lifecycle: RunLifecycle,
  interrupts: RunInterrupts,
  running: RunningVitest,
  signer: ReportSigner | null,
): Promise<number> {
  setPreparedTarget(handoff);
  const progress = handoff.ok ? startProgress(config, handoff.target.manners.maxRps) : null;
  const { startVitest } = await import('vitest/node');
  const { default: ConformanceReporter } = await import('../reporters/conformance-reporter.ts');
  // Hands the run to the interrupts: they cancel it, and vitest's own signal handlers (which exit at once) go.
  const cancel = (): void => void running.vitest?.cancelCurrentRun('keyboard-input').catch(() => undefined);
  // A cancel asked for before vitest has started its run (a signal while it starts up) is reset by
  // the run's start: asked again at the start of the run and of each file, the run stops there.
  const cancelIfInterrupted = (): void => {
    if (interrupts.signal.aborted) cancel();
  };
  const control: Reporter = {
    onInit(vitest) {
      running.vitest = vitest;
      if (config.mode !== 'embedded') interrupts.adoptSignals();
      interrupts.onInterrupt(cancel);
    },
    onTestRunStart: cancelIfInterrupted,
    onTestModuleStart: cancelIfInterrupted,
  };
  const reporter = new ConformanceReporter({
    reportDir: config.reportDir,
    terminal: handoff.ok ? 'full' : 'quiet',
    runEndChecks: () => lifecycle.runEndChecks(),
    stream: config.json ? 'stderr' : 'stdout',
    harByCaller: true,
    signer,
  });
  // First in the list: the progress line is gone before the conformance reporter prints the matrix.
  const endProgress: Reporter = { onTestRunEnd: () => progress?.stop() };
  try {
    const vitest = await startVitest('test', [], {
      root: PROJECT_ROOT,
      config: path.join(PROJECT_ROOT, 'vitest.config.ts'),
      project: ['conformance'],
      watch: false,
      reporters: [endProgress, reporter, control],
    });
    await vitest.close();
  } finally {
    progress?.stop();
  }
  // This run's verdict, from memory: a report file on disk may be an older run's.
  const report = reporter.lastReport;
  if (report) running.report = report;
  const code = !handoff.ok ? 2 : report?.verdict.value === 'conformant' ? 0 : 1;
  if (config.json && report)
    process.stdout.write(`${JSON.stringify(jsonSummary(report, reporter.writeError === undefined ? config.reportDir : null, code), null, 2)}\n`);
  if (!handoff.ok) {
    say(`error: ${handoff.setupError}`);
    return 2;
  }
  if (reporter.writeError !== undefined) {
    say(`error: ${reporter.writeError}`);
    return Math.max(code, 1);
  }
  if (!report) say('error: the run ended without a report');
  return code;
}

/**
 * The live progress line (a terminal) or a plain line every 10 s (CI), fed by the test worker
 * through a file; against a cloud or --target, the plan's estimate is printed first.
 */
function startProgress(config: SuiteConfig, maxRps: number): ProgressLine {
  const file = path.join(os.tmpdir(), `osi-progress-${process.pid}-${Date.now()}.json`);
  process.env[PROGRESS_FILE_ENV] = file;
  const plan = { plannedRequests: plannedRequests(config.runs), maxRps, startedAt: Date.now() };
  if (config.mode !== 'embedded') say(planText(plan, config.deadlineS));
  const line = new ProgressLine(file, plan);
  line.start();
  return line;
}

/** One line on what cleanup removed, and one per thing it could not; true when something is left. */
function reportTeardown(summary: TeardownSummary): boolean {
  if (summary.removed.length > 0)
    say(
      `removed ${summary.removed.length} resource(s) the run created${summary.remaining.length === 0 && summary.ledgerPath ? ` (${summary.ledgerPath} is empty)` : ''}`,
    );
  if (summary.alreadyGone.length > 0)
    say(`${summary.alreadyGone.length} resource(s) the run created were already gone (404): ${summary.alreadyGone.join(', ')}`);
  for (const line of summary.remaining) say(`error: not removed: ${line}`);
  if (summary.remaining.length > 0) {
    say(`run \`npm run conformance -- --cleanup-only ${summary.ledgerPath ?? 'LEDGER'}\` with the same credentials to remove what is left`);
  }
  return summary.remaining.length > 0;
}

/**
 * The commands besides a run, by name: each checks its own positionals (a UsageError for a wrong
 * count) and returns the exit code. A new command is one entry here and one line in help.ts.
 */
const COMMANDS: Readonly<Record<string, (positionals: readonly string[]) => Promise<number>>> = {
  list: async (positionals) => {
    if (positionals.length > 0) throw new UsageError('list takes no arguments (--only/--skip narrow it, --json prints JSON)');
    // Only the selection and --json matter: a half-configured cloud in the environment must not stop a listing.
    const selection = selectionFromEnv(process.env);
    const problem = selectionProblem(selection, ledger.requirements);
    if (problem !== null) throw new UsageError(problem);
    return listCommand({ selection, json: /^(true|1|yes|on)$/i.test(process.env.OSI_JSON ?? '') });
  },
  verify: async (positionals) => {
    if (positionals.length !== 1) throw new UsageError('verify takes one file: conformance verify [--public-key KEY.pub.pem] reports/conformance.json');
    return (await import('../reporters/cli-commands.ts')).verifyCommand(positionals[0] ?? '', undefined, process.env.OSI_PUBLIC_KEY ?? null);
  },
  diff: async (positionals) => {
    if (positionals.length !== 2) throw new UsageError('diff takes two runs (report directories): conformance diff reports-a/ reports-b/');
    return (await import('../reporters/cli-commands.ts')).diffCommand(positionals[0] ?? '', positionals[1] ?? '', process.env.OSI_REPORT_DIR ?? 'reports/diff');
  },
  keygen: async (positionals) => {
    if (positionals.length !== 1) throw new UsageError('keygen takes one directory: conformance keygen keys/');
    return (await import('../reporters/cli-commands.ts')).keygenCommand(positionals[0] ?? '');
  },
  matrix: async (positionals) => {
    if (positionals.length < 1) throw new UsageError('matrix takes one or more conformance.json files');
    return (await import('../reporters/cli-commands.ts')).matrixCommand(positionals, process.env.OSI_REPORT_DIR ?? 'reports/matrix');
  },
};

async function main(args: readonly string[]): Promise<number> {
  const { command, positionals, help, version } = flagsToEnvironment(args);
  if (help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (version) {
    process.stdout.write(`${suiteInfo().name} ${suiteInfo().version}\n`);
    return 0;
  }
  for (const warning of secretFlagsGiven(args))
    say(`warning: ${warning}: a secret on the command line is visible to other processes (ps) and npm echoes it into logs`);
  if (command === null) return runSuites();
  const run = COMMANDS[command];
  if (run === undefined) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
  return run(positionals);
}

/**
 * The CLI on these arguments: returns the exit code, an error is one line on stderr and code 2.
 * bin/os-interface-conformance.mjs calls it once; the faulty-variant self-test calls it once per
 * variant in one process (tests/selftest/variant-runner.ts), so each run pays no start-up again.
 */
export async function runCli(args: readonly string[]): Promise<number> {
  try {
    return await main(args);
  } catch (error) {
    const usage = error instanceof UsageError || error instanceof ConfigError || error instanceof CloudAccessError || error instanceof SigningKeyError;
    process.stderr.write(`conformance: ${usage ? '' : 'error: '}${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
