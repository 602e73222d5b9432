/**
 * The fault registry: every fault is registered once, names real requirement ids, and breaks
 * exactly what it says. A small independent judge (ledger-judge.ts) runs the ledger's scenarios:
 * the faithful cloud passes all (nova profile: all but CI-056), each targeted fault fails exactly
 * its `breaks`. Direct tests show each fault's deviation on the scenario it names.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { faults, isFaultName, startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { activeFaults, faultTable, type FaultName } from '../../fixtures/fake-cloud/faults.ts';
import { requirements } from '../../specs/requirements.ts';
import { failingRequirements } from './ledger-judge.ts';
import { CloudClient, attachmentOf, type Answer } from './helpers.ts';

const levelOf = new Map(requirements.map((r) => [r.id, r.level]));
const started: RunningFakeCloud[] = [];
afterAll(async () => {
  await Promise.all(started.map((c) => c.close()));
});

async function start(options: Parameters<typeof startFakeCloud>[0] = {}): Promise<CloudClient> {
  const cloud = await startFakeCloud(options);
  started.push(cloud);
  return new CloudClient(cloud);
}

describe('registry', () => {
  it('has at least 20 targeted faults and the broken servers, names unique', () => {
    expect(faults.filter((f) => f.kind === 'targeted').length).toBeGreaterThanOrEqual(20);
    expect(
      faults
        .filter((f) => f.kind === 'broken-server')
        .map((f) => f.name)
        .sort(),
    ).toEqual(['garbage', 'hang']);
    expect(new Set(faults.map((f) => f.name)).size).toBe(faults.length);
    expect(faults.every((f) => /^[a-z0-9-]+$/.test(f.name) && f.description.length > 10)).toBe(true);
  });

  it('breaks only real ids, MUST first; a targeted fault breaks exactly one MUST', () => {
    for (const fault of faults) {
      for (const id of fault.breaks) expect(levelOf.has(id as RequirementId), `${fault.name}: ${id}`).toBe(true);
      const levels = fault.breaks.map((id) => levelOf.get(id as RequirementId));
      const firstNonMust = levels.findIndex((l) => l !== 'MUST');
      if (firstNonMust >= 0)
        expect(
          levels.slice(firstNonMust).every((l) => l !== 'MUST'),
          fault.name,
        ).toBe(true);
      if (fault.kind === 'targeted') {
        const musts = levels.filter((l) => l === 'MUST').length;
        expect(musts, fault.name).toBe(1);
      }
      // A fault that breaks only Nova behaviour the document does not state: SHOULDs, at least one.
      if (fault.kind === 'targeted-should') expect(levels.length > 0 && levels.every((l) => l === 'SHOULD'), fault.name).toBe(true);
    }
  });

  it('unknown fault names are refused', async () => {
    expect(isFaultName('both-ids-accepted')).toBe(true);
    expect(isFaultName('nope')).toBe(false);
    expect(() => activeFaults(['nope'])).toThrow('unknown fault "nope"');
    await expect(startFakeCloud({ faults: ['nope'] })).rejects.toThrow('unknown fault');
    await expect(startFakeCloud({ host: '0.0.0.0' })).rejects.toThrow('loopback only');
  });
});

describe('the independent judge', () => {
  it('the faithful document profile passes every requirement it judges', async () => {
    const c = await start();
    expect(await failingRequirements(c.cloud)).toEqual([]);
  });

  it('the nova profile fails CI-056 only', async () => {
    const c = await start({ profile: 'nova' });
    expect(await failingRequirements(c.cloud)).toEqual(['CI-056']);
  });

  it.each(faults.filter((f) => f.kind !== 'broken-server').map((f) => [f.name, f.breaks] as const))('%s fails exactly %j', async (name, breaks) => {
    const c = await start({ faults: [name] });
    expect(await failingRequirements(c.cloud)).toEqual([...breaks].sort());
  });

  it('garbage fails at least what it lists', async () => {
    const c = await start({ faults: ['garbage'] });
    const failing = await failingRequirements(c.cloud);
    const listed = faults.find((f) => f.name === 'garbage')?.breaks ?? [];
    expect(listed.filter((id) => !failing.includes(id))).toEqual([]);
  });
});

/** One scenario per fault: what the faithful cloud answers, and what the faulty one does instead. */
interface DirectCase {
  readonly observe: (c: CloudClient) => Promise<unknown>;
  readonly faithful: unknown;
  readonly faulty: unknown;
}

const port0 = (c: CloudClient) => c.seed.port_ids[0] as string;
const status = (a: Answer) => a.status;
const attachedPort0 = (c: CloudClient) => c.attached().includes(port0(c));
const ip = (a: Answer) => attachmentOf(a).fixed_ips?.[0]?.ip_address;
const fieldType = (a: Answer, field: string) => typeof (a.json as { interfaceAttachment: Record<string, unknown> }).interfaceAttachment[field];
const withNet = (c: CloudClient, fixed: unknown) => ({ interfaceAttachment: { net_id: c.seed.network_id, fixed_ips: fixed } });

/** Keyed by FaultName: a fault without its case, or a case for a name not in the registry, fails tsc. */
const DIRECT: Readonly<Record<FaultName, DirectCase>> = {
  'both-ids-accepted': {
    observe: async (c) => status(await c.create({ interfaceAttachment: { net_id: c.seed.network_id, port_id: port0(c) } })),
    faithful: 400,
    faulty: 200,
  },
  'rejected-but-attached': {
    observe: async (c) => [status(await c.create({ interfaceAttachment: { net_id: c.seed.network_id, port_id: port0(c) } })), attachedPort0(c)],
    faithful: [400, false],
    faulty: [400, true],
  },
  'fixed-ips-without-net-accepted': {
    observe: async (c) => status(await c.create({ interfaceAttachment: { fixed_ips: [{ ip_address: '10.20.0.40' }] } })),
    faithful: 400,
    faulty: 200,
  },
  'no-response-wrapper': {
    observe: async (c) => Object.keys((await c.create(c.attachPortBody(0))).json as object).includes('port_id'),
    faithful: false,
    faulty: true,
  },
  'missing-fixed-ips': { observe: async (c) => 'fixed_ips' in attachmentOf(await c.create(c.attachPortBody(0))), faithful: true, faulty: false },
  'malformed-fixed-ip': { observe: async (c) => ip(await c.create(c.attachPortBody(0))) === '999.10.0.5', faithful: false, faulty: true },
  'missing-mac-addr': { observe: async (c) => 'mac_addr' in attachmentOf(await c.create(c.attachPortBody(0))), faithful: true, faulty: false },
  'malformed-mac-addr': { observe: async (c) => attachmentOf(await c.create(c.attachPortBody(0))).mac_addr.includes('-'), faithful: false, faulty: true },
  'malformed-net-id': { observe: async (c) => attachmentOf(await c.create(c.attachPortBody(0))).net_id === c.seed.network_id, faithful: true, faulty: false },
  'port-id-wrong-type': { observe: async (c) => fieldType(await c.create(c.attachPortBody(0)), 'port_id'), faithful: 'string', faulty: 'number' },
  'port-state-wrong-type': { observe: async (c) => fieldType(await c.create(c.attachPortBody(0)), 'port_state'), faithful: 'string', faulty: 'number' },
  'wrong-port-echoed': {
    observe: async (c) => [attachmentOf(await c.create(c.attachPortBody(0))).port_id === port0(c), attachedPort0(c)],
    faithful: [true, true],
    faulty: [false, true],
  },
  'fixed-ip-ignored': { observe: async (c) => ip(await c.create(withNet(c, [{ ip_address: '10.20.0.40' }]))) === '10.20.0.40', faithful: true, faulty: false },
  'plain-port-attach-refused': {
    observe: async (c) => [
      status(await c.create(c.attachPortBody(0))),
      status(await c.create({ interfaceAttachment: { port_id: c.seed.port_ids[1], tag: 'a' } }, { version: '2.49' })),
    ],
    faithful: [200, 200],
    faulty: [409, 200],
  },
  'plain-network-attach-refused': {
    observe: async (c) => status(await c.create({ interfaceAttachment: { net_id: c.seed.network_id } })),
    faithful: 200,
    faulty: 409,
  },
  'empty-object-body-refused': {
    observe: async (c) => [status(await c.create({})), status(await c.create({ interfaceAttachment: {} }))],
    faithful: [200, 200],
    faulty: [404, 200],
  },
  'auto-allocates-foreign-network': {
    observe: async (c) => attachmentOf(await c.create({ interfaceAttachment: {} })).net_id === c.seed.network_id,
    faithful: true,
    faulty: false,
  },
  'attach-not-listed': {
    observe: async (c) => {
      await c.create(c.attachPortBody(0));
      return [(await c.get(`${c.interfacesUrl()}/${port0(c)}`)).status, status(await c.create(c.attachPortBody(0)))];
    },
    faithful: [200, 409],
    faulty: [404, 409],
  },
  'detach-does-not-detach': {
    observe: async (c) => {
      await c.create(c.attachPortBody(0));
      return [status(await c.call('DELETE', `${c.interfacesUrl()}/${port0(c)}`, { headers: { 'X-Auth-Token': c.seed.token } })), attachedPort0(c)];
    },
    faithful: [202, false],
    faulty: [202, true],
  },
  'double-attach-accepted': {
    observe: async (c) => [status(await c.create(c.attachPortBody(0))), status(await c.create(c.attachPortBody(0)))],
    faithful: [200, 409],
    faulty: [200, 200],
  },
  // Sequential: refused as the faithful cloud refuses; sent together: every attach is accepted.
  'concurrent-double-attach-accepted': {
    observe: async (c) => {
      const sequential = [status(await c.create(c.attachPortBody(0))), status(await c.create(c.attachPortBody(0)))];
      const together = (await Promise.all([0, 1, 2].map(() => c.create(c.attachPortBody(1))))).map(status).sort();
      return [sequential, together, c.attached().filter((p) => p === c.seed.port_ids[1]).length];
    },
    faithful: [[200, 409], [200, 409, 409], 1],
    faulty: [[200, 409], [200, 200, 200], 1],
  },
  // A detach sent while the attach is under way: the port ends bound to the server but not listed.
  'detach-races-attach': {
    observe: async (c) => {
      const attach = c.create(c.attachPortBody(0));
      await new Promise((r) => setTimeout(r, 10));
      const detach = c.call('DELETE', `${c.interfacesUrl()}/${port0(c)}`, { headers: { 'X-Auth-Token': c.seed.token } });
      const statuses = [status(await attach), status(await detach)];
      const port = (await c.get(`${c.seed.network_url}/ports/${port0(c)}`)).json as { port?: { device_id?: string } };
      return [statuses, attachedPort0(c), port.port?.device_id === c.seed.server_id];
    },
    faithful: [[200, 202], false, false],
    faulty: [[200, 202], false, true],
  },
  'empty-body-accepted': { observe: async (c) => status(await c.create(undefined)), faithful: 400, faulty: 200 },
  'string-wrapper-accepted': { observe: async (c) => status(await c.create({ interfaceAttachment: 'port' })), faithful: 400, faulty: 200 },
  'malformed-uuid-accepted': { observe: async (c) => status(await c.create({ interfaceAttachment: { port_id: 'not-a-uuid' } })), faithful: 400, faulty: 404 },
  'malformed-fixed-ip-accepted': { observe: async (c) => status(await c.create(withNet(c, [{ ip_address: 'abc' }]))), faithful: 400, faulty: 200 },
  'unwrapped-fields-accepted': {
    observe: async (c) => [
      status(await c.create({ port_id: port0(c) })),
      status(await c.create({ interface_attachment: { port_id: c.seed.port_ids[1] } })),
      status(await c.create({ port_id: c.seed.port_ids[2], extra: 1 })),
    ],
    faithful: [400, 400, 400],
    faulty: [200, 200, 400],
  },
  'non-json-accepted': { observe: async (c) => status(await c.create('this is not json')), faithful: 400, faulty: 200 },
  'server-error-on-unknown-key': {
    observe: async (c) => [
      status(await c.create({ interfaceAttachment: { foo: 1 } })),
      status(await c.create({ interfaceAttachment: {}, foo: 1 })),
      status(await c.create({ interfaceAttachment: { tag: 'x' } })),
      status(await c.create({ port_id: port0(c) })),
    ],
    faithful: [400, 400, 400, 400],
    faulty: [500, 500, 400, 400],
  },
  'undocumented-status-422': {
    observe: async (c) => [
      status(await c.create(withNet(c, []))),
      status(await c.create(withNet(c, [{ ip_address: 'abc' }]))),
      status(await c.create(withNet(c, [{}]))),
    ],
    faithful: [400, 400, 400],
    faulty: [422, 400, 400],
  },

  'missing-token-accepted': {
    observe: async (c) => [
      status(await c.call('POST', c.interfacesUrl(), { headers: { 'Content-Type': 'application/json' }, body: c.attachPortBody(0) })),
      status(await c.create(c.attachPortBody(1), { token: 'bogus' })),
    ],
    faithful: [401, 401],
    faulty: [200, 401],
  },
  'any-token-accepted': {
    observe: async (c) => [
      status(await c.create(c.attachPortBody(0), { token: 'bogus' })),
      status(await c.call('POST', c.interfacesUrl(), { headers: { 'Content-Type': 'application/json' }, body: c.attachPortBody(1) })),
    ],
    faithful: [401, 401],
    faulty: [200, 401],
  },
  'reader-can-attach': { observe: async (c) => status(await c.create(c.attachPortBody(0), { token: c.seed.reader_token })), faithful: 403, faulty: 200 },
  'cross-project-attach': {
    observe: async (c) => [
      status(await c.create(c.attachPortBody(0), { token: c.seed.alt_token, url: c.interfacesUrl(undefined, false) })),
      status(await c.create(c.attachPortBody(1), { token: c.seed.alt_token })),
    ],
    faithful: [404, 400],
    faulty: [200, 400],
  },
  'project-mismatch-ignored': {
    observe: async (c) => status(await c.create(c.attachPortBody(0), { url: `${c.seed.compute_url}/abcdef/servers/${c.seed.server_id}/os-interface` })),
    faithful: 400,
    faulty: 200,
  },
  'wrong-method-acts-as-post': {
    observe: async (c) => [
      status(
        await c.call('PUT', c.interfacesUrl(), { headers: { 'X-Auth-Token': c.seed.token, 'Content-Type': 'application/json' }, body: c.attachPortBody(0) }),
      ),
      status(await c.call('PUT', `${c.interfacesUrl()}/${port0(c)}`, { headers: { 'X-Auth-Token': c.seed.token } })),
    ],
    faithful: [405, 405],
    faulty: [200, 405],
  },
  'xml-accepted': {
    observe: async (c) => status(await c.create(c.attachPortBody(0), { headers: { 'Content-Type': 'application/xml' } })),
    faithful: 415,
    faulty: 200,
  },
  'never-unavailable': {
    observe: async (c) => {
      c.cloud.setUnavailable(true);
      const s = status(await c.create(c.attachPortBody(0)));
      c.cloud.setUnavailable(false);
      return s;
    },
    faithful: 503,
    faulty: 200,
  },
  'unavailable-but-attaches': {
    observe: async (c) => {
      c.cloud.setUnavailable(true);
      const s = status(await c.create(c.attachPortBody(0)));
      c.cloud.setUnavailable(false);
      return [s, attachedPort0(c)];
    },
    faithful: [503, false],
    faulty: [503, true],
  },
  'over-limit-as-compute-fault': {
    observe: async (c) => {
      const a = await c.create({ interfaceAttachment: { padding: 'x'.repeat(1024 * 1024 + 16) } });
      return [a.status, Object.keys((a.json ?? {}) as object)];
    },
    faithful: [413, ['overLimit']],
    faulty: [413, ['computeFault']],
  },
  'text-content-type': {
    observe: async (c) => (await c.create(c.attachPortBody(0))).headers['content-type'],
    faithful: 'application/json; charset=UTF-8',
    faulty: 'text/plain; charset=UTF-8',
  },
  garbage: {
    observe: async (c) => {
      const a = await c.create(c.attachPortBody(0));
      return [a.status, a.json === undefined, attachedPort0(c)];
    },
    faithful: [200, false, true],
    faulty: [200, true, false],
  },
  hang: {
    observe: async (c) => {
      const answered = await Promise.race([c.create(c.attachPortBody(0)).then(() => 'answered'), new Promise((r) => setTimeout(r, 300, 'no answer'))]);
      return [answered, (await c.get(c.interfacesUrl())).status];
    },
    faithful: ['answered', 200],
    faulty: ['no answer', 200],
  },
};

describe('direct test per fault', () => {
  it('every registered fault has a direct case', () => {
    expect(Object.keys(DIRECT).sort()).toEqual(faults.map((f) => f.name).sort());
  });

  it.each(faults.map((f) => [f.name] as const))('%s deviates on its scenario', async (name) => {
    const scenario = DIRECT[name];
    const faithful = await start();
    const faulty = await start({ faults: [name] });
    expect(await scenario.observe(faithful)).toEqual(scenario.faithful);
    expect(await scenario.observe(faulty)).toEqual(scenario.faulty);
  });
});

describe('README', () => {
  it('carries the fault table as the registry generates it', () => {
    expect(readFileSync('fixtures/fake-cloud/README.md', 'utf8')).toContain(faultTable());
  });
});
