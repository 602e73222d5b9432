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
import { RUN_INFO_ENV } from '../suites/harness/outcome-types.ts';
import { buildReportBody, type CollectedRun } from './aggregate.ts';
import { collectRun, collectTest, runInfoFromModules } from './collect.ts';
import { redactText, secretsFromEnvironment } from './redact.ts';
import type { ConformanceReportBody } from './report-types.ts';
import { progressLine, summaryLines, type Style } from './render-terminal.ts';
import { resolveRunInfo } from './run-info.ts';
import { suiteInfo } from './suite-info.ts';
import { writeReportFiles, type WrittenReport } from './write.ts';

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
}

export default class ConformanceReporter implements Reporter {
  private readonly reportDir: string;
  private readonly quiet: boolean;
  private readonly runEndChecks: (() => Promise<readonly string[]>) | undefined;
  private vitest: Vitest | undefined;
  private runStartedAt = performance.now();
  /** The last report written, for programmatic callers (the suite CLI reads the verdict from it). */
  lastWritten: WrittenReport | undefined;

  constructor(options: ConformanceReporterOptions = {}) {
    this.reportDir = resolve(options.reportDir ?? process.env.OSI_REPORT_DIR ?? 'reports');
    this.quiet = options.terminal === 'quiet';
    this.runEndChecks = options.runEndChecks;
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
    return { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, width: Math.max(60, process.stdout.columns ?? 100) };
  }

  private print(lines: readonly string[]): void {
    if (this.quiet) return;
    // Test names and titles could in principle carry a secret; what reaches a CI log is redacted too.
    const secrets = secretsFromEnvironment();
    const text = lines.map((line) => redactText(line, secrets)).join('\n');
    if (this.vitest) this.vitest.logger.log(text);
    else process.stdout.write(`${text}\n`);
  }

  onTestModuleEnd(module: TestModule): void {
    const tests = [...module.children.allTests()].map((test) => collectTest(test));
    const outcomes = { pass: 0, fail: 0, error: 0, 'not-exercisable': 0 };
    for (const test of tests) for (const outcome of test.outcomes) outcomes[outcome.status] += 1;
    this.print([progressLine({
      file: module.relativeModuleId,
      tests: tests.length,
      failedTests: tests.filter((t) => t.state === 'failed').length,
      skippedTests: tests.filter((t) => t.state === 'skipped').length,
      outcomes,
      durationMs: module.diagnostic().duration,
    }, this.style())]);
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): Promise<void> {
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
      const empty: CollectedRun = { mode, testFiles: modules.length, tests: [], notes: [], durationMs: wallTimeMs ?? 0, problems: [...resolved.problems, ...endProblems, problem] };
      body = buildReportBody(ledger, resolved.runInfo, empty, suiteInfo());
    }
    const written = writeReportFiles(body, this.reportDir);
    this.lastWritten = written;
    this.print(summaryLines(written.report, this.reportDir, this.style()));
  }
}
