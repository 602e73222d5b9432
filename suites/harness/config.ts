/**
 * Reading a run's configuration from the environment (the CLI turns flags into these variables, and
 * plain `npx vitest run --project conformance` reads them directly), with one clear error per
 * mistake. Secrets are checked for presence only: no error message ever quotes one.
 */
import { OPTION_SPECS, type OptionFlag } from './options.ts';

export interface SuiteConfig {
  readonly target: string | null;
  readonly token: string | null;
  readonly projectId: string | null;
  readonly serverId: string | null;
  readonly portIds: readonly string[];
  readonly netId: string | null;
  readonly networkUrl: string | null;
  readonly altToken: string | null;
  readonly readerToken: string | null;
  readonly controlUrl: string | null;
  readonly controlToken: string | null;
  readonly microversion: string;
  readonly runs: number;
  /** Chosen at random when not given, and printed, so every run can be replayed. */
  readonly seed: number;
  readonly timeoutMs: number;
  readonly reportDir: string;
  readonly profile: 'document' | 'nova';
  readonly faults: readonly string[];
}

/** A usage or configuration mistake: the CLI prints the message alone and exits 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const MICROVERSION = /^([1-9]\d*)\.([1-9]\d*|0)$|^latest$/;
const UUID_LIKE = /^[0-9a-fA-F-]{32,36}$/;

type Env = Readonly<Record<string, string | undefined>>;

function envName(flag: OptionFlag): string {
  const spec = OPTION_SPECS.find((o) => o.flag === flag);
  if (!spec) throw new Error(`unknown option ${flag}`);
  return spec.env;
}

function raw(env: Env, flag: OptionFlag): string | null {
  const value = env[envName(flag)];
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function integer(env: Env, flag: OptionFlag, fallback: number, min: number, max: number): number {
  const value = raw(env, flag);
  if (value === null) return fallback;
  if (!/^-?\d+$/.test(value)) throw new ConfigError(`--${flag} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function list(env: Env, flag: OptionFlag): string[] {
  const value = raw(env, flag);
  return value === null ? [] : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function httpUrl(env: Env, flag: OptionFlag): string | null {
  const value = raw(env, flag);
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--${flag} is not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--${flag} must be an http or https URL, got "${url.protocol}"`);
  if (url.username || url.password) throw new ConfigError(`--${flag} must not carry credentials; pass the token with --token`);
  return value.replace(/\/+$/, '');
}

function uuidLike(env: Env, flag: OptionFlag): string | null {
  const value = raw(env, flag);
  if (value !== null && !UUID_LIKE.test(value)) throw new ConfigError(`--${flag} must be a UUID, got "${value}"`);
  return value;
}

export function readConfig(env: Env): SuiteConfig {
  const microversion = raw(env, 'microversion') ?? '2.1';
  if (!MICROVERSION.test(microversion)) throw new ConfigError(`--microversion must look like 2.1, 2.70 or latest, got "${microversion}"`);
  const profile = raw(env, 'profile') ?? 'document';
  if (profile !== 'document' && profile !== 'nova') throw new ConfigError(`--profile must be "document" or "nova", got "${profile}"`);
  const portIds = list(env, 'port-id');
  for (const id of portIds) if (!UUID_LIKE.test(id)) throw new ConfigError(`--port-id must be a UUID, got "${id}"`);
  const target = httpUrl(env, 'target');
  const config: SuiteConfig = {
    target,
    token: raw(env, 'token'),
    projectId: raw(env, 'project-id'),
    serverId: uuidLike(env, 'server-id'),
    portIds,
    netId: uuidLike(env, 'net-id'),
    networkUrl: httpUrl(env, 'network-url'),
    altToken: raw(env, 'alt-token'),
    readerToken: raw(env, 'reader-token'),
    controlUrl: httpUrl(env, 'control-url'),
    controlToken: raw(env, 'control-token'),
    microversion,
    runs: integer(env, 'runs', 100, 1, 1_000_000),
    seed: integer(env, 'seed', Math.floor(Math.random() * 0x7fffffff), -0x80000000, 0x7fffffff),
    timeoutMs: integer(env, 'timeout-ms', 10_000, 100, 600_000),
    reportDir: raw(env, 'report-dir') ?? 'reports',
    profile,
    faults: list(env, 'fault'),
  };
  if (target !== null) {
    if (config.token === null) throw new ConfigError('--target needs --token (a Keystone token of a project member)');
    if (config.serverId === null) throw new ConfigError('--target needs --server-id (an ACTIVE server the suite may attach to)');
    if (config.faults.length > 0 || raw(env, 'profile') !== null) throw new ConfigError('--fault and --profile apply to the embedded fake cloud only; drop them or drop --target');
  }
  return config;
}
