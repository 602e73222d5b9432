/**
 * Finding the run's RunInfo, in a normal run and under `vitest --merge-reports`.
 *
 * In a normal run the conformance global setup puts RunInfo, as JSON, in process.env[OSI_RUN_INFO]
 * of the main process, where the reporter lives. Under --merge-reports no global setup runs, and
 * the shards may have run on other machines: the only thing that travels from a shard to the merge
 * is its blob, i.e. the task tree with its `meta`. So RunInfo also travels as module meta:
 * reporters/run-info-setup.ts (a vitest `setupFiles` entry) copies the variable, which workers
 * inherit from the main process, into `meta.runInfo` of every test file. The reporter takes the
 * environment first, then module meta.
 *
 * A file next to the blobs was rejected: vitest refuses a merge directory that holds anything but
 * blobs, and a separate file can be lost or mixed up between CI jobs where the blob cannot.
 *
 * Several copies (one per shard) must agree on what was tested; if they do not, the merged report
 * would mix runs, so that is a problem that makes the verdict `error`.
 */
import type { RunInfo } from '../contract/outcome-types.ts';
import { isObject } from './shapes.ts';

/** Key of module meta under which RunInfo travels (see run-info-setup.ts). */
export const RUN_INFO_META_KEY = 'runInfo';

export interface ResolvedRunInfo {
  readonly runInfo: RunInfo | null;
  readonly problems: readonly string[];
}

/** Checks the shape, since RunInfo crosses process boundaries as untyped JSON. */
export function asRunInfo(value: unknown): RunInfo | null {
  if (!isObject(value)) return null;
  const {
    suiteVersion,
    target,
    targetKind,
    microversion,
    seed,
    runs,
    startedAt,
    document,
    setupError,
    selection,
    requireAll,
    microversionRange,
    offered,
    limits,
  } = value;
  if (typeof suiteVersion !== 'string' || typeof target !== 'string' || typeof targetKind !== 'string') return null;
  if (typeof microversion !== 'string' || typeof startedAt !== 'string') return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || typeof runs !== 'number' || !Number.isInteger(runs)) return null;
  if (!isObject(document) || typeof document.name !== 'string' || typeof document.sha256 !== 'string') return null;
  if (setupError !== undefined && typeof setupError !== 'string') return null;
  if (requireAll !== undefined && typeof requireAll !== 'boolean') return null;
  if (offered !== undefined && !(Array.isArray(offered) && offered.every((s) => typeof s === 'string'))) return null;
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (selection !== undefined && (!isObject(selection) || !strings(selection.only) || !strings(selection.skip))) return null;
  const range = isObject(microversionRange)
    ? {
        min: typeof microversionRange.min === 'string' ? microversionRange.min : null,
        max: typeof microversionRange.max === 'string' ? microversionRange.max : null,
      }
    : undefined;
  return {
    suiteVersion,
    target,
    targetKind,
    microversion,
    seed,
    runs,
    startedAt,
    document: { name: document.name, sha256: document.sha256 },
    ...(range === undefined ? {} : { microversionRange: range }),
    ...(setupError === undefined ? {} : { setupError }),
    ...(selection === undefined ? {} : { selection: { only: [...(selection.only as string[])], skip: [...(selection.skip as string[])] } }),
    ...(requireAll === undefined ? {} : { requireAll }),
    ...(offered === undefined ? {} : { offered: [...(offered as string[])] }),
    ...(typeof limits === 'string' ? { limits } : {}),
  };
}

export function parseRunInfo(json: string): RunInfo | null {
  try {
    return asRunInfo(JSON.parse(json));
  } catch {
    return null;
  }
}

/** The facts that must be equal in every copy of one run's RunInfo. */
const MUST_AGREE = ['target', 'targetKind', 'microversion', 'seed', 'runs', 'suiteVersion'] as const;

export function resolveRunInfo(envValue: string | undefined, fromMeta: readonly unknown[], envName: string): ResolvedRunInfo {
  const problems: string[] = [];
  const copies: RunInfo[] = [];
  if (envValue !== undefined && envValue !== '') {
    const parsed = parseRunInfo(envValue);
    if (parsed) copies.push(parsed);
    else problems.push(`${envName} is set but is not a valid RunInfo JSON object`);
  }
  for (const value of fromMeta) {
    const parsed = asRunInfo(value);
    if (parsed) copies.push(parsed);
    else problems.push('a test file carries a malformed meta.runInfo');
  }
  const first = copies[0];
  if (first === undefined) {
    problems.push(
      `no RunInfo: neither ${envName} nor meta.runInfo of any test file was set, so target, microversion and seed are unknown (did the global setup run? under --merge-reports, is reporters/run-info-setup.ts in setupFiles?)`,
    );
    return { runInfo: null, problems };
  }

  for (const field of MUST_AGREE) {
    const values = new Set(copies.map((c) => String(c[field])));
    if (values.size > 1) problems.push(`the shards disagree on ${field} (${[...values].sort().join(' / ')}); their results cannot be merged into one report`);
  }
  const documents = new Set(copies.map((c) => c.document.sha256));
  if (documents.size > 1) problems.push(`the shards disagree on the document hash (${[...documents].sort().join(' / ')})`);

  const setupErrors = [...new Set(copies.flatMap((c) => (c.setupError === undefined ? [] : [c.setupError])))];
  const startedAt = copies.map((c) => c.startedAt).sort()[0] ?? first.startedAt;
  const runInfo: RunInfo = {
    ...first,
    startedAt,
    ...(setupErrors.length > 0 ? { setupError: setupErrors.join('; ') } : {}),
  };
  return { runInfo, problems };
}
