/**
 * Runs the synthetic fixture suites (tests/reporters/fixtures) in a child vitest with the conformance
 * reporter loaded by path, exactly as `vitest --reporter=./reporters/conformance-reporter.ts` would.
 * A child process keeps the inner run apart from the vitest running these tests.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceReport } from '../../reporters/report-types.ts';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIXTURES = join(PROJECT_ROOT, 'tests/reporters/fixtures');
const VITEST_BIN = join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs');
const REPORTER = join(PROJECT_ROOT, 'reporters/conformance-reporter.ts');

export function scratchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `reporter-${name}-`));
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FixtureConfig {
  /** Global setup that publishes RunInfo (false: none, as under --merge-reports). */
  readonly globalSetup?: boolean;
  /** The conformance reporter with this report directory (absent: no reporter in the config). */
  readonly reportDir?: string;
}

/** Writes a plain-object vitest config (no import of vitest/config: the file lives outside the project). */
export function writeFixtureConfig(dir: string, options: FixtureConfig): string {
  const test = {
    root: FIXTURES,
    include: ['suite/**/*.fixture-test.ts'],
    ...(options.globalSetup === false ? {} : { globalSetup: [join(FIXTURES, 'global-setup.ts')] }),
    setupFiles: [join(PROJECT_ROOT, 'reporters/run-info-setup.ts')],
    ...(options.reportDir === undefined ? {} : { reporters: [[REPORTER, { reportDir: options.reportDir }]] }),
  };
  const path = join(dir, `vitest.${options.globalSetup === false ? 'merge' : 'run'}.config.mjs`);
  // Vite's cache would otherwise land in tests/reporters/fixtures/node_modules.
  writeFileSync(path, `export default ${JSON.stringify({ cacheDir: join(dir, '.vite'), test }, null, 2)};\n`);
  return path;
}

/** Environment of the child: no RunInfo or report settings leak in from the outer run. */
function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['OSI_RUN_INFO', 'OSI_REPORT_DIR', 'GITHUB_STEP_SUMMARY', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'TEST'])
    delete env[name];
  return { ...env, ...extra };
}

export function runVitest(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [VITEST_BIN, ...args],
      { cwd: PROJECT_ROOT, env: childEnv(env), maxBuffer: 32 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

export interface ScenarioRun extends RunResult {
  readonly reportDir: string;
  readonly report: ConformanceReport;
}

/** The planted environment secret of support.ts, given to every child as OSI_TOKEN. */
export const ENV_TOKEN = 'envtoken-5566778899-planted';

export async function runScenario(scenario: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<ScenarioRun> {
  const dir = scratchDir(scenario);
  const reportDir = join(dir, 'report');
  const config = writeFixtureConfig(dir, { reportDir });
  const result = await runVitest(['run', '--config', config], { REPORTER_FIXTURE_SCENARIO: scenario, OSI_TOKEN: ENV_TOKEN, ...extraEnv });
  let report: ConformanceReport;
  try {
    report = JSON.parse(readFileSync(join(reportDir, 'conformance.json'), 'utf8')) as ConformanceReport;
  } catch (error) {
    throw new Error(`no report from scenario ${scenario} (exit ${result.code}): ${String(error)}\n${result.stdout}\n${result.stderr}`);
  }
  return { ...result, reportDir, report };
}

/** Every file below a directory, as path → text. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, readFileSync(path, 'utf8'));
    }
  }
  return files;
}

export function statusById(report: Pick<ConformanceReport, 'requirements'>): Record<string, string> {
  return Object.fromEntries(report.requirements.map((r) => [r.id, r.status]));
}

export function requirement(report: ConformanceReport, id: string): ConformanceReport['requirements'][number] {
  const found = report.requirements.find((r) => r.id === id);
  if (!found) throw new Error(`${id} not in report`);
  return found;
}
