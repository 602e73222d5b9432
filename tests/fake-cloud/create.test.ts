/**
 * Create Interface on the faithful cloud (document profile): every answer of Nova's check order,
 * the 200 body, address allocation, auto-allocation, tags across microversions, list/show/detach.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { MAC_PATTERN, UUID_PATTERN, attachmentOf, attachmentsOf, CloudClient, faultOf } from './helpers.ts';

let cloud: RunningFakeCloud;
let c: CloudClient;

beforeAll(async () => {
  cloud = await startFakeCloud({ buildDelayMs: 20 });
  c = new CloudClient(cloud);
});
afterAll(() => cloud.close());
beforeEach(() => cloud.reset());

describe('success', () => {
  it("attaches a free port by port_id: 200, interfaceAttachment with Nova's fields, bound in Neutron", async () => {
    const a = await c.create(c.attachPortBody(0));
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(a.headers['openstack-api-version']).toBe('compute 2.1');
    expect(a.headers['x-openstack-nova-api-version']).toBe('2.1');
    expect(a.headers.vary).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    expect(a.headers['x-openstack-request-id']).toMatch(/^req-/);
    expect(a.headers['x-compute-request-id']).toBe(a.headers['x-openstack-request-id']);
    expect(Object.keys(a.json as object)).toEqual(['interfaceAttachment']);
    const view = attachmentOf(a);
    expect(Object.keys(view).sort()).toEqual(['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state']);
    expect(view.port_id).toBe(c.seed.port_ids[0]);
    expect(view.net_id).toBe(c.seed.network_id);
    expect(view.mac_addr).toMatch(MAC_PATTERN);
    expect(view.mac_addr.startsWith('fa:16:3e:')).toBe(true);
    expect(view.port_state).toBe('ACTIVE');
    expect(view.fixed_ips).toHaveLength(1);
    expect(view.fixed_ips?.[0]?.subnet_id).toBe(c.seed.subnet_id);
    expect(view.fixed_ips?.[0]?.ip_address).toMatch(/^10\.20\.0\.\d+$/);
    expect(c.attached()).toContain(view.port_id);
    const port = await c.get(`${c.seed.network_url}/ports/${view.port_id}`);
    expect(port.json).toMatchObject({ port: { device_id: c.seed.server_id, device_owner: 'compute:nova', status: 'ACTIVE' } });
  });

  it('attaches by net_id: a new port on that network with an address from the subnet', async () => {
    const a = await c.create({ interfaceAttachment: { net_id: c.seed.network_id } });
    expect(a.status).toBe(200);
    const view = attachmentOf(a);
    expect(view.net_id).toBe(c.seed.network_id);
    expect(view.port_id).toMatch(UUID_PATTERN);
    expect(c.seed.port_ids).not.toContain(view.port_id);
    expect(view.fixed_ips?.[0]?.ip_address).toMatch(/^10\.20\.0\.(\d+)$/);
  });

  it('attaches by net_id with a requested address, and refuses the same address again (409)', async () => {
    const body = { interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.77' }] } };
    const a = await c.create(body);
    expect(a.status).toBe(200);
    expect(attachmentOf(a).fixed_ips?.[0]?.ip_address).toBe('10.20.0.77');
    const again = await c.create(body);
    expect(again.status).toBe(409);
    expect(faultOf(again)).toMatchObject({ name: 'conflictingRequest', code: 409 });
    expect(faultOf(again).message).toContain('10.20.0.77');
  });

  it('refuses an address outside the subnet with 400, and the gateway as in use (409)', async () => {
    const outside = await c.create({ interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: [{ ip_address: '192.168.7.7' }] } });
    expect(outside.status).toBe(400);
    const v6 = await c.create({ interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: [{ ip_address: 'fd00::5' }] } });
    expect(v6.status).toBe(400);
    const gateway = await c.create({ interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.1' }] } });
    expect(gateway.status).toBe(409);
    expect(c.attached()).toHaveLength(1);
  });

  it('auto-allocates on the project\'s only network for {"interfaceAttachment": {}} and for {}', async () => {
    for (const body of [{ interfaceAttachment: {} }, {}]) {
      const a = await c.create(body);
      expect(a.status).toBe(200);
      expect(attachmentOf(a).net_id).toBe(c.seed.network_id);
    }
    expect(c.attached()).toHaveLength(3);
  });

  it('auto-allocation: several networks → 400 NetworkAmbiguous; none → 400 no network', async () => {
    const altHeaders = { 'X-Auth-Token': c.seed.alt_token, 'Content-Type': 'application/json' };
    const altServer = Object.keys(cloud.state().attachments_by_server).find((id) => id !== c.seed.server_id) as string;
    const altUrl = `${c.seed.compute_url}/servers/${altServer}/os-interface`;
    const created = await c.call('POST', `${c.seed.network_url}/networks`, { headers: altHeaders, body: { network: { name: 'second' } } });
    expect(created.status).toBe(201);
    const ambiguous = await c.call('POST', altUrl, { headers: altHeaders, body: { interfaceAttachment: {} } });
    expect(ambiguous.status).toBe(400);
    expect(faultOf(ambiguous).message).toBe('Multiple possible networks found, use a Network ID to be more specific.');
    // A network without subnet gives a port without addresses: fixed_ips null.
    const secondId = (created.json as { network: { id: string } }).network.id;
    const bare = await c.call('POST', altUrl, { headers: altHeaders, body: { interfaceAttachment: { net_id: secondId } } });
    expect(bare.status).toBe(200);
    expect(attachmentOf(bare).fixed_ips).toBeNull();

    // Remove every network of the alt project, then boot a server without network and ask again.
    await c.call('DELETE', `${c.seed.compute_url}/servers/${altServer}`, { headers: altHeaders });
    const ports = await c.call('GET', `${c.seed.network_url}/ports`, { headers: altHeaders });
    for (const port of (ports.json as { ports: Array<{ id: string }> }).ports) {
      expect((await c.call('DELETE', `${c.seed.network_url}/ports/${port.id}`, { headers: altHeaders })).status).toBe(204);
    }
    const nets = await c.call('GET', `${c.seed.network_url}/networks`, { headers: altHeaders });
    for (const net of (nets.json as { networks: Array<{ id: string }> }).networks) {
      expect((await c.call('DELETE', `${c.seed.network_url}/networks/${net.id}`, { headers: altHeaders })).status).toBe(204);
    }
    const boot = await c.call('POST', `${c.seed.compute_url}/servers`, {
      headers: { ...altHeaders, 'OpenStack-API-Version': 'compute 2.37' },
      body: { server: { name: 'lonely', flavorRef: '1', networks: 'none' } },
    });
    expect(boot.status).toBe(202);
    const lonely = (boot.json as { server: { id: string } }).server.id;
    await waitActive(lonely, c.seed.alt_token);
    const none = await c.call('POST', `${c.seed.compute_url}/servers/${lonely}/os-interface`, { headers: altHeaders, body: {} });
    expect(none.status).toBe(400);
    expect(faultOf(none).message).toContain('none are available for project');
  });
});

async function waitActive(serverId: string, token = c.seed.token): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const s = await c.get(`${c.seed.compute_url}/servers/${serverId}`, token);
    if ((s.json as { server: { status: string } }).server.status === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('server did not become ACTIVE');
}

describe("refusals in Nova's order", () => {
  it.each([
    [
      'net_id and port_id',
      () => ({ interfaceAttachment: { net_id: c.seed.network_id, port_id: c.seed.port_ids[0] } }),
      'Must not input both network_id and port_id',
    ],
    ['fixed_ips alone', () => ({ interfaceAttachment: { fixed_ips: [{ ip_address: '10.20.0.50' }] } }), 'Must input network_id when request IP address'],
    [
      'fixed_ips with port_id',
      () => ({ interfaceAttachment: { port_id: c.seed.port_ids[0], fixed_ips: [{ ip_address: '10.20.0.50' }] } }),
      'Must input network_id when request IP address',
    ],
  ])("%s → 400 with Nova's message, nothing attached", async (_name, body, message) => {
    const a = await c.create(body());
    expect(a.status).toBe(400);
    expect(faultOf(a)).toEqual({ name: 'badRequest', code: 400, message });
    expect(c.attached()).toHaveLength(1);
  });

  it('empty body → 400 "None is not of type \'object\'"; chunked empty body too', async () => {
    const a = await c.create(undefined);
    expect(a.status).toBe(400);
    expect(faultOf(a).message).toBe("None is not of type 'object'");
    const b = await c.create('');
    expect(b.status).toBe(400);
  });

  it.each([
    ['a string wrapper', { interfaceAttachment: 'port' }, "is not of type 'object'"],
    ['a list wrapper', { interfaceAttachment: [] }, "is not of type 'object'"],
    ['a null wrapper', { interfaceAttachment: null }, "None is not of type 'object'"],
    ['a malformed port_id', { interfaceAttachment: { port_id: 'not-a-uuid' } }, "is not a 'uuid'"],
    ['a numeric net_id', { interfaceAttachment: { net_id: 7 } }, "is not of type 'string'"],
    ['a null port_id', { interfaceAttachment: { port_id: null } }, "None is not of type 'string'"],
    ['fixed_ips not a list', { interfaceAttachment: { net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6', fixed_ips: '10.0.0.1' } }, "is not of type 'array'"],
    [
      'a CIDR address',
      { interfaceAttachment: { net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6', fixed_ips: [{ ip_address: '10.0.0.5/24' }] } },
      'not valid under any of the given schemas',
    ],
    ['an empty fixed_ips', { interfaceAttachment: { net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6', fixed_ips: [] } }, 'should be non-empty'],
    [
      'two fixed_ips',
      { interfaceAttachment: { net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6', fixed_ips: [{ ip_address: '10.0.0.5' }, { ip_address: '10.0.0.6' }] } },
      'is too long',
    ],
    [
      'a subnet_id in fixed_ips',
      {
        interfaceAttachment: {
          net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6',
          fixed_ips: [{ ip_address: '10.0.0.5', subnet_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6' }],
        },
      },
      'Additional properties are not allowed',
    ],
    ['no ip_address', { interfaceAttachment: { net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6', fixed_ips: [{}] } }, "'ip_address' is a required property"],
    ['an unknown top-level key', { interfaceAttachment: {}, extra: 1 }, "('extra' was unexpected)"],
    ['an unknown inner key', { interfaceAttachment: { foo: 1 } }, "('foo' was unexpected)"],
    ['a tag at 2.1', { interfaceAttachment: { tag: 'a' } }, "('tag' was unexpected)"],
    ['a JSON list body', [1], "[1] is not of type 'object'"],
    ['a JSON string body', 'abc', 'Malformed request body'],
  ])('schema: %s → 400 even on a missing server', async (_name, body, message) => {
    const a = await c.create(body, { serverId: '00000000-0000-4000-8000-000000000000' });
    expect(a.status).toBe(400);
    expect(faultOf(a).message).toContain(message);
  });

  it('accepts loose UUID forms in the schema (oslo is_uuid_like), then answers 404', async () => {
    const id = '3CB9BC59569945884A4B1B87F96708BC6'.slice(0, 32);
    for (const form of [id, `{${id}}`, `urn:uuid:${id}`]) {
      const a = await c.create({ interfaceAttachment: { port_id: form } });
      expect(a.status).toBe(404);
    }
  });

  it('missing server → 404 before the both-ids check; missing port/network → 404', async () => {
    const missing = await c.create(
      { interfaceAttachment: { net_id: c.seed.network_id, port_id: c.seed.port_ids[0] } },
      { serverId: '00000000-0000-4000-8000-000000000000' },
    );
    expect(missing.status).toBe(404);
    expect(faultOf(missing)).toMatchObject({ name: 'itemNotFound', message: 'Instance 00000000-0000-4000-8000-000000000000 could not be found.' });
    const port = await c.create({ interfaceAttachment: { port_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6' } });
    expect(port.status).toBe(404);
    expect(faultOf(port).message).toBe('Port 3cb9bc59-5699-4588-a4b1-b87f96708bc6 could not be found.');
    const net = await c.create({ interfaceAttachment: { net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6' } });
    expect(net.status).toBe(404);
    expect(faultOf(net).message).toBe('Network 3cb9bc59-5699-4588-a4b1-b87f96708bc6 could not be found.');
  });

  it('reader token → 403 with the create policy, after the instance lookup', async () => {
    const a = await c.create(c.attachPortBody(0), { token: c.seed.reader_token });
    expect(a.status).toBe(403);
    expect(faultOf(a)).toEqual({ name: 'forbidden', code: 403, message: "Policy doesn't allow os_compute_api:os-attach-interfaces:create to be performed." });
    const missing = await c.create(c.attachPortBody(0), { token: c.seed.reader_token, serverId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    // The reader may list.
    expect((await c.get(c.interfacesUrl(), c.seed.reader_token)).status).toBe(200);
    expect(c.attached()).toHaveLength(1);
  });

  it('port already attached → 409 PortInUse; locked, paused-then-building states → 409', async () => {
    expect((await c.create(c.attachPortBody(0))).status).toBe(200);
    const again = await c.create(c.attachPortBody(0));
    expect(again.status).toBe(409);
    expect(faultOf(again).message).toBe(`Port ${c.seed.port_ids[0]} is still in use.`);
    const action = (body: unknown) =>
      c.call('POST', `${c.seed.compute_url}/servers/${c.seed.server_id}/action`, {
        headers: { 'X-Auth-Token': c.seed.token, 'Content-Type': 'application/json' },
        body,
      });
    expect((await action({ lock: null })).status).toBe(202);
    const locked = await c.create(c.attachPortBody(1));
    expect(locked.status).toBe(409);
    expect(faultOf(locked).message).toBe(`Instance ${c.seed.server_id} is locked`);
    expect((await action({ unlock: null })).status).toBe(202);
    expect((await action({ pause: null })).status).toBe(202);
    expect((await c.create(c.attachPortBody(1))).status).toBe(200);
    expect((await action({ unpause: null })).status).toBe(202);
    expect((await action({ 'os-stop': null })).status).toBe(202);
    expect((await c.create(c.attachPortBody(2))).status).toBe(200);
    // A server still building refuses attach.
    const boot = await c.call('POST', `${c.seed.compute_url}/servers`, {
      headers: { 'X-Auth-Token': c.seed.token, 'Content-Type': 'application/json' },
      body: { server: { name: 'b', flavorRef: '1', networks: 'auto' } },
    });
    const building = (boot.json as { server: { id: string } }).server.id;
    const early = await c.create(c.attachPortBody(3), { serverId: building });
    expect(early.status).toBe(409);
    expect(faultOf(early).message).toContain('while it is in vm_state building');
    await waitActive(building);
    expect((await c.create(c.attachPortBody(3), { serverId: building })).status).toBe(200);
  });

  it("another project's port or network does not exist for the caller (404)", async () => {
    const altPorts = await c.call('GET', `${c.seed.network_url}/ports`, { headers: { 'X-Auth-Token': c.seed.alt_token } });
    const altFree = (altPorts.json as { ports: Array<{ id: string; device_id: string; network_id: string }> }).ports.find((p) => p.device_id === '');
    expect(altFree).toBeDefined();
    expect((await c.create({ interfaceAttachment: { port_id: altFree?.id } })).status).toBe(404);
    expect((await c.create({ interfaceAttachment: { net_id: altFree?.network_id } })).status).toBe(404);
  });
});

describe('microversions and tags', () => {
  it('no header is 2.1; the legacy header works; the standard header wins; latest is the maximum', async () => {
    const legacy = await c.get(c.interfacesUrl(), c.seed.token, { 'X-OpenStack-Nova-API-Version': '2.70' });
    expect(legacy.headers['openstack-api-version']).toBe('compute 2.70');
    const both = await c.get(c.interfacesUrl(), c.seed.token, { 'X-OpenStack-Nova-API-Version': '2.70', 'OpenStack-API-Version': 'compute 2.50' });
    expect(both.headers['openstack-api-version']).toBe('compute 2.50');
    const latest = await c.get(c.interfacesUrl(), c.seed.token, { 'OpenStack-API-Version': 'compute latest' });
    expect(latest.headers['openstack-api-version']).toBe(`compute ${c.seed.max_microversion}`);
    const other = await c.get(c.interfacesUrl(), c.seed.token, { 'OpenStack-API-Version': 'placement 1.2, compute 2.60' });
    expect(other.headers['x-openstack-nova-api-version']).toBe('2.60');
  });

  it('malformed → 400, out of range → 406 computeFault', async () => {
    const bad = await c.create(c.attachPortBody(0), { version: '2.x' });
    expect(bad.status).toBe(400);
    expect(faultOf(bad).message).toContain('is of invalid format');
    expect(bad.headers['openstack-api-version']).toBeUndefined();
    for (const v of ['9.99', '2.999', '2.0', '1.1']) {
      const high = await c.create(c.attachPortBody(0), { version: v });
      expect(high.status).toBe(406);
      expect(faultOf(high)).toMatchObject({ name: 'computeFault', code: 406 });
    }
    expect(c.attached()).toHaveLength(1);
  });

  it('tag: refused at 2.1 and 2.48, accepted from 2.49, returned from 2.70 (tag or null) in create, show and list', async () => {
    expect((await c.create({ interfaceAttachment: { port_id: c.seed.port_ids[0], tag: 'nic1' } }, { version: '2.48' })).status).toBe(400);
    const at249 = await c.create({ interfaceAttachment: { port_id: c.seed.port_ids[0], tag: 'nic1' } }, { version: '2.49' });
    expect(at249.status).toBe(200);
    expect('tag' in attachmentOf(at249)).toBe(false);
    const at270 = await c.create({ interfaceAttachment: { port_id: c.seed.port_ids[1], tag: 'x'.repeat(60) } }, { version: '2.70' });
    expect(attachmentOf(at270).tag).toBe('x'.repeat(60));
    const untagged = await c.create({ interfaceAttachment: { port_id: c.seed.port_ids[2] } }, { version: '2.70' });
    expect(attachmentOf(untagged).tag).toBeNull();
    const show = await c.get(`${c.interfacesUrl()}/${c.seed.port_ids[0]}`, c.seed.token, { 'OpenStack-API-Version': 'compute 2.70' });
    expect(attachmentOf(show).tag).toBe('nic1');
    const list = attachmentsOf(await c.get(c.interfacesUrl(), c.seed.token, { 'OpenStack-API-Version': 'compute 2.70' }));
    expect(list.map((i) => i.tag)).toEqual([null, 'nic1', 'x'.repeat(60), null]);
    const old = attachmentsOf(await c.get(c.interfacesUrl()));
    expect(old.every((i) => !('tag' in i))).toBe(true);
  });

  it.each([[''], ['a,b'], ['a/b'], ['x'.repeat(61)], [null], [5]])('malformed tag %j at 2.49 → 400', async (tag) => {
    const a = await c.create({ interfaceAttachment: { port_id: c.seed.port_ids[0], tag } }, { version: '2.49' });
    expect(a.status).toBe(400);
    expect(c.attached()).toHaveLength(1);
  });
});

describe('list, show, detach', () => {
  it('an attached port shows up in list and show; detach answers 202 and removes it; the port stays in Neutron unbound', async () => {
    const port = c.seed.port_ids[0] as string;
    expect((await c.create(c.attachPortBody(0))).status).toBe(200);
    expect(attachmentsOf(await c.get(c.interfacesUrl())).map((i) => i.port_id)).toContain(port);
    const show = await c.get(`${c.interfacesUrl()}/${port}`);
    expect(attachmentOf(show).port_id).toBe(port);
    const del = await c.call('DELETE', `${c.interfacesUrl()}/${port}`, { headers: { 'X-Auth-Token': c.seed.token } });
    expect(del.status).toBe(202);
    expect(del.text).toBe('');
    expect(attachmentsOf(await c.get(c.interfacesUrl())).map((i) => i.port_id)).not.toContain(port);
    expect((await c.get(`${c.interfacesUrl()}/${port}`)).status).toBe(404);
    const neutron = await c.get(`${c.seed.network_url}/ports/${port}`);
    expect(neutron.json).toMatchObject({ port: { device_id: '', device_owner: '', status: 'DOWN' } });
    // Free again: attach works.
    expect((await c.create(c.attachPortBody(0))).status).toBe(200);
  });

  it('a port Nova created (net_id attach) is deleted on detach; its address is free again', async () => {
    const a = attachmentOf(await c.create({ interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.99' }] } }));
    expect((await c.call('DELETE', `${c.interfacesUrl()}/${a.port_id}`, { headers: { 'X-Auth-Token': c.seed.token } })).status).toBe(202);
    expect((await c.get(`${c.seed.network_url}/ports/${a.port_id}`)).status).toBe(404);
    expect((await c.create({ interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.99' }] } })).status).toBe(200);
  });

  it('detach of a port that is not attached → 404; reader → 403; with a delay the port leaves later', async () => {
    const free = c.seed.port_ids[3] as string;
    expect((await c.call('DELETE', `${c.interfacesUrl()}/${free}`, { headers: { 'X-Auth-Token': c.seed.token } })).status).toBe(404);
    expect((await c.call('DELETE', `${c.interfacesUrl()}/${free}`, { headers: { 'X-Auth-Token': c.seed.reader_token } })).status).toBe(403);
    await c.control('POST', 'settings', { detach_delay_ms: 60 });
    expect((await c.create(c.attachPortBody(3))).status).toBe(200);
    expect((await c.call('DELETE', `${c.interfacesUrl()}/${free}`, { headers: { 'X-Auth-Token': c.seed.token } })).status).toBe(202);
    expect(c.attached()).toContain(free);
    await new Promise((r) => setTimeout(r, 120));
    expect(c.attached()).not.toContain(free);
    await c.control('POST', 'settings', { detach_delay_ms: 0 });
  });

  it('show of a port of the project that is not on this server → 404 "does not have a port"', async () => {
    const a = await c.get(`${c.interfacesUrl()}/${c.seed.port_ids[1]}`);
    expect(a.status).toBe(404);
    expect(faultOf(a).message).toContain('does not have a port with id');
  });
});
