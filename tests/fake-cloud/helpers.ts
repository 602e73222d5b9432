/**
 * Test helpers for the fake cloud: requests through supertest (in-process HTTP against the cloud's
 * own node server) that send exactly what they are given (bodies that are not JSON, odd methods, no
 * Content-Type) and return the raw answer, and shortcuts for the create call.
 */
import type { IncomingHttpHeaders, Server } from 'node:http';
import request from 'supertest';
import type { RunningFakeCloud, SeedInfo } from '../../fixtures/fake-cloud/index.ts';

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly json: unknown;
}

export interface CallOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON; a string or Buffer as is; undefined sends no body. */
  readonly body?: unknown;
}

/**
 * One request through supertest to `target`: the cloud's node server, or an origin for a cloud known
 * only by its URL. superagent's conveniences are switched off so the request is what the test wrote
 * and the answer what the cloud sent: the body goes as bytes with no Content-Type added and no
 * serializer, no Accept-Encoding is added, no redirect is followed, every status resolves, and the
 * body is read as text whatever its Content-Type says (the garbage fault labels bytes JSON).
 */
async function send(target: Server | string, method: string, path: string, options: CallOptions): Promise<Answer> {
  const test = new request.Test(target, method, path)
    .unset('Accept-Encoding')
    .redirects(0)
    .ok(() => true);
  test.set({ ...(options.headers ?? {}) });
  test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
  });
  if (options.body !== undefined) {
    const payload = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    test.serialize((data) => data).send(payload);
  }
  const res = await test;
  const text = typeof res.body === 'string' ? res.body : '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers as IncomingHttpHeaders, text, json };
}

/** One request to a cloud known only by URL; the URL is absolute. */
export function call(method: string, url: string, options: CallOptions = {}): Promise<Answer> {
  const { origin } = new URL(url);
  return send(origin, method, url.slice(origin.length), options);
}

/** Shortcuts bound to one running cloud and its seed. */
export class CloudClient {
  readonly seed: SeedInfo;
  constructor(readonly cloud: RunningFakeCloud) {
    this.seed = cloud.seed;
  }

  /** One request to this cloud's node server; `url` is one of the seed's absolute URLs (or a path). */
  call(method: string, url: string, options: CallOptions = {}): Promise<Answer> {
    const path = url.startsWith(this.cloud.url) ? url.slice(this.cloud.url.length) : url;
    return send(this.cloud.httpServer, method, path, options);
  }

  interfacesUrl(serverId = this.seed.server_id, withProject = true): string {
    return `${withProject ? this.seed.compute_url_with_project : this.seed.compute_url}/servers/${serverId}/os-interface`;
  }

  /** POST a create as the main member, JSON typed, at the given microversion (2.1 when absent). */
  create(
    body: unknown,
    options: { token?: string; version?: string; serverId?: string; headers?: Record<string, string>; url?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      'X-Auth-Token': options.token ?? this.seed.token,
      'Content-Type': 'application/json',
      ...(options.headers ?? {}),
    };
    if (options.version) headers['OpenStack-API-Version'] = `compute ${options.version}`;
    return this.call('POST', options.url ?? this.interfacesUrl(options.serverId), { headers, body });
  }

  get(url: string, token = this.seed.token, headers: Record<string, string> = {}): Promise<Answer> {
    return this.call('GET', url, { headers: { 'X-Auth-Token': token, ...headers } });
  }

  /** Port ids attached to the server, read from the control state. */
  attached(serverId = this.seed.server_id): readonly string[] {
    return this.cloud.state().attachments_by_server[serverId] ?? [];
  }

  attachPortBody(index = 0): { interfaceAttachment: { port_id: string } } {
    return { interfaceAttachment: { port_id: this.seed.port_ids[index] as string } };
  }

  async control(method: string, action: string, body?: unknown): Promise<Answer> {
    return this.call(method, `${this.seed.control_url}/${action}`, {
      headers: { 'X-Control-Token': this.seed.control_token, 'Content-Type': 'application/json' },
      body,
    });
  }
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAC_PATTERN = /^(?:[0-9a-f]{2}:){5}[0-9a-f]{2}$/;

export interface AttachmentView {
  readonly fixed_ips: Array<{ ip_address: string; subnet_id: string }> | null;
  readonly mac_addr: string;
  readonly net_id: string;
  readonly port_id: string;
  readonly port_state: string;
  readonly tag?: string | null;
}

/** The interfaceAttachment of a create or show answer (fails the test when there is none). */
export function attachmentOf(answer: Answer): AttachmentView {
  const body = answer.json as { interfaceAttachment?: AttachmentView } | undefined;
  if (!body?.interfaceAttachment) throw new Error(`no interfaceAttachment in ${answer.status} ${answer.text.slice(0, 300)}`);
  return body.interfaceAttachment;
}

/** The interfaceAttachments of a list answer. */
export function attachmentsOf(answer: Answer): AttachmentView[] {
  const body = answer.json as { interfaceAttachments?: AttachmentView[] } | undefined;
  if (!body?.interfaceAttachments) throw new Error(`no interfaceAttachments in ${answer.status} ${answer.text.slice(0, 300)}`);
  return body.interfaceAttachments;
}

/** The single key of a fault body and its content. */
export function faultOf(answer: Answer): { name: string; code: unknown; message: string } {
  const body = answer.json as Record<string, { code?: unknown; message?: string }> | undefined;
  const name = body ? Object.keys(body)[0] : undefined;
  const inner = name !== undefined && body ? body[name] : undefined;
  if (!inner || name === undefined) throw new Error(`not a fault body: ${answer.status} ${answer.text.slice(0, 300)}`);
  return { name, code: inner.code, message: inner.message ?? '' };
}
