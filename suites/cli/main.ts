/**
 * `npm run conformance -- [options]`: runs the conformance suites against a target (or the embedded
 * fake cloud) and writes the reports. Also `verify FILE` and `matrix FILE...`.
 *
 * Exit codes: 0 every MUST requirement passed; 1 a MUST failed (or the run could not judge one);
 * 2 usage or configuration error, or a target that cannot be reached. Errors are one line on
 * stderr, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, readConfig } from '../harness/config.ts';
import { OPTIONS } from '../harness/options.ts';
import { setPreparedTarget } from '../harness/prepared.ts';
import { resolveTarget, startEmbeddedCloud, type EmbeddedCloudHandle } from '../harness/target.ts';
import { faults } from '../../fixtures/fake-cloud/faults.ts';
import { helpText } from './help.ts';

class UsageError extends Error {}

/** Turns flags into the OSI_* variables global setup reads, so flags and variables are one path. */
function flagsToEnvironment(args: readonly string[]): { command: string | null; positionals: string[]; help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { help: { type: 'boolean' } };
  for (const spec of OPTIONS) options[spec.flag] = spec.kind === 'boolean' ? { type: 'boolean' } : { type: 'string', ...(spec.kind === 'list' ? { multiple: true } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
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
  return { command, positionals, help: parsed.values.help === true };
}

async function runSuites(): Promise<number> {
  const config = readConfig(process.env);
  for (const name of config.faults) {
    if (!faults.some((f) => f.name === name)) throw new ConfigError(`--fault ${name} is not a fault of the fake cloud (npm run fake-cloud -- --list-faults)`);
  }
  process.env.OSI_REPORT_DIR = config.reportDir;
  // Seeds are chosen once, here, so the printed seed is the one every worker uses.
  process.env.OSI_SEED = String(config.seed);
  let handle: EmbeddedCloudHandle | null = null;
  try {
    const resolved = await resolveTarget(config, startEmbeddedCloud);
    handle = resolved.handle;
    setPreparedTarget(resolved.handoff);
    const { startVitest } = await import('vitest/node');
    const { default: ConformanceReporter } = await import('../../reporters/conformance-reporter.ts');
    const vitest = await startVitest('test', [], {
      project: ['conformance'],
      watch: false,
      reporters: [new ConformanceReporter({ reportDir: config.reportDir, terminal: resolved.handoff.ok ? 'full' : 'quiet' })],
    });
    await vitest.close();
    const verdict = await readVerdict(config.reportDir);
    if (!resolved.handoff.ok) {
      process.stderr.write(`conformance: error: ${resolved.handoff.setupError}\n`);
      return 2;
    }
    return verdict === 'conformant' ? 0 : 1;
  } finally {
    await handle?.close();
  }
}

async function readVerdict(reportDir: string): Promise<string> {
  const file = path.join(reportDir, 'conformance.json');
  try {
    const report = JSON.parse(await readFile(file, 'utf8')) as { verdict?: { value?: unknown } | unknown };
    const verdict = report.verdict;
    if (typeof verdict === 'string') return verdict;
    if (typeof verdict === 'object' && verdict !== null && typeof (verdict as { value?: unknown }).value === 'string') return String((verdict as { value: string }).value);
    return 'error';
  } catch {
    return 'error';
  }
}

async function main(args: readonly string[]): Promise<number> {
  const { command, positionals, help } = flagsToEnvironment(args);
  if (help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (command === null) return runSuites();
  const reporterCli = await import('../../reporters/cli-commands.ts');
  if (command === 'verify') {
    if (positionals.length !== 1) throw new UsageError('verify takes one file: conformance verify reports/conformance.json');
    return reporterCli.verifyCommand(positionals[0] ?? '');
  }
  if (command === 'matrix') {
    if (positionals.length < 1) throw new UsageError('matrix takes one or more conformance.json files');
    return reporterCli.matrixCommand(positionals, process.env.OSI_REPORT_DIR ?? 'reports/matrix');
  }
  throw new UsageError(`unknown command "${command}" (commands: verify, matrix; see --help)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof ConfigError;
    process.stderr.write(`conformance: ${usage ? '' : 'error: '}${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
