/**
 * What a run needs for certification, settled before it starts (so a bad key or a missing
 * reference costs one line and exit 2, not a whole run): the signer (--sign-key) and the reference
 * run (--reference), whose seed and runs the run adopts unless given, so that the two can be
 * compared case by case.
 *
 * Shipped reference runs live in fixtures/reference-runs/NAME/ (conformance.json and
 * exchanges.har); `--reference NAME` finds them by name, anything else is a directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../suites/harness/config.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
export const REFERENCE_RUNS_DIR = path.join(PROJECT_ROOT, 'fixtures/reference-runs');
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The reference runs shipped with the suite, by name. */
export function shippedReferenceRuns(): string[] {
  try {
    return readdirSync(REFERENCE_RUNS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(REFERENCE_RUNS_DIR, d.name, 'conformance.json')))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** The directory of a reference run given by name or path; one line when there is none. */
export function resolveReference(given: string): string {
  if (existsSync(path.join(given, 'conformance.json'))) return path.resolve(given);
  if (given.endsWith('.json') && existsSync(given)) return path.resolve(path.dirname(given));
  if (NAME.test(given)) {
    const shipped = path.join(REFERENCE_RUNS_DIR, given);
    if (existsSync(path.join(shipped, 'conformance.json'))) return shipped;
  }
  const names = shippedReferenceRuns();
  throw new ConfigError(
    `--reference ${given}: no such reference run (neither a directory with conformance.json nor a shipped name; shipped: ${names.length > 0 ? names.join(', ') : 'none yet'})`,
  );
}

/**
 * With --reference and no --seed / --runs, the run takes the reference's, so that it sends the
 * same cases; an explicit --seed that differs is kept, and the diff then refuses with one line.
 */
export function adoptReferenceSettings(env: NodeJS.ProcessEnv): void {
  const given = env.OSI_REFERENCE;
  if (!given) return;
  const dir = resolveReference(given);
  let report: { seed?: unknown; runs?: unknown };
  try {
    report = JSON.parse(readFileSync(path.join(dir, 'conformance.json'), 'utf8')) as { seed?: unknown; runs?: unknown };
  } catch {
    throw new ConfigError(`--reference ${given}: ${path.join(dir, 'conformance.json')} is not readable JSON`);
  }
  if (env.OSI_SEED === undefined && typeof report.seed === 'number') env.OSI_SEED = String(report.seed);
  if (env.OSI_RUNS === undefined && typeof report.runs === 'number') env.OSI_RUNS = String(report.runs);
}
