/**
 * The resource ledger (append, read back, what is outstanding, compaction), cleanup from it against
 * the fake cloud (never touching what existed before), and the leak comparison.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { AuthorizedSender, FixedToken } from '../../suites/cloud/authorized.ts';
import { cleanupLedgerOnly } from '../../cli/cleanup-only.ts';
import { LedgerCleaner } from '../../suites/cloud/cleanup.ts';
import { readConfig } from '../../suites/harness/config.ts';
import { CloudApi } from '../../suites/cloud/cloud-api.ts';
import { compareSnapshots, takeSnapshot } from '../../suites/cloud/leak-check.ts';
import { outstanding, readLedger, ResourceLedger } from '../../suites/cloud/ledger.ts';
import { Provisioner } from '../../suites/cloud/provision.ts';
import { HttpClient } from '../../suites/harness/http.ts';
import { Redactor } from '../../suites/harness/redact.ts';
import { call, CloudClient } from '../fake-cloud/helpers.ts';

let dir: string;
let cloud: RunningFakeCloud;
let api: CloudApi;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'osi-ledger-'));
  cloud = await startFakeCloud({ buildDelayMs: 10 });
  const tokens = new FixedToken(cloud.seed.token);
  const client = new HttpClient(new Redactor([]), 2_000);
  api = new CloudApi(new AuthorizedSender(client, tokens, null), tokens, {
    compute: cloud.seed.compute_url_with_project,
    network: cloud.seed.network_url,
    image: cloud.seed.image_url,
  });
});
afterAll(async () => {
  await cloud.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => cloud.reset());

const fresh = (name: string): ResourceLedger => new ResourceLedger(path.join(dir, `${name}.jsonl`), 'run1');
const cleaner = (ledger: ResourceLedger): LedgerCleaner => new LedgerCleaner(api, ledger, { settleMs: 2_000, deadlineAt: Date.now() + 30_000 });
const provisioner = (ledger: ResourceLedger): Provisioner =>
  new Provisioner(api, ledger, { flavor: null, image: null, bootTimeoutMs: 5_000, portCount: 2, signal: new AbortController().signal });

describe('the ledger file', () => {
  it('appends JSON lines with no token, reads them back, knows what is outstanding', () => {
    const ledger = fresh('basic');
    ledger.record({ event: 'creating', kind: 'network', name: 'osi-run1-net', find_url: 'http://n/v2.0/networks?name=osi-run1-net' });
    ledger.record({ event: 'created', kind: 'network', id: 'n1', url: 'http://n/v2.0/networks/n1', name: 'osi-run1-net' });
    ledger.record({ event: 'creating', kind: 'port', name: 'osi-run1-port-1', find_url: 'http://n/v2.0/ports?name=osi-run1-port-1' });
    ledger.record({ event: 'created', kind: 'attachment', id: 's1/p9', url: 'http://c/servers/s1/os-interface/p9', server_id: 's1', port_id: 'p9' });
    ledger.record({ event: 'removed', kind: 'attachment', id: 's1/p9' });
    const text = readFileSync(ledger.file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(5);
    expect(text).not.toMatch(/token/i);
    const pending = outstanding(readLedger(ledger.file).events);
    expect(pending.created.map((e) => e.id)).toEqual(['n1']);
    expect(pending.unconfirmed.map((e) => e.name)).toEqual(['osi-run1-port-1']);
  });

  it('a line cut short by a crash is skipped and counted', () => {
    const ledger = fresh('torn');
    ledger.record({ event: 'created', kind: 'port', id: 'p1', url: 'http://n/v2.0/ports/p1' });
    appendFileSync(ledger.file, '{"v":1,"event":"crea');
    const { events, unreadable } = readLedger(ledger.file);
    expect(events).toHaveLength(1);
    expect(unreadable).toBe(1);
  });
});

describe('provisioning and cleanup', () => {
  it('provisions with every resource announced then confirmed; cleanup removes all of it and empties the ledger', async () => {
    const before = cloud.state();
    const ledger = fresh('provision');
    const made = await provisioner(ledger).run('abcd1234');
    expect(made.portIds).toHaveLength(2);
    const created = readLedger(ledger.file)
      .events.filter((e) => e.event === 'created')
      .map((e) => e.kind);
    expect(created).toEqual(['network', 'subnet', 'port', 'port', 'port', 'server']);
    expect(cloud.state().servers).toBe(before.servers + 1);
    const report = await cleaner(ledger).run();
    expect(report.remaining).toEqual([]);
    expect(report.removed).toHaveLength(6);
    expect(readFileSync(ledger.file, 'utf8')).toBe('');
    expect(cloud.state()).toMatchObject({ servers: before.servers, ports: before.ports, networks: before.networks, subnets: before.subnets });
  });

  it('a resource announced but never confirmed (killed mid-request) is found by its name', async () => {
    const ledger = fresh('unconfirmed');
    const network = cloud.seed.network_url;
    ledger.record({ event: 'creating', kind: 'network', name: 'osi-lost-net', find_url: `${network}/networks?name=osi-lost-net` });
    await call('POST', `${network}/networks`, {
      headers: { 'X-Auth-Token': cloud.seed.token, 'Content-Type': 'application/json' },
      body: { network: { name: 'osi-lost-net' } },
    });
    ledger.record({ event: 'creating', kind: 'port', name: 'osi-never-made', find_url: `${network}/ports?name=osi-never-made` });
    const networks = cloud.state().networks;
    const report = await cleaner(ledger).run();
    expect(report.remaining).toEqual([]);
    expect(cloud.state().networks).toBe(networks - 1);
    expect(readFileSync(ledger.file, 'utf8')).toBe('');
  });

  it('never detaches what the baseline says was there, but detaches what appeared on a given server', async () => {
    const c = new CloudClient(cloud);
    const boot = cloud.state().attachments_by_server[cloud.seed.server_id] ?? [];
    const ledger = fresh('baseline');
    ledger.record({ event: 'baseline', kind: 'server-interfaces', server_id: cloud.seed.server_id, url: c.interfacesUrl(), port_ids: boot });
    // A scenario's attach that the ledger saw, and one it did not (the run was killed in between).
    const portSeen = cloud.seed.port_ids[0] as string;
    expect((await c.create(c.attachPortBody(0))).status).toBe(200);
    ledger.record({
      event: 'created',
      kind: 'attachment',
      id: `${cloud.seed.server_id}/${portSeen}`,
      url: `${c.interfacesUrl()}/${portSeen}`,
      server_id: cloud.seed.server_id,
      port_id: portSeen,
    });
    expect((await c.create(c.attachPortBody(1))).status).toBe(200);
    // The boot port noted by mistake: protected by the baseline.
    ledger.record({
      event: 'created',
      kind: 'attachment',
      id: `${cloud.seed.server_id}/${boot[0]}`,
      url: `${c.interfacesUrl()}/${boot[0]}`,
      server_id: cloud.seed.server_id,
      port_id: boot[0] as string,
    });
    const report = await cleaner(ledger).run();
    expect(report.remaining).toEqual([]);
    expect(cloud.state().attachments_by_server[cloud.seed.server_id]).toEqual(boot);
    expect(readFileSync(ledger.file, 'utf8')).toBe('');
  });

  it('resources already gone (404) are written off but reported apart from what was removed (issue 10, item 5)', async () => {
    const ledger = fresh('gone');
    await provisioner(ledger).run('gone1234');
    const listed = readFileSync(ledger.file, 'utf8');
    // Someone else removed everything (the first cleanup), then the ledger is handed to --cleanup-only.
    expect((await cleaner(ledger).run()).removed).toHaveLength(6);
    writeFileSync(ledger.file, listed);
    const lines: string[] = [];
    const config = readConfig({
      OSI_TARGET: cloud.seed.compute_url_with_project,
      OSI_TOKEN: cloud.seed.token,
      OSI_NETWORK_URL: cloud.seed.network_url,
      OSI_CLEANUP_ONLY: ledger.file,
      OSI_MAX_RPS: '0',
    });
    expect(await cleanupLedgerOnly(config, (line) => lines.push(line))).toBe(0);
    expect(lines[0]).toMatch(/^removed 0 resource\(s\) listed in .*; 6 already gone \(the cloud answered 404\): /);
    expect(readFileSync(ledger.file, 'utf8')).toBe('');
  });

  it('what cannot be removed stays in the ledger, with the reason', async () => {
    const ledger = fresh('stuck');
    ledger.record({ event: 'created', kind: 'port', id: 'p-unreachable', url: 'http://127.0.0.1:1/v2.0/ports/p-unreachable' });
    const report = await cleaner(ledger).run();
    expect(report.remaining).toEqual([expect.stringMatching(/^port p-unreachable: ECONNREFUSED/)]);
    expect(outstanding(readLedger(ledger.file).events).created.map((e) => e.id)).toEqual(['p-unreachable']);
  });
});

describe('leak check', () => {
  it("sees an attachment left behind, a port that appeared on the suite's network, and nothing else", async () => {
    const c = new CloudClient(cloud);
    const scope = { serverId: cloud.seed.server_id, projectId: cloud.seed.project_id, networkIds: [cloud.seed.network_id] };
    const before = await takeSnapshot(api, scope);
    expect(compareSnapshots(before, await takeSnapshot(api, scope), scope)).toEqual({ leaks: [], notes: [] });
    expect((await c.create(c.attachPortBody(2))).status).toBe(200);
    expect((await c.create({ interfaceAttachment: { net_id: cloud.seed.network_id } })).status).toBe(200);
    const { leaks } = compareSnapshots(before, await takeSnapshot(api, scope), scope);
    // One line per port: the two attachments (the second one's port was made by the cloud).
    expect(leaks).toHaveLength(2);
    expect(leaks).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^leak: port ${cloud.seed.port_ids[2]} is attached to server ${cloud.seed.server_id} and was not before the run$`)),
      ]),
    );
    // A port bound behind the interface list's back (say, through Neutron) is still seen.
    const portOnly = { ...scope, serverId: 'another-server' };
    expect(compareSnapshots(before, await takeSnapshot(api, portOnly), portOnly).leaks).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^leak: port ${cloud.seed.port_ids[2]} is bound to ${cloud.seed.server_id} and was bound to nothing before the run$`)),
        expect.stringMatching(/^leak: port .* on network .* did not exist before the run$/),
      ]),
    );
  });
});
