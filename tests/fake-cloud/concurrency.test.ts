/**
 * Races: many clients attaching the same port, or asking for the same address, at the same time.
 * Exactly one wins; the others are refused with 409; the state stays consistent.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { CloudClient, attachmentOf, type Answer } from './helpers.ts';

let cloud: RunningFakeCloud;
let c: CloudClient;
/** A POST through supertest: each request on its own socket, so the 100 really are in flight together. */
function post(url: string, token: string, body: unknown): Promise<Answer> {
  return c.call('POST', url, { headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' }, body });
}

beforeAll(async () => {
  cloud = await startFakeCloud();
  c = new CloudClient(cloud);
});
afterAll(() => cloud.close());
beforeEach(() => cloud.reset());

it('100 concurrent attaches of one free port: exactly one 200, 99 × 409, the port bound once', async () => {
  const port = c.seed.port_ids[0] as string;
  const answers = await Promise.all(Array.from({ length: 100 }, () => post(c.interfacesUrl(), c.seed.token, { interfaceAttachment: { port_id: port } })));
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  const state = cloud.state();
  expect(state.attachments_by_server[c.seed.server_id]?.filter((id) => id === port)).toHaveLength(1);
  expect(state.port_devices[port]).toBe(c.seed.server_id);
  expect(state.attachments).toBe(3);
  const list = await c.get(c.interfacesUrl());
  expect((list.json as { interfaceAttachments: Array<{ port_id: string }> }).interfaceAttachments.filter((i) => i.port_id === port)).toHaveLength(1);
});

it('100 concurrent attaches of one port to two servers of the project: one winner overall', async () => {
  const boot = await post(`${c.seed.compute_url}/servers`, c.seed.token, { server: { name: 'second', flavorRef: '1', networks: 'none' } });
  const second = (boot.json as { server: { id: string } }).server.id;
  // Wait for BUILD → ACTIVE: a building server refuses attach with 409, which would blur the count.
  for (let i = 0; i < 200; i++) {
    const show = await c.get(`${c.seed.compute_url}/servers/${second}`);
    if ((show.json as { server: { status: string } }).server.status === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const port = c.seed.port_ids[1] as string;
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      post(c.interfacesUrl(i % 2 === 0 ? c.seed.server_id : second), c.seed.token, { interfaceAttachment: { port_id: port } }),
    ),
  );
  expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
  expect(answers.filter((a) => a.status === 409)).toHaveLength(99);
  const owners = Object.entries(cloud.state().attachments_by_server).filter(([, ports]) => ports.includes(port));
  expect(owners).toHaveLength(1);
});

it('50 concurrent requests for the same fixed IP: one 200, 49 × 409; 50 auto-allocations get 50 distinct addresses', async () => {
  const body = { interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.123' }] } };
  const same = await Promise.all(Array.from({ length: 50 }, () => post(c.interfacesUrl(), c.seed.token, body)));
  expect(same.filter((a) => a.status === 200)).toHaveLength(1);
  expect(same.filter((a) => a.status === 409)).toHaveLength(49);
  const auto = await Promise.all(Array.from({ length: 50 }, () => post(c.interfacesUrl(), c.seed.token, { interfaceAttachment: {} })));
  expect(auto.every((a) => a.status === 200)).toBe(true);
  const addresses = auto.map((a) => attachmentOf(a).fixed_ips?.[0]?.ip_address);
  expect(new Set(addresses).size).toBe(50);
  expect(addresses).not.toContain('10.20.0.123');
  expect(cloud.state().attachments_by_server[c.seed.server_id]).toHaveLength(52);
});
