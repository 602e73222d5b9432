/**
 * The conformance reporter: turns a vitest run of the conformance suites into the conformance
 * matrix, grouped by requirement rather than by test file, and writes conformance.json,
 * conformance.md, conformance.html and junit.xml (see reporters/README.md for the formats and the
 * verdict rules, aggregate.ts for the rules in code).
 *
 *   vitest run --project conformance --reporter=./reporters/conformance-reporter.ts
 *   vitest --merge-reports --reporter=./reporters/conformance-reporter.ts    (after sharded blob runs)
 *   new ConformanceReporter({ reportDir: 'out' })                            (programmatic)
 *
 * Everything is decided in onTestRunEnd from the TestModules vitest hands over, which are the same
 * objects in a live run and in a merge of blobs, so a sharded run yields the same matrix as an
 * unsharded one. The reporter never throws away a run: if building the report fails, it still
 * writes every file with verdict `error` and the reason.
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import type { Reporter, SerializedError, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import { ledger } from '../specs/index.ts';
import { RUN_INFO_ENV } from '../contract/outcome-types.ts';
import { buildReportBody, type CollectedRun } from './aggregate.ts';
import { collectRun, collectTest, runInfoFromModules } from './collect.ts';
import { finishHarRecording, harComment } from './har.ts';
import { redactText, secretsFromEnvironment } from '../contract/redact.ts';
import type { ConformanceReport, ConformanceReportBody } from './report-types.ts';
import { ReportSigner } from './sign.ts';
import { progressLine, summaryLines, type Style } from './render-terminal.ts';
import { resolveRunInfo } from './run-info.ts';
import { suiteInfo } from './suite-info.ts';
import { sealReport, writeReportFiles, type WrittenReport } from './write.ts';

export interface ConformanceReporterOptions {
  /** Where the files go; default $OSI_REPORT_DIR, else "reports" (relative to the working directory). */
  readonly reportDir?: string;
  /**
   * "quiet" writes the files but prints nothing: the suite CLI uses it when the run could not start
   * (the CLI then prints the one line that says why).
   */
  readonly terminal?: 'full' | 'quiet';
  /**
   * Checks run after the last test and before the report is built; each string returned is a run
   * problem (verdict "error" unless a MUST failed). The suite CLI checks here that the run left the
   * cloud as it found it. A check that throws becomes a problem too.
   */
  readonly runEndChecks?: () => Promise<readonly string[]>;
  /**
   * Report only on the test files of this vitest project (vitest.config.ts names "conformance", so
   * that `npx vitest run --project conformance` writes the matrix by default while the project's
   * own tests, run with the same config, get nothing from this reporter). Absent: every file.
   */
  readonly project?: string;
  /** Where the terminal output goes: stdout (default), or stderr when stdout carries JSON (--json). */
  readonly stream?: 'stdout' | 'stderr';
  /** A second place for exchanges.har (--har); default $OSI_HAR. */
  readonly har?: string | null;
  /** Signs the report (--sign-key); default: a signer from the key file $OSI_SIGN_KEY names, if set. */
  readonly signer?: ReportSigner | null;
  /** True when the caller writes exchanges.har itself (the suite CLI, after its cleanup). */
  readonly harByCaller?: boolean;
}

export default class ConformanceReporter implements Reporter {
  private readonly reportDir: string;
  private readonly quiet: boolean;
  private readonly runEndChecks: (() => Promise<readonly string[]>) | undefined;
  private readonly project: string | undefined;
  private readonly stream: 'stdout' | 'stderr';
  private readonly har: string | null;
  private readonly signer: ReportSigner | null;
  private readonly harByCaller: boolean;
  private vitest: Vitest | undefined;
  private runStartedAt = performance.now();
  /** The last report written, for programmatic callers. */
  lastWritten: WrittenReport | undefined;
  /**
   * The last report built, written or not: the suite CLI takes its exit code from this, never from
   * a file on disk (which may be an older run's when writing failed).
   */
  lastReport: ConformanceReport | undefined;
  /** Why the last report could not be written, when it could not. */
  writeError: string | undefined;

  constructor(options: ConformanceReporterOptions = {}) {
    this.reportDir = resolve(options.reportDir ?? process.env.OSI_REPORT_DIR ?? 'reports');
    this.quiet = options.terminal === 'quiet';
    this.runEndChecks = options.runEndChecks;
    this.project = options.project;
    this.stream = options.stream ?? 'stdout';
    const har = options.har === undefined ? process.env.OSI_HAR : options.har;
    this.har = har ? resolve(har) : null;
    this.harByCaller = options.harByCaller === true;
    const signKey = process.env.OSI_SIGN_KEY;
    // A key that cannot be used stops here, before the run, rather than after it.
    this.signer = options.signer !== undefined ? options.signer : signKey ? ReportSigner.fromFile(signKey) : null;
  }

  private mine(module: TestModule): boolean {
    return this.project === undefined || module.project.name === this.project;
  }

  private async runEndProblems(): Promise<string[]> {
    if (!this.runEndChecks) return [];
    try {
      return [...(await this.runEndChecks())];
    } catch (error) {
      return [`the run-end check failed: ${error instanceof Error ? error.message : String(error)}`];
    }
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.runStartedAt = performance.now();
  }

  onTestRunStart(): void {
    this.runStartedAt = performance.now();
  }

  private get merging(): boolean {
    return Boolean(this.vitest?.config.mergeReports);
  }

  private style(): Style {
    const out = this.stream === 'stderr' ? process.stderr : process.stdout;
    // Not a terminal (a CI log, a pipe): no colour, and titles are never cut.
    return { color: Boolean(out.isTTY) && !process.env.NO_COLOR, width: out.isTTY ? Math.max(60, out.columns ?? 100) : null };
  }

  private print(lines: readonly string[]): void {
    if (this.quiet) return;
    // Test names and titles could in principle carry a secret; what reaches a CI log is redacted too.
    const secrets = secretsFromEnvironment();
    const text = lines.map((line) => redactText(line, secrets)).join('\n');
    if (this.stream === 'stderr') process.stderr.write(`${text}\n`);
    else if (this.vitest) this.vitest.logger.log(text);
    else process.stdout.write(`${text}\n`);
  }

  onTestModuleEnd(module: TestModule): void {
    if (!this.mine(module)) return;
    const tests = [...module.children.allTests()].map((test) => collectTest(test));
    const outcomes = { pass: 0, fail: 0, error: 0, 'not-exercisable': 0 };
    for (const test of tests) for (const outcome of test.outcomes) outcomes[outcome.status] += 1;
    this.print([
      progressLine(
        {
          file: module.relativeModuleId,
          tests: tests.length,
          failedTests: tests.filter((t) => t.state === 'failed').length,
          skippedTests: tests.filter((t) => t.state === 'skipped').length,
          outcomes,
          durationMs: module.diagnostic().duration,
        },
        this.style(),
      ),
    ]);
  }

  async onTestRunEnd(allModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): Promise<void> {
    const modules = allModules.filter((m) => this.mine(m));
    // A run of other projects only (`npm test` with the shared config): nothing to report on.
    if (this.project !== undefined && modules.length === 0) return;
    const mode = this.merging ? 'merged' : 'run';
    const wallTimeMs = mode === 'merged' ? null : performance.now() - this.runStartedAt;
    const endProblems = await this.runEndProblems();
    const resolved = resolveRunInfo(process.env[RUN_INFO_ENV], runInfoFromModules(modules), RUN_INFO_ENV);
    let body: ConformanceReportBody;
    try {
      const run = collectRun(modules, { mode, unhandledErrors, interrupted: reason === 'interrupted', wallTimeMs });
      body = buildReportBody(ledger, resolved.runInfo, { ...run, problems: [...resolved.problems, ...run.problems, ...endProblems] }, suiteInfo());
    } catch (error) {
      // A reporter bug must not cost the run its report: say what happened, with verdict error.
      const problem = `the conformance reporter could not read the results: ${error instanceof Error ? error.message : String(error)}`;
      const empty: CollectedRun = {
        mode,
        testFiles: modules.length,
        tests: [],
        notes: [],
        durationMs: wallTimeMs ?? 0,
        problems: [...resolved.problems, ...endProblems, problem],
      };
      body = buildReportBody(ledger, resolved.runInfo, empty, suiteInfo());
    }
    const signer = this.signer;
    const range = resolved.runInfo?.microversionRange ?? null;
    const unsigned = sealReport(body);
    // The signature covers the sealed report's digest; resealing keeps it (write.ts sealReport).
    const sealed = signer ? { ...unsigned, signature: signer.sign(unsigned, range) } : unsigned;
    this.lastReport = sealed;
    this.writeError = undefined;
    try {
      this.lastWritten = writeReportFiles(sealed, this.reportDir);
    } catch (error) {
      // Never an unhandled error with a stack trace: the run's verdict stands in memory, and the
      // caller (the suite CLI) says in one line that the files could not be written.
      this.writeError = `the reports could not be written to ${this.reportDir}: ${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))}`;
    }
    // The suite CLI writes exchanges.har itself, after its cleanup, whose exchanges belong in it too.
    if (this.writeError === undefined && !this.harByCaller && !this.merging) {
      try {
        await finishHarRecording(this.reportDir, this.har, sealed.suite.version, harComment(sealed));
      } catch (error) {
        this.print([`exchanges.har could not be written: ${error instanceof Error ? error.message : String(error)}`]);
      }
    }
    this.print(summaryLines(sealed, this.writeError === undefined ? this.reportDir : `not written (${this.writeError})`, this.style()));
  }
}
