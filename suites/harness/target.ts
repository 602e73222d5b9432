/**
 * Turning a configuration into a target the suites can use: start the embedded fake cloud when no
 * target is given, or connect to a cloud from clouds.yaml / OS_* (Keystone, catalog), split the
 * compute URL into its base and project segment, read the version document (reachability,
 * microversion range, the run's microversion chosen inside it) and find the network's IPv4 subnet.
 *
 * Runs in the CLI process (or vitest's main process, from global setup). The result crosses to the
 * test workers through `provide`, so it is plain data; it holds tokens and, for a cloud, the
 * credentials that renew them. Nothing here prints or writes it.
 */
import { startFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { compareMicroversions } from '../../specs/index.ts';
import { isProjectId } from '../../specs/formats/project-id.ts';
import { networkApi } from '../cloud/cloud-api.ts';
import { connectCloud, type CloudConnection } from '../cloud/connect.ts';
import type { CredentialHandoff } from '../cloud/credential.ts';
import { CloudAccessError, CloudConfigError } from '../cloud/errors.ts';
import { authSecrets } from '../cloud/keystone.ts';
import { DEFAULT_MANNERS, sharedManners, type MannerSettings } from '../cloud/manners.ts';
import { brokenAnswer, explainUnreachable } from '../cloud/unreachable.ts';
import { rateLimitFor, type SuiteConfig } from './config.ts';
import { HttpClient, type TlsSettings } from './http.ts';
import { Redactor, type SecretBinding } from './redact.ts';
import { SECRETS } from '../../contract/redact.ts';
import { judgeVersionDocument, type VersionRange } from './version-document.ts';

export interface SubnetInfo {
  readonly id: string;
  readonly cidr: string;
}

export interface ResolvedTarget {
  readonly kind: 'embedded' | 'given' | 'cloud';
  /** Shown in reports: the URL without credentials, and the fake cloud's profile and faults. */
  readonly description: string;
  /** Compute endpoint without the project segment, e.g. http://host/compute/v2.1. */
  readonly computeBase: string;
  /** Project id for the URL's project segment, when known. */
  readonly projectId: string | null;
  /** Whether the main scenarios put the project segment in their URLs (as the given target did). */
  readonly useProjectSegment: boolean;
  readonly token: string;
  readonly altToken: string | null;
  readonly readerToken: string | null;
  readonly controlUrl: string | null;
  readonly controlToken: string | null;
  readonly serverId: string;
  readonly portIds: readonly string[];
  readonly netId: string | null;
  readonly networkUrl: string | null;
  readonly subnet: SubnetInfo | null;
  readonly microversion: string;
  readonly minMicroversion: string | null;
  readonly maxMicroversion: string | null;
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  /** How long one detach, or an attachment's showing in the list, is waited for (--detach-timeout-s). */
  readonly detachTimeoutMs: number;
  /** The limits that applied, in words, for the run's first line and the report (rate, deadline). */
  readonly limits: string;
  /** A cloud's credentials, so that a test worker can renew the token on its own; null for a fixed token. */
  readonly credential: CredentialHandoff | null;
  readonly tls: TlsSettings;
  /** Concurrency, rate, retries and deadline of every request. */
  readonly manners: MannerSettings;
  /** Origins the token may go to (a cloud's catalog); null: anywhere the scenarios send it. */
  readonly allowedOrigins: readonly string[] | null;
  /** Where attachments are written down as they are made (a real cloud); null for the embedded cloud. */
  readonly ledgerPath: string | null;
  /** Names this run's resources and ledger lines. */
  readonly runId: string;
}

/** What global setup hands the tests: a target, or why there is none. */
export type TargetHandoff = { readonly ok: true; readonly target: ResolvedTarget } | { readonly ok: false; readonly setupError: string };

export function secretsOf(target: Pick<ResolvedTarget, 'token' | 'altToken' | 'readerToken' | 'controlToken'>): SecretBinding[] {
  const out: SecretBinding[] = [{ value: target.token, variable: SECRETS.token.variable }];
  if (target.altToken) out.push({ value: target.altToken, variable: SECRETS.altToken.variable });
  if (target.readerToken) out.push({ value: target.readerToken, variable: SECRETS.readerToken.variable });
  if (target.controlToken) out.push({ value: target.controlToken, variable: SECRETS.controlToken.variable });
  return out;
}

/** Every secret of a target, the credentials that renew its token included. */
export function allSecretsOf(target: Pick<ResolvedTarget, 'token' | 'altToken' | 'readerToken' | 'controlToken' | 'credential'>): SecretBinding[] {
  return [...secretsOf(target), ...(target.credential ? authSecrets(target.credential.auth) : [])];
}

const VERSION_SEGMENT = /^v2(\.1)?$/;

/**
 * Splits ".../v2.1/{project_id}" into base and project. A last segment counts as a project id when
 * it equals the given project id, or looks like one right after a version segment.
 */
export function splitComputeUrl(url: string, projectId: string | null): { base: string; projectFromUrl: string | null } {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/').filter((s) => s.length > 0);
  const last = segments.at(-1);
  const beforeLast = segments.at(-2);
  const isProject = last !== undefined && (last === projectId || (beforeLast !== undefined && VERSION_SEGMENT.test(beforeLast) && isProjectId(last)));
  if (!isProject) return { base: url.replace(/\/+$/, ''), projectFromUrl: null };
  parsed.pathname = `/${segments.slice(0, -1).join('/')}`;
  return { base: parsed.toString().replace(/\/+$/, ''), projectFromUrl: last };
}

export function describeUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  return parsed.toString().replace(/\/+$/, '');
}

/** Reads the compute version document: proves the target answers, is a compute endpoint, and gives the microversion range. */
async function readVersionDocument(client: HttpClient, base: string, token: string): Promise<VersionRange | string> {
  const { answer, record, transportCode } = await client.send({ method: 'GET', url: base, headers: { 'X-Auth-Token': token, Accept: 'application/json' } });
  if (!answer)
    return `${brokenAnswer(transportCode) ? 'target answered, but not with HTTP' : 'target unreachable'}: ${transportCode ? explainUnreachable(base, transportCode, record.transportError) : (record.transportError ?? 'no answer')} (${describeUrl(base)})`;
  return judgeVersionDocument(answer, describeUrl(base));
}

async function findSubnet(client: HttpClient, networkUrl: string, netId: string, token: string): Promise<SubnetInfo | null> {
  const base = networkApi(networkUrl);
  const { answer } = await client.send({ method: 'GET', url: `${base}/subnets?network_id=${encodeURIComponent(netId)}`, headers: { 'X-Auth-Token': token } });
  const subnets = (answer?.json as { subnets?: Array<{ id?: unknown; cidr?: unknown; ip_version?: unknown }> } | undefined)?.subnets;
  const v4 = subnets?.find((s) => s.ip_version === 4 && typeof s.id === 'string' && typeof s.cidr === 'string');
  return v4 ? { id: String(v4.id), cidr: String(v4.cidr) } : null;
}

export interface EmbeddedCloudHandle {
  close(): Promise<void>;
}

/**
 * The run's microversion inside the target's range: "latest" becomes the maximum (so the report
 * names a version), and a version outside the range is a configuration error rather than a run
 * whose every answer is 406.
 */
export function chooseMicroversion(requested: string, min: string | null, max: string | null): string {
  if (requested === 'latest') return max ?? 'latest';
  if (max !== null && compareMicroversions(requested, max) > 0)
    throw new CloudConfigError(
      `--microversion ${requested} is above the target's maximum ${max} (it supports ${min ?? '2.1'} to ${max}): choose one in that range, or latest`,
    );
  if (min !== null && compareMicroversions(requested, min) < 0) throw new CloudConfigError(`--microversion ${requested} is below the target's minimum ${min}`);
  return requested;
}

export interface ResolveOptions {
  /** Bounds of every request (the CLI sets the deadline); defaults to DEFAULT_MANNERS with the config's numbers. */
  readonly manners?: MannerSettings;
  /** Bounds of the connection the CLI keeps for provisioning and cleanup (a later deadline); default `manners`. */
  readonly connectionManners?: MannerSettings;
  readonly ledgerPath?: string | null;
  readonly runId?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The run's Manners settings from the configuration (deadline relative to now). */
export function mannersOf(config: SuiteConfig, deadlineAt: number | null, computeUrl: string | null = config.target): MannerSettings {
  return { ...DEFAULT_MANNERS, concurrency: config.concurrency, maxRps: rateLimitFor(config, computeUrl).maxRps, retries: config.retries, deadlineAt };
}

/** The run's limits in words: the rate that applied (and why) and the deadline. */
export function limitsOf(config: SuiteConfig, computeUrl: string | null): string {
  const deadline =
    config.deadlineS === null
      ? 'no deadline'
      : `deadline ${config.deadlineS} s${config.deadlineIsDefault ? ' (the default for a cloud or --target; --deadline-s changes it)' : ' (--deadline-s)'}`;
  return `${rateLimitFor(config, computeUrl).applied}; ${deadline}`;
}

export function newRunId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 8);
}

type PartialTarget = Omit<ResolvedTarget, 'minMicroversion' | 'maxMicroversion' | 'subnet'>;

/** What the command line gives about a cloud or a target: extra tokens, the control switch, the resources to use. */
function givenResources(
  config: SuiteConfig,
): Pick<ResolvedTarget, 'altToken' | 'readerToken' | 'controlUrl' | 'controlToken' | 'serverId' | 'portIds' | 'netId'> {
  return {
    altToken: config.altToken,
    readerToken: config.readerToken,
    controlUrl: config.controlUrl,
    controlToken: config.controlToken,
    // readConfig guarantees a server id unless the run provisions one.
    serverId: config.serverId ?? '',
    portIds: config.portIds,
    netId: config.netId,
  };
}

function cloudPartial(
  config: SuiteConfig,
  connection: CloudConnection,
  common: Pick<ResolvedTarget, 'manners' | 'ledgerPath' | 'runId' | 'runs' | 'seed' | 'timeoutMs' | 'detachTimeoutMs' | 'microversion'>,
): PartialTarget {
  const { base, projectFromUrl } = splitComputeUrl(connection.computeUrl, connection.projectId);
  // The catalog names the compute endpoint: only now is it known whether it is on loopback.
  const rate = rateLimitFor(config, connection.computeUrl);
  const region = connection.profile.regionName ? `, region ${connection.profile.regionName}` : '';
  return {
    ...common,
    manners: { ...common.manners, maxRps: rate.maxRps },
    limits: limitsOf(config, connection.computeUrl),
    kind: 'cloud',
    description: `cloud "${connection.profile.name}"${region} at ${describeUrl(connection.computeUrl)}`,
    computeBase: base,
    projectId: connection.projectId,
    useProjectSegment: projectFromUrl !== null,
    token: connection.credential.token,
    ...givenResources(config),
    networkUrl: config.networkUrl ?? connection.networkUrl,
    credential: connection.credential.snapshot(),
    tls: connection.tls,
    allowedOrigins: connection.allowedOrigins,
  };
}

/**
 * Resolves the configuration into a target. When no target is configured, `startEmbedded` is
 * called to start the fake cloud; its handle is returned so the caller can close it. For a cloud,
 * the connection is returned too (the CLI provisions, checks for leaks and cleans up with it).
 */
export async function resolveTarget(
  config: SuiteConfig,
  startEmbedded: (config: SuiteConfig) => Promise<{ handle: EmbeddedCloudHandle; seed: EmbeddedSeed }>,
  options: ResolveOptions = {},
): Promise<{ handoff: TargetHandoff; handle: EmbeddedCloudHandle | null; connection: CloudConnection | null }> {
  let handle: EmbeddedCloudHandle | null = null;
  let connection: CloudConnection | null = null;
  let partial: PartialTarget;
  const manners = options.manners ?? mannersOf(config, config.deadlineS === null ? null : Date.now() + config.deadlineS * 1000);
  const common = {
    manners,
    ledgerPath: config.mode === 'embedded' ? null : (options.ledgerPath ?? null),
    runId: options.runId ?? newRunId(),
    runs: config.runs,
    seed: config.seed,
    timeoutMs: config.timeoutMs,
    detachTimeoutMs: config.detachTimeoutS * 1000,
    microversion: config.microversion,
  };
  const tlsFromFlags: TlsSettings = { caFile: config.cacert, insecure: config.insecure ?? false };
  if (config.mode === 'embedded') {
    const started = await startEmbedded(config);
    handle = started.handle;
    const seed = started.seed;
    const faults = config.faults.length > 0 ? `, faults ${config.faults.join(', ')}` : '';
    partial = {
      ...common,
      limits: limitsOf(config, seed.compute_url),
      kind: 'embedded',
      description: `embedded fake cloud (profile ${config.profile}${faults}) at ${seed.compute_url_with_project}`,
      computeBase: seed.compute_url,
      projectId: seed.project_id,
      useProjectSegment: true,
      token: seed.token,
      altToken: seed.alt_token,
      readerToken: seed.reader_token,
      controlUrl: seed.control_url,
      controlToken: seed.control_token,
      serverId: seed.server_id,
      portIds: seed.port_ids,
      netId: seed.network_id,
      networkUrl: seed.network_url,
      credential: null,
      tls: tlsFromFlags,
      allowedOrigins: null,
    };
  } else if (config.mode === 'cloud') {
    try {
      connection = await connectCloud(config, sharedManners(options.connectionManners ?? manners), options.env ?? process.env);
    } catch (error) {
      if (error instanceof CloudAccessError) return { handoff: { ok: false, setupError: error.message }, handle, connection };
      throw error;
    }
    partial = cloudPartial(config, connection, common);
  } else {
    const target = config.target ?? '';
    const { base, projectFromUrl } = splitComputeUrl(target, config.projectId);
    partial = {
      ...common,
      limits: limitsOf(config, target),
      kind: 'given',
      description: describeUrl(target),
      computeBase: base,
      projectId: config.projectId ?? projectFromUrl,
      useProjectSegment: projectFromUrl !== null,
      // readConfig guarantees a token when a target is given.
      token: config.token ?? '',
      ...givenResources(config),
      networkUrl: config.networkUrl,
      credential: null,
      tls: tlsFromFlags,
      allowedOrigins: null,
    };
  }
  try {
    const client = new HttpClient(new Redactor(allSecretsOf(partial)), {
      timeoutMs: Math.min(config.timeoutMs, 10_000),
      tls: partial.tls,
      manners: sharedManners(manners),
    });
    const versions = await readVersionDocument(client, partial.computeBase, partial.token);
    if (typeof versions === 'string') return { handoff: { ok: false, setupError: versions }, handle, connection };
    const microversion = chooseMicroversion(config.microversion, versions.min, versions.max);
    const subnet = partial.networkUrl && partial.netId ? await findSubnet(client, partial.networkUrl, partial.netId, partial.token) : null;
    return {
      handoff: { ok: true, target: { ...partial, microversion, minMicroversion: versions.min, maxMicroversion: versions.max, subnet } },
      handle,
      connection,
    };
  } catch (error) {
    // The caller gets no handle when this throws: close the embedded cloud here.
    await handle?.close();
    throw error;
  }
}

/** The part of the fake cloud's seed file the suite uses (the full shape is in fixtures/fake-cloud). */
export interface EmbeddedSeed {
  readonly compute_url: string;
  readonly compute_url_with_project: string;
  readonly network_url: string;
  readonly project_id: string;
  readonly token: string;
  readonly alt_token: string;
  readonly reader_token: string;
  readonly control_url: string;
  readonly control_token: string;
  readonly server_id: string;
  readonly port_ids: readonly string[];
  readonly network_id: string;
}

/** Starts the embedded fake cloud on a free loopback port with the configured profile and faults. */
export async function startEmbeddedCloud(config: SuiteConfig): Promise<{ handle: EmbeddedCloudHandle; seed: EmbeddedSeed }> {
  const cloud = await startFakeCloud({ port: 0, host: '127.0.0.1', profile: config.profile, faults: config.faults });
  return { handle: cloud, seed: cloud.seed };
}
