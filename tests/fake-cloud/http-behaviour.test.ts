/**
 * The cross-cutting HTTP behaviour of compute in both profiles: 401, wrong methods, media types,
 * 413, malformed and deep JSON, project segments, 503 from the control switch, and isolation
 * between projects.
 */
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { attachmentOf, CloudClient, faultOf } from './helpers.ts';

const clouds: Record<'document' | 'nova', RunningFakeCloud> = {} as Record<'document' | 'nova', RunningFakeCloud>;
const clients: Record<'document' | 'nova', CloudClient> = {} as Record<'document' | 'nova', CloudClient>;

beforeAll(async () => {
  for (const profile of ['document', 'nova'] as const) {
    clouds[profile] = await startFakeCloud({ profile });
    clients[profile] = new CloudClient(clouds[profile]);
  }
});
afterAll(async () => {
  await Promise.all(Object.values(clouds).map((c) => c.close()));
});
beforeEach(() => {
  for (const cloud of Object.values(clouds)) cloud.reset();
});

describe.each(['document', 'nova'] as const)('profile %s', (profile) => {
  const c = () => clients[profile];

  it('no token or an unknown token → 401 with WWW-Authenticate naming Keystone; nothing attached', async () => {
    for (const headers of [{}, { 'X-Auth-Token': 'gAAAAAnot-a-token' }, { 'X-Auth-Token': '' }] as Record<string, string>[]) {
      const a = await c().call('POST', c().interfacesUrl(), { headers: { 'Content-Type': 'application/json', ...headers }, body: c().attachPortBody(0) });
      expect(a.status).toBe(401);
      expect(a.headers['www-authenticate']).toBe(`Keystone uri="${c().seed.identity_url}"`);
      if (profile === 'document') expect(a.json).toEqual({ unauthorized: { code: 401, message: 'The request you have made requires authentication.' } });
      else expect(a.json).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    }
    expect(c().attached()).toHaveLength(1);
  });

  it('401 comes before route and method checks', async () => {
    expect((await c().call('GET', `${c().seed.compute_url}/no-such-thing`)).status).toBe(401);
    expect((await c().call('PUT', c().interfacesUrl())).status).toBe(401);
  });

  it('wrong methods on the collection and the item', async () => {
    for (const [method, url, allow] of [
      ['PUT', c().interfacesUrl(), 'GET, POST'],
      ['PATCH', c().interfacesUrl(), 'GET, POST'],
      ['DELETE', c().interfacesUrl(), 'GET, POST'],
      ['POST', `${c().interfacesUrl()}/${c().seed.port_ids[0]}`, 'GET, DELETE'],
      ['PUT', `${c().interfacesUrl()}/${c().seed.port_ids[0]}`, 'GET, DELETE'],
    ] as const) {
      const a = await c().call(method, url, {
        headers: { 'X-Auth-Token': c().seed.token, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: c().attachPortBody(0),
      });
      if (profile === 'document') {
        expect(a.status).toBe(405);
        expect(a.headers.allow).toBe(allow);
        expect(faultOf(a)).toMatchObject({ name: 'badMethod', code: 405 });
      } else {
        expect(a.status).toBe(404);
        expect(a.headers.allow).toBeUndefined();
        expect(a.json).toMatchObject({ code: '404 Not Found', title: 'Not Found' });
      }
    }
    expect(c().attached()).toHaveLength(1);
  });

  it('other media types → 415 badMediaType; JSON types accepted', async () => {
    for (const type of ['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
      const a = await c().create(c().attachPortBody(0), { headers: { 'Content-Type': type } });
      expect(a.status).toBe(415);
      expect(a.json).toEqual({ badMediaType: { code: 415, message: 'Unsupported Content-Type' } });
    }
    expect(c().attached()).toHaveLength(1);
    // The check runs for GET too, as Nova's does.
    expect((await c().get(c().interfacesUrl(), c().seed.token, { 'Content-Type': 'application/xml' })).status).toBe(415);
    expect((await c().create(c().attachPortBody(0), { headers: { 'Content-Type': 'application/vnd.openstack.compute+json' } })).status).toBe(200);
  });

  it('text/plain or no Content-Type on a JSON body: document 415, nova parses it', async () => {
    const plain = await c().create(c().attachPortBody(0), { headers: { 'Content-Type': 'text/plain' } });
    const none = await c().call('POST', c().interfacesUrl(), { headers: { 'X-Auth-Token': c().seed.token }, body: c().attachPortBody(1) });
    if (profile === 'document') {
      expect([plain.status, none.status]).toEqual([415, 415]);
      expect(faultOf(plain).name).toBe('badMediaType');
    } else {
      expect([plain.status, none.status]).toEqual([200, 200]);
    }
  });

  it('route misses: unknown path, bad project segment → 404 (fault body in document, webob in nova)', async () => {
    for (const path of ['/servers/x/os-interfaces', '/NOT-HEX/servers', '/servers/x/os-interface/a/b', '//servers', '/servers/']) {
      const a = await c().get(`${c().seed.compute_url}${path}`);
      expect(a.status).toBe(404);
      if (profile === 'document') expect(faultOf(a).name).toBe('itemNotFound');
      else expect(a.text).toContain('404 Not Found');
    }
  });
});

describe('a body over the size limit in the nova profile', () => {
  it("is answered as oslo.middleware sizelimit does in front of Nova: 413 with webob's error body", async () => {
    const a = await clients.nova.create(Buffer.alloc(1024 * 1024 + 10, 0x20));
    expect(a.status).toBe(413);
    expect(a.json).toMatchObject({ code: '413 Request Entity Too Large', title: 'Request Entity Too Large' });
    expect(String((a.json as { message?: unknown }).message)).toMatch(/^Request is too large\./);
  });
});

describe('profile-independent HTTP behaviour (document profile)', () => {
  const c = () => clients.document;

  it('a body over 1 MiB → 413 overLimit, announced or chunked; the connection stays usable', async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const a = await c().create(big);
    expect(a.status).toBe(413);
    expect(faultOf(a)).toMatchObject({ name: 'overLimit', code: 413 });
    // Chunked: no Content-Length, so the limit is found while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        c().interfacesUrl(),
        { method: 'POST', headers: { 'X-Auth-Token': c().seed.token, 'Content-Type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(64 * 1024, 0x20));
      req.end();
    });
    expect(chunked).toBe(413);
    expect((await c().create(c().attachPortBody(0))).status).toBe(200);
  });

  it('a body of exactly 1 MiB is read (400 for its content, not 413)', async () => {
    const body = Buffer.alloc(1024 * 1024, 0x20);
    body.write('{}', 0);
    expect((await c().create(body)).status).toBe(200);
  });

  it('invalid JSON → 400 "Malformed request body"; nesting deeper than 64 → 400; a BOM → 400', async () => {
    for (const body of ['{"interfaceAttachment":', '\u0000\u00ff', 'NaN', '\ufeff{}']) {
      const a = await c().create(body);
      expect(a.status).toBe(400);
      expect(faultOf(a).message).toContain('Malformed request body');
    }
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect((await c().create(deep)).status).toBe(400);
    const deepObject = `{"interfaceAttachment":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}`;
    expect((await c().create(deepObject)).status).toBe(400);
    const within = `{"interfaceAttachment":${'{"a":'.repeat(10)}1${'}'.repeat(10)}}`;
    expect((await c().create(within)).status).toBe(400);
    expect(c().attached()).toHaveLength(1);
  });

  it('__proto__ and constructor keys are unknown keys, not prototype tricks', async () => {
    const a = await c().create('{"__proto__": {"interfaceAttachment": {}}}');
    expect(a.status).toBe(400);
    expect(faultOf(a).message).toContain('__proto__');
    const b = await c().create('{"interfaceAttachment": {"constructor": 1}}');
    expect(b.status).toBe(400);
  });

  it('URL project segment: same project works; another project → 400 Malformed request URL; without segment works', async () => {
    const mismatch = await c().create(c().attachPortBody(0), {
      url: `${c().seed.compute_url}/${c().seed.alt_project_id}/servers/${c().seed.server_id}/os-interface`,
    });
    expect(mismatch.status).toBe(400);
    expect(faultOf(mismatch).message).toContain("doesn't match Context's project_id");
    const random = await c().create(c().attachPortBody(0), {
      url: `${c().seed.compute_url}/0123456789abcdef0123456789abcdef/servers/${c().seed.server_id}/os-interface`,
    });
    expect(random.status).toBe(400);
    const bare = await c().create(c().attachPortBody(0), { url: c().interfacesUrl(undefined, false) });
    expect(bare.status).toBe(200);
  });

  it('isolation: the alt project cannot see or touch the main server or its ports', async () => {
    const s = c().seed;
    const noProject = await c().create(c().attachPortBody(0), { token: s.alt_token, url: c().interfacesUrl(undefined, false) });
    expect(noProject.status).toBe(404);
    const mainProject = await c().create(c().attachPortBody(0), { token: s.alt_token });
    expect(mainProject.status).toBe(400);
    const altProject = await c().create(c().attachPortBody(0), {
      token: s.alt_token,
      url: `${s.compute_url}/${s.alt_project_id}/servers/${s.server_id}/os-interface`,
    });
    expect(altProject.status).toBe(404);
    expect((await c().get(c().interfacesUrl(undefined, false), s.alt_token)).status).toBe(404);
    expect((await c().get(`${s.compute_url}/servers/${s.server_id}`, s.alt_token)).status).toBe(404);
    expect((await c().get(`${s.network_url}/ports/${s.port_ids[0]}`, s.alt_token)).status).toBe(404);
    const altPorts = await c().get(`${s.network_url}/ports`, s.alt_token);
    const ids = (altPorts.json as { ports: Array<{ id: string; project_id: string }> }).ports;
    expect(ids.every((p) => p.project_id === s.alt_project_id)).toBe(true);
    const servers = await c().get(`${s.compute_url}/servers`, s.alt_token);
    expect((servers.json as { servers: Array<{ id: string }> }).servers.map((x) => x.id)).not.toContain(s.server_id);
    expect((await c().call('DELETE', `${c().interfacesUrl(undefined, false)}/${cloudBootPort()}`, { headers: { 'X-Auth-Token': s.alt_token } })).status).toBe(
      404,
    );
    expect(c().attached()).toHaveLength(1);
  });

  function cloudBootPort(): string {
    return c().attached()[0] as string;
  }

  it('503 when switched unavailable, with Retry-After; nothing attached; back to normal when switched off', async () => {
    const on = await c().control('POST', 'unavailable', { enabled: true, retry_after: 7 });
    expect(on.status).toBe(200);
    const a = await c().create(c().attachPortBody(0));
    expect(a.status).toBe(503);
    expect(a.headers['retry-after']).toBe('7');
    expect(a.json).toEqual({ serviceUnavailable: { code: 503, message: 'The service is unavailable. Please retry later.' } });
    expect(c().attached()).toHaveLength(1);
    expect((await c().control('GET', 'state')).json).toMatchObject({ unavailable: { enabled: true, retry_after: 7 } });
    await c().control('POST', 'unavailable', { enabled: false });
    expect((await c().create(c().attachPortBody(0))).status).toBe(200);
    clouds.document.setUnavailable(true);
    expect((await c().create(c().attachPortBody(1))).status).toBe(503);
    clouds.document.setUnavailable(false);
  });

  it('the version documents: GET / and GET /v2.1 without a token', async () => {
    const root = await c().call('GET', `${clouds.document.url}/`);
    expect(root.status).toBe(200);
    expect(root.json).toMatchObject({ versions: [{ id: 'v2.1', min_version: '2.1', version: c().seed.max_microversion }] });
    for (const url of [c().seed.compute_url, `${c().seed.compute_url}/`]) {
      const doc = await c().call('GET', url);
      expect(doc.json).toMatchObject({ version: { id: 'v2.1', status: 'CURRENT', min_version: '2.1', version: '2.96' } });
    }
  });

  it('malformed HTTP gets a 400, not a dropped connection', async () => {
    const net = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(clouds.document.port, '127.0.0.1', () => socket.write('BROKEN\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
  });
});

describe('nova profile specifics', () => {
  it('wrong-method 404 body follows Accept: plain text without Accept, HTML for text/html', async () => {
    const c = clients.nova;
    const plain = await c.call('PUT', c.interfacesUrl(), { headers: { 'X-Auth-Token': c.seed.token } });
    expect(plain.status).toBe(404);
    expect(plain.headers['content-type']).toContain('text/plain');
    const html = await c.call('PUT', c.interfacesUrl(), { headers: { 'X-Auth-Token': c.seed.token, Accept: 'text/html' } });
    expect(html.headers['content-type']).toContain('text/html');
  });

  it('empty body without Content-Type → 400 None (the body is parsed as JSON)', async () => {
    const c = clients.nova;
    const a = await c.call('POST', c.interfacesUrl(), { headers: { 'X-Auth-Token': c.seed.token } });
    expect(a.status).toBe(400);
    expect(faultOf(a).message).toBe("None is not of type 'object'");
    const attached = await c.call('POST', c.interfacesUrl(), {
      headers: { 'X-Auth-Token': c.seed.token, 'Content-Type': 'text/plain' },
      body: c.attachPortBody(2),
    });
    expect(attachmentOf(attached).port_id).toBe(c.seed.port_ids[2]);
  });
});
