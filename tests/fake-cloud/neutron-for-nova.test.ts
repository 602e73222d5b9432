/**
 * The fake cloud as Neutron (and Glance) beside a real Nova and Keystone (fixtures/real-openstack):
 * tokens validated by an external Keystone (here a stub that answers like Keystone's
 * GET /v3/auth/tokens), and what Nova 26 calls on Neutron: port binding by PUT, `fields=`,
 * extensions, quotas, floating IPs, DHCP-port queries, Neutron's error types, the admin's view
 * of every project and a member's view of its own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { call, type Answer } from './helpers.ts';

const PROJECT_A = 'a'.repeat(32);
const PROJECT_B = 'b'.repeat(32);
const SERVICE = 'c'.repeat(32);
const SERVICE_PASSWORD = 'service-secret';
/** Tokens the stub Keystone knows: id → project and roles. */
const TOKENS: Record<string, { project: string; roles: string[] }> = {
  'member-a': { project: PROJECT_A, roles: ['member', 'reader'] },
  'member-b': { project: PROJECT_B, roles: ['member', 'reader'] },
  'reader-a': { project: PROJECT_A, roles: ['reader'] },
  'nova-admin': { project: SERVICE, roles: ['admin', 'member', 'reader'] },
};

let keystone: http.Server;
let keystoneUrl: string;
let validations = 0;
let keystoneDown = false;
let cloud: RunningFakeCloud;
let net: string;

function tokenBody(project: string, roles: string[]) {
  return {
    token: { project: { id: project, name: project }, roles: roles.map((name) => ({ name })), expires_at: new Date(Date.now() + 3_600_000).toISOString() },
  };
}

beforeAll(async () => {
  keystone = http.createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (keystoneDown) return send(500, { error: { code: 500 } });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        const auth = JSON.parse(Buffer.concat(chunks).toString()) as { auth: { identity: { password: { user: { name: string; password: string } } } } };
        const user = auth.auth.identity.password.user;
        if (user.name !== 'neutron' || user.password !== SERVICE_PASSWORD) return send(401, { error: { code: 401 } });
        return send(201, tokenBody(SERVICE, ['admin', 'service']), { 'X-Subject-Token': 'service-token' });
      }
      if (req.headers['x-auth-token'] !== 'service-token') return send(401, { error: { code: 401 } });
      validations++;
      const subject = TOKENS[String(req.headers['x-subject-token'])];
      if (!subject) return send(404, { error: { code: 404 } });
      return send(200, tokenBody(subject.project, subject.roles));
    });
  });
  await new Promise<void>((resolve) => keystone.listen(0, '127.0.0.1', resolve));
  keystoneUrl = `http://127.0.0.1:${(keystone.address() as AddressInfo).port}/v3`;
  cloud = await startFakeCloud({
    profile: 'nova',
    externalIdentity: { url: keystoneUrl, username: 'neutron', password: SERVICE_PASSWORD, projectName: 'service' },
  });
  net = cloud.seed.network_url;
});
afterAll(async () => {
  await cloud.close();
  await new Promise((resolve) => keystone.close(resolve));
});
beforeEach(() => {
  keystoneDown = false;
});

function as(token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  return call(method, `${net}${path}`, { headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body }) });
}

async function networkWithSubnet(token: string, cidr: string): Promise<{ network: string; subnet: string }> {
  const n = await as(token, 'POST', '/networks', { network: { name: 'n' } });
  expect(n.status).toBe(201);
  const network = (n.json as { network: { id: string } }).network.id;
  const s = await as(token, 'POST', '/subnets', { subnet: { network_id: network, cidr, ip_version: 4 } });
  expect(s.status).toBe(201);
  return { network, subnet: (s.json as { subnet: { id: string } }).subnet.id };
}

type PortBody = { port: Record<string, unknown> & { id: string } };

describe('tokens of an external Keystone', () => {
  it("a token Keystone does not know, none, or the fake's own seed token: 401 pointing to that Keystone", async () => {
    for (const token of ['unknown', cloud.seed.token]) {
      const a = await as(token, 'GET', '/networks');
      expect(a.status).toBe(401);
      expect(a.headers['www-authenticate']).toBe(`Keystone uri="${keystoneUrl}"`);
    }
    expect((await call('GET', `${net}/networks`)).status).toBe(401);
    expect((await call('GET', `${cloud.seed.image_url}/images`, { headers: { 'X-Auth-Token': 'unknown' } })).status).toBe(401);
  });

  it('a known token is validated once and then cached', async () => {
    const before = validations;
    for (let i = 0; i < 3; i++) expect((await as('member-b', 'GET', '/ports')).status).toBe(200);
    expect(validations - before).toBeLessThanOrEqual(1);
  });

  it('Keystone failing: 503 NeutronError, never a 401 or a crash', async () => {
    keystoneDown = true;
    const a = await as('token-never-seen', 'GET', '/networks');
    expect(a.status).toBe(503);
    expect(a.json).toMatchObject({ NeutronError: { type: 'ServiceUnavailable' } });
  });

  it('the image service reads its schema and images with such a token (glanceclient needs the schema)', async () => {
    const schema = await call('GET', `${cloud.seed.image_url}/schemas/image`, { headers: { 'X-Auth-Token': 'member-a' } });
    expect(schema.status).toBe(200);
    expect(schema.json).toMatchObject({ name: 'image', properties: { id: { type: 'string' } } });
    const images = await call('GET', `${cloud.seed.image_url}/images`, { headers: { 'X-Auth-Token': 'member-a' } });
    expect((images.json as { images: unknown[] }).images).toHaveLength(1);
  });
});

describe('what Nova calls on Neutron', () => {
  it('a member sees only its project; the admin sees every project and creates a port for one', async () => {
    const { network } = await networkWithSubnet('member-a', '10.60.0.0/24');
    const own = await as('member-a', 'POST', '/ports', { port: { network_id: network } });
    expect(own.status).toBe(201);
    const portId = (own.json as PortBody).port.id;
    expect((await as('member-b', 'GET', `/ports/${portId}`)).json).toMatchObject({ NeutronError: { type: 'PortNotFound' } });
    expect((await as('member-b', 'GET', `/networks/${network}`)).json).toMatchObject({ NeutronError: { type: 'NetworkNotFound' } });
    expect(((await as('member-b', 'GET', `/ports?network_id=${network}`)).json as { ports: unknown[] }).ports).toHaveLength(0);
    expect((await as('nova-admin', 'GET', `/ports/${portId}`)).status).toBe(200);
    // Nova creates a port for the instance's project with its own (admin) token.
    const forA = await as('nova-admin', 'POST', '/ports', { port: { network_id: network, tenant_id: PROJECT_A, device_id: 'server-1' } });
    expect(forA.status).toBe(201);
    expect((forA.json as PortBody).port).toMatchObject({ tenant_id: PROJECT_A, project_id: PROJECT_A, device_id: 'server-1' });
    const listed = (await as('member-a', 'GET', '/ports?device_id=server-1')).json as { ports: Array<{ id: string }> };
    expect(listed.ports.map((p) => p.id)).toEqual([(forA.json as PortBody).port.id]);
    // A member may not create a port in another project.
    const foreign = await as('member-b', 'POST', '/ports', { port: { network_id: network, tenant_id: PROJECT_A } });
    expect(foreign.status).toBe(404); // the network is not visible to B at all
    const { network: netB } = await networkWithSubnet('member-b', '10.61.0.0/24');
    const forged = await as('member-b', 'POST', '/ports', { port: { network_id: netB, tenant_id: PROJECT_A } });
    expect(forged.status).toBe(403);
    expect(forged.json).toMatchObject({ NeutronError: { type: 'PolicyNotAuthorized' } });
  });

  it('PUT binds a port (device, compute owner, host: ACTIVE, vif_type ovs) and unbinds it (DOWN, unbound)', async () => {
    const { network } = await networkWithSubnet('member-a', '10.62.0.0/24');
    const port = ((await as('member-a', 'POST', '/ports', { port: { network_id: network } })).json as PortBody).port;
    expect(port).toMatchObject({ status: 'DOWN', 'binding:vif_type': 'unbound', 'binding:host_id': '' });
    const bound = await as('nova-admin', 'PUT', `/ports/${port.id}`, {
      port: { device_id: 'server-2', device_owner: 'compute:nova', 'binding:host_id': 'osi-compute', 'binding:profile': {} },
    });
    expect(bound.status).toBe(200);
    expect((bound.json as PortBody).port).toMatchObject({
      device_id: 'server-2',
      device_owner: 'compute:nova',
      'binding:host_id': 'osi-compute',
      'binding:vif_type': 'ovs',
      status: 'ACTIVE',
    });
    const unbound = await as('nova-admin', 'PUT', `/ports/${port.id}`, {
      port: { device_id: '', device_owner: '', 'binding:host_id': null, 'binding:profile': {} },
    });
    expect((unbound.json as PortBody).port).toMatchObject({
      device_id: '',
      device_owner: '',
      'binding:host_id': '',
      'binding:vif_type': 'unbound',
      status: 'DOWN',
    });
    expect((await as('member-b', 'PUT', `/ports/${port.id}`, { port: { name: 'x' } })).status).toBe(404);
    expect((await as('reader-a', 'PUT', `/ports/${port.id}`, { port: { name: 'x' } })).status).toBe(403);
    expect((await as('member-a', 'PUT', `/ports/${port.id}`, { port: { device_id: 5 } })).status).toBe(400);
    expect((await as('member-a', 'PUT', `/ports/${port.id}`, {})).status).toBe(400);
  });

  it('fields= keeps only the asked keys; shared=False and tenant_id filter as Neutron reads them', async () => {
    const { network } = await networkWithSubnet('member-a', '10.63.0.0/24');
    const shown = await as('member-a', 'GET', `/networks/${network}?fields=provider:physical_network&fields=provider:network_type`);
    expect(shown.json).toEqual({ network: {} });
    const ids = await as('member-a', 'GET', `/networks/${network}?fields=id&fields=name`);
    expect(ids.json).toEqual({ network: { id: network, name: 'n' } });
    const own = (await as('member-a', 'GET', `/networks?tenant_id=${PROJECT_A}&shared=False&fields=id`)).json as { networks: Array<Record<string, unknown>> };
    expect(own.networks.length).toBeGreaterThan(0);
    expect(own.networks.every((n) => Object.keys(n).join() === 'id')).toBe(true);
    expect(((await as('member-a', 'GET', '/networks?shared=True')).json as { networks: unknown[] }).networks).toHaveLength(0);
    const dhcp = await as('member-a', 'GET', `/ports?network_id=${network}&device_owner=network:dhcp`);
    expect(dhcp.json).toEqual({ ports: [] });
  });

  it("extensions (binding, quotas), a project's port quota (unlimited) and floating IPs (none)", async () => {
    const ext = (await as('member-a', 'GET', '/extensions')).json as { extensions: Array<{ alias: string }> };
    expect(ext.extensions.map((e) => e.alias).sort()).toEqual(['binding', 'quotas']);
    expect((await as('member-a', 'GET', '/extensions/binding')).json).toMatchObject({ extension: { alias: 'binding' } });
    expect((await as('member-a', 'GET', '/extensions/segment')).status).toBe(404);
    expect((await as('member-a', 'GET', `/quotas/${PROJECT_A}`)).json).toMatchObject({ quota: { port: -1 } });
    expect((await as('member-a', 'GET', `/quotas/${PROJECT_B}`)).status).toBe(403);
    expect((await as('member-a', 'GET', '/floatingips?fixed_ip_address=10.0.0.5&port_id=x')).json).toEqual({ floatingips: [] });
    expect((await as('member-a', 'POST', '/extensions', {})).status).toBe(404);
  });

  it('Neutron error types Nova maps: unknown port and network, address taken, address outside the subnet', async () => {
    const { network } = await networkWithSubnet('member-a', '10.64.0.0/24');
    expect((await as('member-a', 'GET', '/ports/00000000-0000-4000-8000-000000000000')).json).toMatchObject({ NeutronError: { type: 'PortNotFound' } });
    expect((await as('member-a', 'GET', '/networks/00000000-0000-4000-8000-000000000000')).json).toMatchObject({ NeutronError: { type: 'NetworkNotFound' } });
    const first = await as('member-a', 'POST', '/ports', { port: { network_id: network, fixed_ips: [{ ip_address: '10.64.0.9' }] } });
    expect(first.status).toBe(201);
    const taken = await as('member-a', 'POST', '/ports', { port: { network_id: network, fixed_ips: [{ ip_address: '10.64.0.9' }] } });
    expect([taken.status, (taken.json as { NeutronError: { type: string } }).NeutronError.type]).toEqual([409, 'IpAddressAlreadyAllocated']);
    const outside = await as('member-a', 'POST', '/ports', { port: { network_id: network, fixed_ips: [{ ip_address: '10.99.0.9' }] } });
    expect([outside.status, (outside.json as { NeutronError: { type: string } }).NeutronError.type]).toEqual([400, 'InvalidIpForNetwork']);
  });
});
