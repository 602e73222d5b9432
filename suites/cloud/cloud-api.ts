/**
 * The few compute, network and image calls that provisioning, cleanup and the leak check make, over
 * the suite's authorized sender (token renewal, catalog origins, run manners). Each call returns
 * the status and JSON, or why no answer came; it never throws for an answer it does not like, so
 * cleanup can go on past one failure.
 */
import type { HttpRequest } from '../harness/http.ts';
import type { AuthorizedSender, TokenSource } from './authorized.ts';

export interface CloudEndpoints {
  /** Compute URL with the project segment when the cloud uses one, e.g. https://nova/v2.1/{project}. */
  readonly compute: string;
  /** Neutron API (…/v2.0), or null when the cloud has none in reach. */
  readonly network: string | null;
  /** Glance API (…/v2), or null. */
  readonly image: string | null;
}

export type CallResult =
  | { readonly ok: true; readonly status: number; readonly json: unknown }
  | { readonly ok: false; readonly status: null; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Neutron API of a catalog endpoint given with or without /v2.0. */
export function networkApi(endpoint: string): string {
  return /\/v2\.0$/.test(endpoint) ? endpoint : `${endpoint}/v2.0`;
}

/** The Glance API of a catalog endpoint given with or without /v2. */
export function imageApi(endpoint: string): string {
  return /\/v2$/.test(endpoint) ? endpoint : `${endpoint}/v2`;
}

export interface PortView {
  readonly id: string;
  readonly networkId: string;
  readonly deviceId: string;
  readonly deviceOwner: string;
  readonly name: string;
}

export class CloudApi {
  constructor(
    private readonly sender: AuthorizedSender,
    private readonly tokens: TokenSource,
    readonly endpoints: CloudEndpoints,
  ) {}

  async call(method: string, url: string, body?: unknown): Promise<CallResult> {
    const request: HttpRequest = {
      method,
      url,
      headers: { 'X-Auth-Token': this.tokens.token, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    };
    const exchange = await this.sender.send(request);
    if (!exchange.answer) return { ok: false, status: null, error: exchange.record.transportError ?? 'no answer' };
    return { ok: true, status: exchange.answer.status, json: exchange.answer.json };
  }

  /** A list answer's items under `key`, or null when it could not be read. */
  async list(url: string, key: string): Promise<Record<string, unknown>[] | null> {
    const result = await this.call('GET', url);
    if (!result.ok || result.status !== 200 || !isRecord(result.json)) return null;
    const items = result.json[key];
    return Array.isArray(items) ? items.filter(isRecord) : null;
  }

  /** Port ids attached to the server, or null when the list cannot be read. */
  async interfaces(serverId: string): Promise<string[] | null> {
    const items = await this.list(this.interfacesUrl(serverId), 'interfaceAttachments');
    return items === null ? null : items.map((i) => i.port_id).filter((id): id is string => typeof id === 'string');
  }

  interfacesUrl(serverId: string): string {
    return `${this.endpoints.compute}/servers/${encodeURIComponent(serverId)}/os-interface`;
  }

  /** The project's ports (Neutron lists a member's own), or null without a network endpoint. */
  async ports(projectId: string): Promise<PortView[] | null> {
    if (this.endpoints.network === null) return null;
    const items = await this.list(`${this.endpoints.network}/ports?project_id=${encodeURIComponent(projectId)}`, 'ports');
    if (items === null) return null;
    return items.flatMap((p) =>
      typeof p.id === 'string'
        ? [
            {
              id: p.id,
              networkId: typeof p.network_id === 'string' ? p.network_id : '',
              deviceId: typeof p.device_id === 'string' ? p.device_id : '',
              deviceOwner: typeof p.device_owner === 'string' ? p.device_owner : '',
              name: typeof p.name === 'string' ? p.name : '',
            },
          ]
        : [],
    );
  }
}
