/**
 * The services around os-interface: Keystone tokens and catalog, Nova servers and flavors,
 * Neutron networks/subnets/ports with filters and address allocation, Glance, the control API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { MAC_PATTERN, CloudClient } from './helpers.ts';

let cloud: RunningFakeCloud;
let c: CloudClient;

beforeAll(async () => {
  cloud = await startFakeCloud({ buildDelayMs: 10, tokenTtlSeconds: 1 });
  c = new CloudClient(cloud);
});
afterAll(() => cloud.close());
beforeEach(() => cloud.reset());

function passwordAuth(scope: unknown, password = c.seed.password, user: Record<string, unknown> = { name: c.seed.username, domain: { name: 'Default' } }) {
  return { auth: { identity: { methods: ['password'], password: { user: { ...user, password } } }, ...(scope === undefined ? {} : { scope }) } };
}

describe('identity', () => {
  it('GET /v3 is the version document', async () => {
    const a = await c.call('GET', c.seed.identity_url);
    expect(a.json).toMatchObject({ version: { id: 'v3.14', status: 'stable' } });
  });

  it('password auth scoped by name+domain → 201, X-Subject-Token, catalog with compute carrying the project id', async () => {
    const a = await c.call('POST', `${c.seed.identity_url}/auth/tokens`, {
      headers: { 'Content-Type': 'application/json' },
      body: passwordAuth({ project: { name: c.seed.project_name, domain: { name: 'Default' } } }),
    });
    expect(a.status).toBe(201);
    const token = a.headers['x-subject-token'] as string;
    expect(token).toMatch(/^gAAAAA/);
    const body = a.json as {
      token: {
        project: { id: string };
        roles: Array<{ name: string }>;
        expires_at: string;
        catalog: Array<{ type: string; endpoints: Array<{ url: string; interface: string; region: string }> }>;
      };
    };
    expect(body.token.project.id).toBe(c.seed.project_id);
    expect(body.token.roles.map((r) => r.name).sort()).toEqual(['member', 'reader']);
    expect(Date.parse(body.token.expires_at)).toBeGreaterThan(Date.now());
    const compute = body.token.catalog.find((s) => s.type === 'compute');
    expect(compute?.endpoints.map((e) => e.interface).sort()).toEqual(['internal', 'public']);
    expect(compute?.endpoints[0]?.url).toBe(c.seed.compute_url_with_project);
    expect(compute?.endpoints[0]?.region).toBe('RegionOne');
    expect(body.token.catalog.map((s) => s.type).sort()).toEqual(['compute', 'identity', 'image', 'network']);
    expect(JSON.stringify(a.json)).not.toContain(c.seed.password);
    // The issued token works on compute; token auth re-scopes it; validation and revocation.
    expect((await c.get(c.interfacesUrl(), token)).status).toBe(200);
    const byToken = await c.call('POST', `${c.seed.identity_url}/auth/tokens`, {
      headers: { 'Content-Type': 'application/json' },
      body: { auth: { identity: { methods: ['token'], token: { id: token } }, scope: { project: { id: c.seed.project_id } } } },
    });
    expect(byToken.status).toBe(201);
    const validate = await c.call('GET', `${c.seed.identity_url}/auth/tokens`, { headers: { 'X-Auth-Token': c.seed.token, 'X-Subject-Token': token } });
    expect(validate.status).toBe(200);
    expect((await c.call('DELETE', `${c.seed.identity_url}/auth/tokens`, { headers: { 'X-Auth-Token': c.seed.token, 'X-Subject-Token': token } })).status).toBe(
      204,
    );
    expect((await c.get(c.interfacesUrl(), token)).status).toBe(401);
  });

  it('scoped by project id; no scope falls back to the default project', async () => {
    const byId = await c.call('POST', `${c.seed.identity_url}/auth/tokens`, { body: passwordAuth({ project: { id: c.seed.project_id } }) });
    expect(byId.status).toBe(201);
    const unscoped = await c.call('POST', `${c.seed.identity_url}/auth/tokens`, { body: passwordAuth(undefined) });
    expect((unscoped.json as { token: { project: { id: string } } }).token.project.id).toBe(c.seed.project_id);
  });

  it('wrong password, unknown user, foreign project, garbage → 401/400 without echoing secrets', async () => {
    for (const body of [
      passwordAuth({ project: { id: c.seed.project_id } }, 'wrong-password-123'),
      passwordAuth({ project: { id: c.seed.project_id } }, c.seed.password, { name: 'nobody', domain: { name: 'Default' } }),
      passwordAuth({ project: { id: c.seed.alt_project_id } }),
      { auth: { identity: { methods: ['token'], token: { id: 'nope' } } } },
    ]) {
      const a = await c.call('POST', `${c.seed.identity_url}/auth/tokens`, { body });
      expect(a.status).toBe(401);
      expect(a.text).not.toContain('wrong-password-123');
      expect(a.headers['www-authenticate']).toContain('Keystone uri=');
    }
    expect((await c.call('POST', `${c.seed.identity_url}/auth/tokens`, { body: 'not json' })).status).toBe(400);
    expect((await c.call('POST', `${c.seed.identity_url}/auth/tokens`, { body: { auth: { identity: {} } } })).status).toBe(400);
  });

  it('issued tokens expire (TTL 1 s here) and then get 401; the seed tokens do not', async () => {
    const a = await c.call('POST', `${c.seed.identity_url}/auth/tokens`, { body: passwordAuth({ project: { id: c.seed.project_id } }) });
    const token = a.headers['x-subject-token'] as string;
    expect((await c.get(c.interfacesUrl(), token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await c.get(c.interfacesUrl(), token)).status).toBe(401);
    expect((await c.get(c.interfacesUrl())).status).toBe(200);
  });
});

describe('compute servers and flavors', () => {
  it('list, detail, show, create (BUILD → ACTIVE), delete; with and without the project segment', async () => {
    for (const base of [c.seed.compute_url, c.seed.compute_url_with_project]) {
      const list = await c.get(`${base}/servers`);
      expect((list.json as { servers: Array<{ id: string }> }).servers.map((s) => s.id)).toEqual([c.seed.server_id]);
      const detail = await c.get(`${base}/servers/detail`);
      expect(detail.json).toMatchObject({ servers: [{ id: c.seed.server_id, status: 'ACTIVE', tenant_id: c.seed.project_id }] });
    }
    const show = await c.get(`${c.seed.compute_url}/servers/${c.seed.server_id}`, c.seed.token, { 'OpenStack-API-Version': 'compute 2.70' });
    const server = (show.json as { server: { addresses: Record<string, Array<{ addr: string }>>; locked: boolean } }).server;
    expect(Object.values(server.addresses).flat()[0]?.addr).toMatch(/^10\.20\.0\./);
    expect(server.locked).toBe(false);
    const created = await c.call('POST', `${c.seed.compute_url}/servers`, {
      headers: { 'X-Auth-Token': c.seed.token, 'Content-Type': 'application/json' },
      body: { server: { name: 'vm2', flavorRef: '2', imageRef: await imageId(), networks: [{ uuid: c.seed.network_id }] } },
    });
    expect(created.status).toBe(202);
    const id = (created.json as { server: { id: string } }).server.id;
    expect(((await c.get(`${c.seed.compute_url}/servers/${id}`)).json as { server: { status: string } }).server.status).toBe('BUILD');
    await new Promise((r) => setTimeout(r, 40));
    expect(((await c.get(`${c.seed.compute_url}/servers/${id}`)).json as { server: { status: string } }).server.status).toBe('ACTIVE');
    expect(cloud.state().servers).toBe(3);
    expect((await c.call('DELETE', `${c.seed.compute_url}/servers/${id}`, { headers: { 'X-Auth-Token': c.seed.token } })).status).toBe(204);
    expect(cloud.state().servers).toBe(2);
    expect((await c.get(`${c.seed.compute_url}/servers/${id}`)).status).toBe(404);
  });

  it('server create refusals: no body, bad flavor, bad network, reader', async () => {
    const post = (body: unknown, token = c.seed.token) =>
      c.call('POST', `${c.seed.compute_url}/servers`, { headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' }, body });
    expect((await post({})).status).toBe(400);
    expect((await post({ server: { name: 'x', flavorRef: '99' } })).status).toBe(400);
    expect((await post({ server: { name: 'x', flavorRef: '1', networks: [{ uuid: '3cb9bc59-5699-4588-a4b1-b87f96708bc6' }] } })).status).toBe(400);
    expect((await post({ server: { name: 'x', flavorRef: '1' } }, c.seed.reader_token)).status).toBe(403);
    expect(
      (
        await c.call('POST', `${c.seed.compute_url}/servers/${c.seed.server_id}/action`, {
          headers: { 'X-Auth-Token': c.seed.token, 'Content-Type': 'application/json' },
          body: { reboot: {} },
        })
      ).status,
    ).toBe(400);
  });

  it('flavors list, detail, show', async () => {
    expect(((await c.get(`${c.seed.compute_url}/flavors`)).json as { flavors: unknown[] }).flavors).toHaveLength(2);
    expect((await c.get(`${c.seed.compute_url}/flavors/detail`)).json).toMatchObject({ flavors: [{ id: '1', ram: 512 }, { id: '2' }] });
    expect((await c.get(`${c.seed.compute_url}/flavors/2`)).json).toMatchObject({ flavor: { name: 'm1.small' } });
    expect((await c.get(`${c.seed.compute_url}/flavors/9`)).status).toBe(404);
  });
});

async function imageId(): Promise<string> {
  const a = await c.get(`${c.seed.image_url}/images`);
  return (a.json as { images: Array<{ id: string }> }).images[0]?.id as string;
}

describe('network', () => {
  const net = () => c.seed.network_url;

  it('version discovery and the v2.0 root', async () => {
    const versions = await c.call('GET', net().replace(/\/v2\.0$/, ''));
    expect(versions.json).toMatchObject({ versions: [{ id: 'v2.0' }] });
    expect((await c.get(`${net()}/`)).json).toMatchObject({ resources: [{ collection: 'networks' }, { collection: 'subnets' }, { collection: 'ports' }] });
    expect((await c.call('GET', `${net()}/ports`)).status).toBe(401);
  });

  it('the seeded network, subnet and free ports', async () => {
    const networks = (await c.get(`${net()}/networks`)).json as { networks: Array<{ id: string; subnets: string[] }> };
    expect(networks.networks).toEqual([expect.objectContaining({ id: c.seed.network_id, subnets: [c.seed.subnet_id] })]);
    const subnet = (await c.get(`${net()}/subnets/${c.seed.subnet_id}`)).json as { subnet: { cidr: string; gateway_ip: string } };
    expect(subnet.subnet).toMatchObject({ cidr: c.seed.subnet_cidr, gateway_ip: '10.20.0.1' });
    expect(c.seed.subnet_cidr).toBe('10.20.0.0/24');
    expect((await c.get(`${net()}/subnets?network_id=${c.seed.network_id}`)).json).toMatchObject({ subnets: [{ id: c.seed.subnet_id, ip_version: 4 }] });
    for (const id of c.seed.port_ids) {
      const port = (await c.get(`${net()}/ports/${id}`)).json as {
        port: { device_id: string; mac_address: string; status: string; fixed_ips: Array<{ ip_address: string }> };
      };
      expect(port.port.device_id).toBe('');
      expect(port.port.status).toBe('DOWN');
      expect(port.port.mac_address).toMatch(MAC_PATTERN);
    }
    expect(c.seed.port_ids.length).toBeGreaterThanOrEqual(4);
  });

  it('port create allocates distinct addresses from the CIDR; a requested one; filters; delete', async () => {
    const headers = { 'X-Auth-Token': c.seed.token, 'Content-Type': 'application/json' };
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const a = await c.call('POST', `${net()}/ports`, { headers, body: { port: { network_id: c.seed.network_id, name: `p${i}` } } });
      expect(a.status).toBe(201);
      const ip = (a.json as { port: { fixed_ips: Array<{ ip_address: string }> } }).port.fixed_ips[0]?.ip_address as string;
      expect(ip).toMatch(/^10\.20\.0\.(\d+)$/);
      expect(seen.has(ip)).toBe(false);
      seen.add(ip);
    }
    const fixed = await c.call('POST', `${net()}/ports`, {
      headers,
      body: { port: { network_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.200' }] } },
    });
    expect(fixed.status).toBe(201);
    expect(
      (await c.call('POST', `${net()}/ports`, { headers, body: { port: { network_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.200' }] } } }))
        .status,
    ).toBe(409);
    expect(
      (await c.call('POST', `${net()}/ports`, { headers, body: { port: { network_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.99.0.1' }] } } })).status,
    ).toBe(400);
    const byIp = (await c.get(`${net()}/ports?fixed_ips=ip_address%3D10.20.0.200`)).json as { ports: Array<{ id: string }> };
    expect(byIp.ports).toHaveLength(1);
    const byDevice = (await c.get(`${net()}/ports?device_id=${c.seed.server_id}`)).json as { ports: Array<{ device_owner: string }> };
    expect(byDevice.ports).toEqual([expect.objectContaining({ device_owner: 'compute:nova', status: 'ACTIVE' })]);
    const byName = (await c.get(`${net()}/ports?name=p1&name=p2`)).json as { ports: unknown[] };
    expect(byName.ports).toHaveLength(2);
    const id = (fixed.json as { port: { id: string } }).port.id;
    expect((await c.call('DELETE', `${net()}/ports/${id}`, { headers })).status).toBe(204);
    expect((await c.get(`${net()}/ports/${id}`)).status).toBe(404);
    expect(
      (
        await c.call('POST', `${net()}/ports`, {
          headers: { ...headers, 'X-Auth-Token': c.seed.reader_token },
          body: { port: { network_id: c.seed.network_id } },
        })
      ).status,
    ).toBe(403);
  });

  it('networks and subnets: create, in-use refusal, delete', async () => {
    const headers = { 'X-Auth-Token': c.seed.token, 'Content-Type': 'application/json' };
    const n = await c.call('POST', `${net()}/networks`, { headers, body: { network: { name: 'extra' } } });
    const netId = (n.json as { network: { id: string } }).network.id;
    const s = await c.call('POST', `${net()}/subnets`, { headers, body: { subnet: { network_id: netId, cidr: '172.16.5.0/28', ip_version: 4 } } });
    expect(s.status).toBe(201);
    expect(s.json).toMatchObject({ subnet: { gateway_ip: '172.16.5.1', allocation_pools: [{ start: '172.16.5.2', end: '172.16.5.14' }] } });
    expect((await c.call('POST', `${net()}/subnets`, { headers, body: { subnet: { network_id: netId, cidr: 'banana' } } })).status).toBe(400);
    // 13 host addresses: the 14th port finds none.
    for (let i = 0; i < 13; i++) expect((await c.call('POST', `${net()}/ports`, { headers, body: { port: { network_id: netId } } })).status).toBe(201);
    expect((await c.call('POST', `${net()}/ports`, { headers, body: { port: { network_id: netId } } })).status).toBe(409);
    expect((await c.call('DELETE', `${net()}/networks/${c.seed.network_id}`, { headers })).status).toBe(409);
    // Attaching by net_id on the full network: Nova answers 400 (no more fixed IPs).
    expect((await c.create({ interfaceAttachment: { net_id: netId } })).status).toBe(400);
  });
});

describe('image and control', () => {
  it('GET images lists one image; unknown image 404; no token 401', async () => {
    const a = await c.get(`${c.seed.image_url}/images`);
    expect(a.json).toMatchObject({ images: [{ status: 'active', name: expect.stringContaining('cirros') }] });
    expect((await c.get(`${c.seed.image_url}/images/${await imageId()}`)).status).toBe(200);
    expect((await c.get(`${c.seed.image_url}/images/nope`)).status).toBe(404);
    expect((await c.call('GET', `${c.seed.image_url}/images`)).status).toBe(401);
  });

  it('control needs the control token; user tokens do not work; state, reset, settings', async () => {
    expect((await c.call('GET', `${c.seed.control_url}/state`)).status).toBe(401);
    expect((await c.call('GET', `${c.seed.control_url}/state`, { headers: { 'X-Control-Token': c.seed.token } })).status).toBe(401);
    expect((await c.call('GET', `${c.seed.control_url}/state`, { headers: { 'X-Auth-Token': c.seed.control_token } })).status).toBe(401);
    const state = await c.control('GET', 'state');
    expect(state.json).toMatchObject({ servers: 2, ports: 8, attachments: 2, unavailable: { enabled: false }, profile: 'document', faults: [] });
    expect((await c.create(c.attachPortBody(0))).status).toBe(200);
    expect((await c.control('GET', 'state')).json).toMatchObject({ attachments: 3 });
    expect((await c.control('POST', 'reset', {})).json).toMatchObject({ attachments: 2 });
    expect((await c.control('POST', 'unavailable', { enabled: 'yes' })).status).toBe(400);
    expect((await c.control('POST', 'settings', { nope: 1 })).status).toBe(400);
    expect((await c.control('POST', 'nothing', {})).status).toBe(404);
    expect((await c.control('PUT', 'state')).status).toBe(405);
  });
});

describe('start options', () => {
  it('latencyMs delays every answer', async () => {
    const slow = await startFakeCloud({ latencyMs: 60 });
    try {
      const started = performance.now();
      expect((await new CloudClient(slow).call('GET', slow.seed.compute_url)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      await slow.close();
    }
  });

  it('listens on ::1 when asked, with a bracketed URL', async () => {
    let v6: RunningFakeCloud;
    try {
      v6 = await startFakeCloud({ host: '::1' });
    } catch (error) {
      // A machine without IPv6 loopback cannot run this case; the refusal must still be clean.
      expect(String(error)).toMatch(/cannot listen on ::1/);
      return;
    }
    try {
      expect(v6.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await new CloudClient(v6).call('GET', v6.seed.compute_url)).status).toBe(200);
    } finally {
      await v6.close();
    }
  });

  it('refuses hosts that are not loopback, bad ports and bad profiles', async () => {
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.1']) await expect(startFakeCloud({ host })).rejects.toThrow('loopback only');
    await expect(startFakeCloud({ port: 70000 })).rejects.toThrow('port must be');
    await expect(startFakeCloud({ profile: 'aws' as 'nova' })).rejects.toThrow('profile must be');
  });
});
