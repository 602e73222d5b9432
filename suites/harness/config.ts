/**
 * Reading a run's configuration from the environment (the CLI turns flags into these variables, and
 * plain `npx vitest run --project conformance` reads them directly), with one clear error per
 * mistake. Secrets are checked for presence only: no error message ever quotes one.
 */
import { accessSync, constants } from 'node:fs';
import { ledger } from '../../specs/index.ts';
import { isUuidShaped } from '../../specs/formats/uuid.ts';
import { isMicroversion } from '../../specs/derive/microversions.ts';
import { OPTION_SPECS, type OptionFlag } from './options.ts';
import { selectionProblem, type Selection } from '../../contract/selection.ts';

/** What is tested: the embedded fake cloud, a compute URL with a token, or a cloud from clouds.yaml / OS_*. */
export type TargetMode = 'embedded' | 'given' | 'cloud';

/** The cloud to read from clouds.yaml or OS_* (suites/cloud/clouds-yaml.ts), with the flags that override it. */
export interface CloudSelection {
  /** --os-cloud / OS_CLOUD; null: the OS_* variables (or the file's only cloud). */
  readonly name: string | null;
  readonly regionName: string | null;
  readonly interface: string | null;
}

export interface SuiteConfig {
  readonly mode: TargetMode;
  readonly target: string | null;
  /** Set in cloud mode. */
  readonly cloud: CloudSelection | null;
  readonly provision: boolean;
  readonly flavor: string | null;
  readonly image: string | null;
  readonly bootTimeoutS: number;
  /** A ledger to clean up instead of running (--cleanup-only). */
  readonly cleanupOnly: string | null;
  readonly cacert: string | null;
  /** Null when not given (the cloud's own setting then applies). */
  readonly insecure: boolean | null;
  readonly concurrency: number;
  /** Requests per second as given (0 for no limit); null: the default for the target (see rateLimitFor). */
  readonly maxRps: number | null;
  readonly retries: number;
  /** Whole-run deadline; a cloud or --target gets DEFAULT_REMOTE_DEADLINE_S when none is given. */
  readonly deadlineS: number | null;
  /** True when deadlineS is the default, not --deadline-s: the report says which cut the run short. */
  readonly deadlineIsDefault: boolean;
  /** How long one detach (or an attach's showing in the list) is waited for, with backoff. */
  readonly detachTimeoutS: number;
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
  /** A second place for exchanges.har (--har), or null. */
  readonly har: string | null;
  /** A reference run to compare with after the run (a directory or a shipped name), or null. */
  readonly reference: string | null;
  /** Ed25519 private key (PEM file) that signs the report, or null. */
  readonly signKey: string | null;
  readonly profile: 'document' | 'nova';
  readonly faults: readonly string[];
  /** --only / --skip: the requirements the run judges. */
  readonly selection: Selection;
  /** --require-all: a MUST that is not judged is an error. */
  readonly requireAll: boolean;
  /** --json: the summary as JSON on stdout, the human output on stderr. */
  readonly json: boolean;
}

/** The polite default rate for a shared cloud (requests started per second). */
export const DEFAULT_REMOTE_MAX_RPS = 10;
/** No run against a cloud or --target goes on forever: 30 minutes unless --deadline-s says otherwise. */
export const DEFAULT_REMOTE_DEADLINE_S = 1800;
/** A real cloud detaches in seconds (Nova casts it to nova-compute); a minute is a generous bound. */
export const DEFAULT_DETACH_TIMEOUT_S = 60;
/**
 * Cases per generated scenario against a cloud or --target, unless --runs says otherwise: the
 * smallest --runs that flagged as many of the self-test's faulty variants as --runs 100 did
 * (BENCHMARKS.md, "Which --runs a remote cloud needs"), at a fraction of the requests. The embedded
 * fake cloud keeps 100: its requests cost microseconds.
 */
export const DEFAULT_REMOTE_RUNS = 3;
const EMBEDDED_RUNS = 100;
/** The embedded fake cloud detaches at once: its bound only has to cover a loaded machine. */
const EMBEDDED_DETACH_TIMEOUT_S = 2;

/** True for a URL whose host is a loopback address (127.0.0.0/8, ::1) or localhost. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The rate limit that applies to a run whose compute endpoint is `computeUrl`, and why: --max-rps
 * when given; none for the embedded fake cloud or a loopback target (nobody else shares it, and
 * at 10 requests/s a default run on loopback took minutes); the polite default for a remote one.
 */
export function rateLimitFor(config: Pick<SuiteConfig, 'maxRps' | 'mode'>, computeUrl: string | null): { maxRps: number; applied: string } {
  if (config.maxRps !== null)
    return { maxRps: config.maxRps, applied: config.maxRps === 0 ? 'no rate limit (--max-rps 0)' : `at most ${config.maxRps} requests/s (--max-rps)` };
  if (config.mode === 'embedded') return { maxRps: 0, applied: 'no rate limit (the embedded fake cloud)' };
  if (computeUrl !== null && isLoopbackUrl(computeUrl)) return { maxRps: 0, applied: 'no rate limit (a loopback target; --max-rps sets one)' };
  return { maxRps: DEFAULT_REMOTE_MAX_RPS, applied: `at most ${DEFAULT_REMOTE_MAX_RPS} requests/s (the default for a remote target; --max-rps changes it)` };
}

/** A usage or configuration mistake: the CLI prints the message alone and exits 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

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
  if (!/^-?\d+$/.test(value)) throw new ConfigError(`--${flag} must be a whole number between ${min} and ${max}, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function booleanFlag(env: Env, flag: OptionFlag): boolean | null {
  const value = raw(env, flag);
  if (value === null) return null;
  if (/^(true|1|yes|on)$/i.test(value)) return true;
  if (/^(false|0|no|off)$/i.test(value)) return false;
  throw new ConfigError(`--${flag} is a switch: give it without a value, or set ${envName(flag)} to true or false (got "${value}")`);
}

function readableFile(env: Env, flag: OptionFlag): string | null {
  const value = raw(env, flag);
  if (value === null) return null;
  try {
    accessSync(value, constants.R_OK);
  } catch (error) {
    throw new ConfigError(`--${flag} ${value} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return value;
}

/**
 * A cloud is asked for by --os-cloud / OS_CLOUD, or by OS_AUTH_URL in the environment (the
 * openstack client's way). --target names the target another way: with --os-cloud too it is a
 * mistake; beside an OS_AUTH_URL left in the environment, --target wins.
 */
function modeOf(env: Env, target: string | null): TargetMode {
  const named = raw(env, 'os-cloud') !== null;
  if (target !== null) {
    if (named) throw new ConfigError('--target and --os-cloud both name the target: give one of them');
    return 'given';
  }
  const authUrl = env.OS_AUTH_URL;
  return named || (authUrl !== undefined && authUrl.trim() !== '') ? 'cloud' : 'embedded';
}

function list(env: Env, flag: OptionFlag): string[] {
  const value = raw(env, flag);
  return value === null
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
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
  if (value !== null && !isUuidShaped(value)) throw new ConfigError(`--${flag} must be a UUID, got "${value}"`);
  return value;
}

export function readConfig(env: Env): SuiteConfig {
  const microversion = raw(env, 'microversion') ?? '2.1';
  if (microversion !== 'latest' && !isMicroversion(microversion))
    throw new ConfigError(`--microversion must look like 2.1, 2.70 or latest, got "${microversion}"`);
  const profile = raw(env, 'profile') ?? 'document';
  if (profile !== 'document' && profile !== 'nova') throw new ConfigError(`--profile must be "document" or "nova", got "${profile}"`);
  const portIds = list(env, 'port-id');
  for (const id of portIds) if (!isUuidShaped(id)) throw new ConfigError(`--port-id must be a UUID, got "${id}"`);
  const target = httpUrl(env, 'target');
  const mode = modeOf(env, target);
  const deadlineGiven = raw(env, 'deadline-s') !== null;
  const deadlineS = deadlineGiven ? integer(env, 'deadline-s', 0, 10, 7 * 24 * 3600) : mode === 'embedded' ? null : DEFAULT_REMOTE_DEADLINE_S;
  const config: SuiteConfig = {
    mode,
    target,
    cloud: mode === 'cloud' ? { name: raw(env, 'os-cloud'), regionName: raw(env, 'os-region-name'), interface: raw(env, 'os-interface') } : null,
    provision: booleanFlag(env, 'provision') ?? false,
    flavor: raw(env, 'flavor'),
    image: raw(env, 'image'),
    bootTimeoutS: integer(env, 'boot-timeout-s', 300, 5, 7200),
    cleanupOnly: raw(env, 'cleanup-only'),
    cacert: readableFile(env, 'cacert'),
    insecure: booleanFlag(env, 'insecure'),
    concurrency: integer(env, 'concurrency', 1, 1, 64),
    // Null: decided by the target (rateLimitFor), once its compute endpoint is known.
    maxRps: raw(env, 'max-rps') === null ? null : integer(env, 'max-rps', 0, 0, 10_000),
    retries: integer(env, 'retries', 3, 0, 20),
    deadlineS,
    deadlineIsDefault: !deadlineGiven && deadlineS !== null,
    detachTimeoutS: integer(env, 'detach-timeout-s', mode === 'embedded' ? EMBEDDED_DETACH_TIMEOUT_S : DEFAULT_DETACH_TIMEOUT_S, 1, 3600),
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
    runs: integer(env, 'runs', mode === 'embedded' ? EMBEDDED_RUNS : DEFAULT_REMOTE_RUNS, 1, 1_000_000),
    seed: integer(env, 'seed', Math.floor(Math.random() * 0x7fffffff), -0x80000000, 0x7fffffff),
    timeoutMs: integer(env, 'timeout-ms', 10_000, 100, 600_000),
    reportDir: raw(env, 'report-dir') ?? 'reports',
    har: raw(env, 'har'),
    reference: raw(env, 'reference'),
    signKey: raw(env, 'sign-key'),
    profile,
    faults: list(env, 'fault'),
    selection: { only: list(env, 'only'), skip: list(env, 'skip') },
    requireAll: booleanFlag(env, 'require-all') ?? false,
    json: booleanFlag(env, 'json') ?? false,
  };
  const selectionError = selectionProblem(config.selection, ledger.requirements);
  if (selectionError !== null) throw new ConfigError(selectionError);
  if (mode !== 'embedded' && (config.faults.length > 0 || raw(env, 'profile') !== null)) {
    throw new ConfigError(
      `--fault and --profile apply to the embedded fake cloud only; drop them or drop ${mode === 'given' ? '--target' : 'the cloud (--os-cloud / OS_*)'}`,
    );
  }
  if (config.cleanupOnly !== null) {
    if (mode === 'embedded')
      throw new ConfigError('--cleanup-only needs the credentials of the cloud the ledger belongs to (--os-cloud or OS_*, or --target with --token)');
    if (mode === 'given' && config.token === null) throw new ConfigError('--cleanup-only with --target needs --token');
    return config;
  }
  if (config.provision) {
    if (mode !== 'cloud')
      throw new ConfigError('--provision works with a cloud (--os-cloud or OS_* variables), whose catalog gives the network and image endpoints');
    if (config.serverId !== null || portIds.length > 0 || config.netId !== null)
      throw new ConfigError('--provision creates the server, ports and network itself: drop --server-id, --port-id and --net-id, or drop --provision');
  } else if (config.flavor !== null || config.image !== null) {
    throw new ConfigError('--flavor and --image choose what --provision boots: add --provision, or drop them');
  }
  if (mode === 'given') {
    if (config.token === null) throw new ConfigError('--target needs --token (a Keystone token of a project member)');
    if (config.serverId === null) throw new ConfigError('--target needs --server-id (an ACTIVE server the suite may attach to)');
  }
  if (mode === 'cloud' && config.token !== null) {
    throw new ConfigError('--token goes with --target; with a cloud the suite authenticates itself (for token auth set OS_TOKEN, or token: in clouds.yaml)');
  }
  if (mode === 'cloud' && !config.provision && config.serverId === null) {
    throw new ConfigError(
      'a cloud is configured (--os-cloud or OS_*): add --provision to let the suite create what it needs, or --server-id (with --port-id and --net-id) to use what exists',
    );
  }
  return config;
}

/**
 * The conformance tests' timeout: a safety net, never the bound that decides. Every wait inside a
 * test (a request's timeout, --detach-timeout-s) must be shorter than it, and the run's deadline
 * bounds the whole run, so a test may last as long as the deadline allows (two minutes at least).
 */
export function conformanceTestTimeoutMs(env: Env): number {
  const FLOOR_MS = 120_000;
  try {
    const config = readConfig(env);
    return Math.max(FLOOR_MS, (config.deadlineS ?? 0) * 1000, 4 * (config.detachTimeoutS * 1000 + config.timeoutMs));
  } catch {
    // A configuration mistake is reported by global setup; the timeout only has to be sane.
    return FLOOR_MS;
  }
}
