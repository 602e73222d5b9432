/**
 * Turning a configuration into a target the suites can use: start the embedded fake cloud when no
 * target is given, split the compute URL into its base and project segment, read the version
 * document (reachability, microversion range) and find the network's IPv4 subnet.
 *
 * Runs in vitest's main process (global setup). The result crosses to the test workers through
 * `provide`, so it is plain data; it holds tokens, and nothing here prints or writes it.
 */
import { startFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import type { SuiteConfig } from './config.ts';
import { HttpClient } from './http.ts';
import { Redactor, type SecretBinding } from './redact.ts';

export interface SubnetInfo {
  readonly id: string;
  readonly cidr: string;
}

export interface ResolvedTarget {
  readonly kind: 'embedded' | 'given';
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
}

/** What global setup hands the tests: a target, or why there is none. */
export type TargetHandoff = { readonly ok: true; readonly target: ResolvedTarget } | { readonly ok: false; readonly setupError: string };

export function secretsOf(target: Pick<ResolvedTarget, 'token' | 'altToken' | 'readerToken' | 'controlToken'>): SecretBinding[] {
  const out: SecretBinding[] = [{ value: target.token, variable: 'OS_TOKEN' }];
  if (target.altToken) out.push({ value: target.altToken, variable: 'OS_ALT_TOKEN' });
  if (target.readerToken) out.push({ value: target.readerToken, variable: 'OS_READER_TOKEN' });
  if (target.controlToken) out.push({ value: target.controlToken, variable: 'OSI_CONTROL_TOKEN' });
  return out;
}

const VERSION_SEGMENT = /^v2(\.1)?$/;
const PROJECT_SEGMENT = /^[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Splits ".../v2.1/{project_id}" into base and project. A last segment counts as a project id when
 * it equals the given project id, or looks like one right after a version segment.
 */
export function splitComputeUrl(url: string, projectId: string | null): { base: string; projectFromUrl: string | null } {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/').filter((s) => s.length > 0);
  const last = segments.at(-1);
  const beforeLast = segments.at(-2);
  const isProject = last !== undefined && (last === projectId || (beforeLast !== undefined && VERSION_SEGMENT.test(beforeLast) && PROJECT_SEGMENT.test(last)));
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

/** Reads the compute version document: proves the target answers, and gives the microversion range. */
async function readVersionDocument(client: HttpClient, base: string, token: string): Promise<{ min: string | null; max: string | null } | string> {
  const { answer, record } = await client.send({ method: 'GET', url: base, headers: { 'X-Auth-Token': token, Accept: 'application/json' } });
  if (!answer) return `target unreachable: ${record.transportError ?? 'no answer'} (${describeUrl(base)})`;
  if (answer.status === 401) return `target refused the token (401 on ${describeUrl(base)})`;
  if (answer.status >= 500 && answer.status !== 503) return `target answered ${answer.status} to GET ${describeUrl(base)}: not a working compute endpoint`;
  const doc = answer.json as { version?: { version?: unknown; min_version?: unknown } } | undefined;
  const version = doc && typeof doc === 'object' ? doc.version : undefined;
  if (!version) return { min: null, max: null };
  return {
    min: typeof version.min_version === 'string' && version.min_version !== '' ? version.min_version : null,
    max: typeof version.version === 'string' && version.version !== '' ? version.version : null,
  };
}

async function findSubnet(client: HttpClient, networkUrl: string, netId: string, token: string): Promise<SubnetInfo | null> {
  const base = /\/v2\.0$/.test(networkUrl) ? networkUrl : `${networkUrl}/v2.0`;
  const { answer } = await client.send({ method: 'GET', url: `${base}/subnets?network_id=${encodeURIComponent(netId)}`, headers: { 'X-Auth-Token': token } });
  const subnets = (answer?.json as { subnets?: Array<{ id?: unknown; cidr?: unknown; ip_version?: unknown }> } | undefined)?.subnets;
  const v4 = subnets?.find((s) => s.ip_version === 4 && typeof s.id === 'string' && typeof s.cidr === 'string');
  return v4 ? { id: String(v4.id), cidr: String(v4.cidr) } : null;
}

export interface EmbeddedCloudHandle {
  close(): Promise<void>;
}

/**
 * Resolves the configuration into a target. When no target is configured, `startEmbedded` is
 * called to start the fake cloud; its handle is returned so the caller can close it.
 */
export async function resolveTarget(
  config: SuiteConfig,
  startEmbedded: (config: SuiteConfig) => Promise<{ handle: EmbeddedCloudHandle; seed: EmbeddedSeed }>,
): Promise<{ handoff: TargetHandoff; handle: EmbeddedCloudHandle | null }> {
  let handle: EmbeddedCloudHandle | null = null;
  let partial: Omit<ResolvedTarget, 'minMicroversion' | 'maxMicroversion' | 'subnet'>;
  if (config.target === null) {
    const started = await startEmbedded(config);
    handle = started.handle;
    const seed = started.seed;
    const faults = config.faults.length > 0 ? `, faults ${config.faults.join(', ')}` : '';
    partial = {
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
      microversion: config.microversion,
      runs: config.runs,
      seed: config.seed,
      timeoutMs: config.timeoutMs,
    };
  } else {
    const { base, projectFromUrl } = splitComputeUrl(config.target, config.projectId);
    partial = {
      kind: 'given',
      description: describeUrl(config.target),
      computeBase: base,
      projectId: config.projectId ?? projectFromUrl,
      useProjectSegment: projectFromUrl !== null,
      // readConfig guarantees token and server id when a target is given.
      token: config.token ?? '',
      altToken: config.altToken,
      readerToken: config.readerToken,
      controlUrl: config.controlUrl,
      controlToken: config.controlToken,
      serverId: config.serverId ?? '',
      portIds: config.portIds,
      netId: config.netId,
      networkUrl: config.networkUrl,
      microversion: config.microversion,
      runs: config.runs,
      seed: config.seed,
      timeoutMs: config.timeoutMs,
    };
  }
  const client = new HttpClient(new Redactor(secretsOf(partial)), Math.min(config.timeoutMs, 10_000));
  const versions = await readVersionDocument(client, partial.computeBase, partial.token);
  if (typeof versions === 'string') return { handoff: { ok: false, setupError: versions }, handle };
  const subnet = partial.networkUrl && partial.netId ? await findSubnet(client, partial.networkUrl, partial.netId, partial.token) : null;
  return {
    handoff: { ok: true, target: { ...partial, minMicroversion: versions.min, maxMicroversion: versions.max, subnet } },
    handle,
  };
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
