/**
 * A small judge of the ledger's requirements, independent of the suite, used only to prove the
 * fault registry honest: against the faithful cloud every requirement passes (the nova profile
 * fails CI-056 only), and against each targeted fault exactly its `breaks` fail.
 *
 * It follows the suite's reading rules: fields are read inside interfaceAttachment when that is an
 * object, else at the top level; an echo or visibility check skips a field that is malformed.
 */
import { isIP } from 'node:net';
import type { RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { call, CloudClient, MAC_PATTERN, UUID_PATTERN, type Answer, type CallOptions } from './helpers.ts';

export type Verdict = 'pass' | 'fail' | 'skip';

/** CI-063's codes; it judges answers to the os-interface collection URL only. */
const LEDGER_STATUSES = new Set([200, 400, 401, 403, 404, 405, 406, 409, 413, 415, 503]);
const RANDOM_UUID = '8a5fe506-7e9f-4091-899b-96336909d93c';

interface Exchange {
  readonly kind: 'create' | 'wrong-method' | 'other';
  readonly version: string;
  readonly answer: Answer;
}

type Fields = Record<string, unknown>;

function fieldsOf(answer: Answer): Fields | undefined {
  const body = answer.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const inner = (body as Fields).interfaceAttachment;
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Fields) : (body as Fields);
}

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_PATTERN.test(v);

function fixedIpsWellFormed(v: unknown): boolean {
  if (v === null) return true;
  if (!Array.isArray(v)) return false;
  return v.every(
    (item) =>
      typeof item === 'object' &&
      item !== null &&
      Object.keys(item).sort().join() === 'ip_address,subnet_id' &&
      isIP(String((item as Fields).ip_address)) !== 0 &&
      isUuid((item as Fields).subnet_id),
  );
}

class Judge {
  readonly exchanges: Exchange[] = [];
  readonly c: CloudClient;
  constructor(readonly cloud: RunningFakeCloud) {
    this.c = new CloudClient(cloud);
  }

  async send(kind: Exchange['kind'], method: string, url: string, options: CallOptions & { version?: string } = {}): Promise<Answer> {
    const headers = { ...(options.headers ?? {}) };
    if (options.version) headers['OpenStack-API-Version'] = `compute ${options.version}`;
    // A hung target must not hang the judge.
    const answer = await Promise.race([
      call(method, url, { headers, ...(options.body !== undefined ? { body: options.body } : {}) }),
      new Promise<Answer>((resolve) => setTimeout(() => resolve({ status: 0, headers: {}, text: '', json: undefined }), 2000).unref()),
    ]);
    this.exchanges.push({ kind, version: options.version ?? '2.1', answer });
    return answer;
  }

  create(body: unknown, options: { token?: string | null; version?: string; url?: string; contentType?: string | null } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token !== null) headers['X-Auth-Token'] = options.token ?? this.c.seed.token;
    if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? 'application/json';
    return this.send('create', 'POST', options.url ?? this.c.interfacesUrl(), { headers, body, ...(options.version ? { version: options.version } : {}) });
  }

  attachments(): string {
    return JSON.stringify(this.cloud.state().attachments_by_server);
  }

  /** Runs the creates, then says whether nothing changed and every status was among `statuses`. */
  async refused(statuses: readonly number[], ...attempts: Array<() => Promise<Answer>>): Promise<Verdict> {
    const before = this.attachments();
    let ok = true;
    for (const attempt of attempts) ok = statuses.includes((await attempt()).status) && ok;
    return ok && this.attachments() === before ? 'pass' : 'fail';
  }

  async statusIs(statuses: readonly number[], ...attempts: Array<() => Promise<Answer>>): Promise<Verdict> {
    let ok = true;
    for (const attempt of attempts) ok = statuses.includes((await attempt()).status) && ok;
    return ok ? 'pass' : 'fail';
  }
}

type Probe = (j: Judge) => Promise<Verdict>;

const portBody = (j: Judge, i: number) => ({ interfaceAttachment: { port_id: j.c.seed.port_ids[i] } });

/** Scenario probes: each starts from a freshly reset cloud. */
const PROBES: Readonly<Record<string, Probe>> = {
  'CI-001': (j) => j.statusIs([200], () => j.create(portBody(j, 0))),
  'CI-008': async (j) => {
    const port = fieldsOf(await j.create(portBody(j, 1)))?.port_id;
    return !isUuid(port) ? 'skip' : port === j.c.seed.port_ids[1] ? 'pass' : 'fail';
  },
  'CI-009': async (j) => {
    const a = await j.create({ interfaceAttachment: { net_id: j.c.seed.network_id } });
    const f = fieldsOf(a);
    if (a.status !== 200) return 'fail';
    if (!isUuid(f?.net_id) || !isUuid(f?.port_id)) return 'skip';
    return f.net_id === j.c.seed.network_id && !j.c.seed.port_ids.includes(f.port_id as string) ? 'pass' : 'fail';
  },
  'CI-010': async (j) => {
    const a = await j.create({ interfaceAttachment: { net_id: j.c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.150' }] } });
    if (a.status !== 200) return 'fail';
    const ips = fieldsOf(a)?.fixed_ips;
    if (!fixedIpsWellFormed(ips) || ips === null) return 'skip';
    return (ips as Fields[]).some((ip) => ip.ip_address === '10.20.0.150') ? 'pass' : 'fail';
  },
  'CI-011': async (j) => {
    const a = await j.create({ interfaceAttachment: {} });
    if (a.status === 400) return 'pass';
    if (a.status !== 200) return 'fail';
    const f = fieldsOf(a);
    if (!isUuid(f?.net_id) || !isUuid(f?.port_id)) return 'skip';
    const nets = await j.send('other', 'GET', `${j.c.seed.network_url}/networks`, { headers: { 'X-Auth-Token': j.c.seed.token } });
    const ids = ((nets.json as { networks?: Array<{ id: string }> }).networks ?? []).map((n) => n.id);
    return ids.includes(f.net_id as string) && !j.c.seed.port_ids.includes(f.port_id as string) ? 'pass' : 'fail';
  },
  'CI-012': (j) => j.statusIs([200], () => j.create({ interfaceAttachment: {} })),
  'CI-013': async (j) => {
    const port = j.c.seed.port_ids[2] as string;
    const a = await j.create(portBody(j, 2));
    // Visibility is judged after a 200 only, as the suite does; the status itself is CI-001's.
    if (a.status !== 200) return 'skip';
    const headers = { 'X-Auth-Token': j.c.seed.token };
    const list = await j.send('other', 'GET', j.c.interfacesUrl(), { headers });
    const listed = ((list.json as { interfaceAttachments?: Fields[] }).interfaceAttachments ?? []).some((i) => i.port_id === port);
    const show = await j.send('other', 'GET', `${j.c.interfacesUrl()}/${port}`, { headers });
    const shown = fieldsOf(show);
    const netId = fieldsOf(a)?.net_id;
    const sameNet = !isUuid(netId) || shown?.net_id === netId;
    return listed && show.status === 200 && shown?.port_id === port && sameNet ? 'pass' : 'fail';
  },
  'CI-014': async (j) => {
    const port = j.c.seed.port_ids[3] as string;
    if ((await j.create(portBody(j, 3))).status !== 200) return 'skip';
    const headers = { 'X-Auth-Token': j.c.seed.token };
    if ((await j.send('other', 'DELETE', `${j.c.interfacesUrl()}/${port}`, { headers })).status !== 202) return 'fail';
    for (let i = 0; i < 20; i++) {
      const list = await j.send('other', 'GET', j.c.interfacesUrl(), { headers });
      if (!((list.json as { interfaceAttachments?: Fields[] }).interfaceAttachments ?? []).some((x) => x.port_id === port)) return 'pass';
      await new Promise((r) => setTimeout(r, 10));
    }
    return 'fail';
  },
  'CI-015': async (j) => {
    if ((await j.create(portBody(j, 0))).status !== 200) return 'skip';
    const again = await j.create(portBody(j, 0));
    const once = (j.cloud.state().attachments_by_server[j.c.seed.server_id] ?? []).filter((p) => p === j.c.seed.port_ids[0]).length === 1;
    return [400, 409].includes(again.status) && once ? 'pass' : 'fail';
  },
  'CI-016': async (j) => {
    if ((await j.create(portBody(j, 0))).status !== 200) return 'skip';
    return (await j.create(portBody(j, 0))).status === 409 ? 'pass' : 'fail';
  },
  'CI-020': (j) =>
    j.refused(
      [400],
      () => j.create({ interfaceAttachment: { net_id: j.c.seed.network_id, port_id: j.c.seed.port_ids[0] } }),
      () => j.create({ interfaceAttachment: { net_id: j.c.seed.network_id, port_id: j.c.seed.port_ids[1], fixed_ips: [{ ip_address: '10.20.0.160' }] } }),
    ),
  'CI-021': (j) =>
    j.refused(
      [400],
      () => j.create({ interfaceAttachment: { fixed_ips: [{ ip_address: '10.20.0.161' }] } }),
      () => j.create({ interfaceAttachment: { port_id: j.c.seed.port_ids[0], fixed_ips: [{ ip_address: '10.20.0.162' }] } }),
    ),
  'CI-030': (j) => j.refused([400], () => j.create(undefined)),
  'CI-031': (j) => j.refused([400], ...['port', 5, true, [], null].map((w) => () => j.create({ interfaceAttachment: w }))),
  'CI-032': (j) =>
    j.refused(
      [400],
      ...['not-a-uuid', '', 'a'.repeat(300), 5, null, [], {}].flatMap((v) => [
        () => j.create({ interfaceAttachment: { port_id: v } }),
        () => j.create({ interfaceAttachment: { net_id: v } }),
      ]),
    ),
  'CI-033': (j) =>
    j.refused(
      [400],
      ...['10.20.0.5', [5], [{}], [{ ip_address: 'abc' }], [{ ip_address: '10.20.0.5/24' }], [{ ip_address: 5 }]].map(
        (v) => () => j.create({ interfaceAttachment: { net_id: j.c.seed.network_id, fixed_ips: v } }),
      ),
    ),
  'CI-034': (j) =>
    j.statusIs(
      [400],
      ...[
        [],
        [{ ip_address: '10.20.0.5' }, { ip_address: '10.20.0.6' }],
        [{ ip_address: '10.20.0.5', subnet_id: j.c.seed.subnet_id }],
        [{ ip_address: '10.20.0.5', mask: 24 }],
      ].map((v) => () => j.create({ interfaceAttachment: { net_id: j.c.seed.network_id, fixed_ips: v } })),
    ),
  'CI-035': (j) =>
    j.statusIs(
      [400],
      () => j.create({ ...portBody(j, 0), unknown: 1 }),
      () => j.create({ interfaceAttachment: { port_id: j.c.seed.port_ids[0], unknown: 1 } }),
    ),
  'CI-036': (j) => j.refused([400], ...['not json', '[1]', '"s"', '5', 'null'].map((b) => () => j.create(b))),
  'CI-038': (j) => j.statusIs([200, 400], () => j.create({})),
  'CI-039': (j) => j.statusIs([200], () => j.create({})),
  'CI-040': (j) =>
    j.refused(
      [400, 404],
      () => j.create({ interfaceAttachment: { port_id: RANDOM_UUID } }),
      () => j.create({ interfaceAttachment: { net_id: RANDOM_UUID } }),
    ),
  'CI-041': (j) =>
    j.statusIs(
      [404],
      () => j.create({ interfaceAttachment: { port_id: RANDOM_UUID } }),
      () => j.create({ interfaceAttachment: { net_id: RANDOM_UUID } }),
    ),
  'CI-042': (j) => j.statusIs([400, 404], () => j.create(portBody(j, 0), { url: j.c.interfacesUrl(RANDOM_UUID) })),
  'CI-043': (j) => j.statusIs([404], () => j.create(portBody(j, 0), { url: j.c.interfacesUrl(RANDOM_UUID) })),
  'CI-044': (j) => j.statusIs([400, 413], () => j.create(`{"interfaceAttachment": {"tag": "${'x'.repeat(1024 * 1024)}"}}`)),
  'CI-045': (j) =>
    j.refused(
      [400],
      ...[
        { port_id: j.c.seed.port_ids[0] },
        { interfaceattachment: { port_id: j.c.seed.port_ids[0] } },
        { interface_attachment: { port_id: j.c.seed.port_ids[0] } },
        { InterfaceAttachment: { port_id: j.c.seed.port_ids[0] } },
      ].map((b) => () => j.create(b)),
    ),
  'CI-050': (j) => j.refused([401], () => j.create(portBody(j, 0), { token: null })),
  'CI-051': (j) =>
    j.refused([401], ...['gAAAAArandom', '', '\u00e9\u00e8'].map((t) => () => j.create(portBody(j, 0), { token: Buffer.from(t).toString('latin1') }))),
  'CI-053': (j) => j.refused([403], () => j.create(portBody(j, 0), { token: j.c.seed.reader_token })),
  'CI-054': (j) =>
    j.refused(
      [400, 403, 404],
      () => j.create(portBody(j, 0), { token: j.c.seed.alt_token, url: j.c.interfacesUrl(undefined, false) }),
      () => j.create(portBody(j, 0), { token: j.c.seed.alt_token }),
    ),
  'CI-055': (j) =>
    j.refused(
      [404, 405],
      ...['PUT', 'PATCH', 'DELETE'].map(
        (m) => () =>
          j.send('wrong-method', m, j.c.interfacesUrl(), {
            headers: { 'X-Auth-Token': j.c.seed.token, 'Content-Type': 'application/json' },
            body: portBody(j, 0),
          }),
      ),
    ),
  'CI-056': async (j) => {
    let ok = true;
    for (const m of ['PUT', 'PATCH', 'DELETE']) {
      const a = await j.send('wrong-method', m, j.c.interfacesUrl(), {
        headers: { 'X-Auth-Token': j.c.seed.token, 'Content-Type': 'application/json' },
        body: portBody(j, 1),
      });
      const allow = String(a.headers.allow ?? '');
      ok = ok && a.status === 405 && allow.includes('GET') && allow.includes('POST');
    }
    return ok ? 'pass' : 'fail';
  },
  'CI-057': (j) =>
    j.refused(
      [415],
      ...['application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/octet-stream'].map(
        (t) => () => j.create(portBody(j, 0), { contentType: t }),
      ),
    ),
  'CI-059': async (j) => {
    j.cloud.setUnavailable(true, 2);
    try {
      return await j.refused([503], () => j.create(portBody(j, 0)));
    } finally {
      j.cloud.setUnavailable(false);
    }
  },
  'CI-060': async (j) => {
    j.cloud.setUnavailable(true, 2);
    try {
      const a = await j.create(portBody(j, 1));
      // Judged on 503 answers only, as the suite's retry_after_conformance does.
      if (a.status !== 503) return 'skip';
      return a.headers['retry-after'] !== undefined ? 'pass' : 'fail';
    } finally {
      j.cloud.setUnavailable(false);
    }
  },
  'CI-061': (j) =>
    j.refused([400, 403, 404], () =>
      j.create(portBody(j, 0), { url: `${j.c.seed.compute_url}/0123456789abcdef0123456789abcdef/servers/${j.c.seed.server_id}/os-interface` }),
    ),
  'CI-062': (j) =>
    j.statusIs([400], () =>
      j.create(portBody(j, 0), { url: `${j.c.seed.compute_url}/0123456789abcdef0123456789abcdef/servers/${j.c.seed.server_id}/os-interface` }),
    ),
  'CI-090': (j) => j.statusIs([200], () => j.create({ interfaceAttachment: { port_id: j.c.seed.port_ids[0], tag: 'nic-1' } }, { version: '2.49' })),
  'CI-091': (j) => j.refused([400], () => j.create({ interfaceAttachment: { port_id: j.c.seed.port_ids[0], tag: 'nic-1' } })),
  'CI-092': (j) =>
    j.refused(
      [400],
      ...['', 'a,b', 'a/b', 'x'.repeat(61), null, 5].map(
        (tag) => () => j.create({ interfaceAttachment: { port_id: j.c.seed.port_ids[0], tag } }, { version: '2.49' }),
      ),
    ),
  'CI-093': async (j) => {
    const tagged = fieldsOf(await j.create({ interfaceAttachment: { port_id: j.c.seed.port_ids[0], tag: 'nic-1' } }, { version: '2.70' }));
    const plainAnswer = await j.create({ interfaceAttachment: { port_id: j.c.seed.port_ids[1] } }, { version: '2.70' });
    // The tag is judged on 200 answers only, as the suite does.
    const plain = plainAnswer.status === 200 ? fieldsOf(plainAnswer) : { tag: null };
    return tagged?.tag === 'nic-1' && plain !== undefined && plain.tag === null ? 'pass' : 'fail';
  },
  'CI-095': async (j) =>
    (await j.create(portBody(j, 0), { version: '9.99' })).status === 406 && (await j.create(portBody(j, 0), { version: '2.x' })).status === 400
      ? 'pass'
      : 'fail',
};

/** A read the run-wide judgements do not see (they judge os-interface answers, not Neutron's or show's). */
function read(j: Judge, method: string, url: string): Promise<Answer> {
  return call(method, url, { headers: { 'X-Auth-Token': j.c.seed.token } });
}

/** The ports listed for the server (duplicates kept). */
async function listed(j: Judge): Promise<string[]> {
  const list = await read(j, 'GET', j.c.interfacesUrl());
  return ((list.json as { interfaceAttachments?: Fields[] }).interfaceAttachments ?? []).map((i) => String(i.port_id));
}

/** Neutron's ports bound to the server. */
async function boundInNeutron(j: Judge): Promise<string[]> {
  const answer = await read(j, 'GET', `${j.c.seed.network_url}/ports?device_id=${j.c.seed.server_id}`);
  return ((answer.json as { ports?: Fields[] }).ports ?? []).map((p) => String(p.id));
}

function detachInterface(j: Judge, portId: string): Promise<Answer> {
  return read(j, 'DELETE', `${j.c.interfacesUrl()}/${portId}`);
}

/** Polls (20 × 10 ms) until `done` holds; true if it did. */
async function eventually(done: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** The stateful requirements, judged on short fixed sequences as the suite's generated ones judge them. */
const SEQUENCE_PROBES: Readonly<Record<string, Probe>> = {
  'CI-100': async (j) => {
    const answers = await Promise.all([0, 1, 2].map(() => j.create(portBody(j, 0))));
    const accepted = answers.filter((a) => a.status === 200).length;
    if (accepted === 0) return 'skip';
    return accepted === 1 && answers.every((a) => a.status === 200 || a.status === 409) ? 'pass' : 'fail';
  },
  'CI-101': async (j) => {
    const port = j.c.seed.port_ids[1] as string;
    const byPort = await j.create(portBody(j, 1));
    const byNet = fieldsOf(await j.create({ interfaceAttachment: { net_id: j.c.seed.network_id } }))?.port_id;
    if (byPort.status !== 200 || !isUuid(byNet)) return 'skip';
    const ports = [port, byNet];
    const settled = await eventually(async () => ports.every((p) => listed(j).then((l) => l.filter((x) => x === p).length === 1)));
    if (!settled) return 'fail';
    for (const p of ports) {
      const show = await read(j, 'GET', `${j.c.interfacesUrl()}/${p}`);
      if (show.status !== 200 || fieldsOf(show)?.port_id !== p) return 'fail';
    }
    // An attach and a detach of one port sent together, the attach first: once settled, the port is
    // either gone (neither listed nor shown) or attached (listed and shown), as the suite's model follows.
    const port0 = j.c.seed.port_ids[0] as string;
    const attach = j.create(portBody(j, 0));
    await new Promise((r) => setTimeout(r, 10));
    await Promise.all([attach, detachInterface(j, port0)]);
    const shown = async () => (await read(j, 'GET', `${j.c.interfacesUrl()}/${port0}`)).status === 200;
    await eventually(async () => !(await listed(j)).includes(port0) && !(await shown()));
    return (await listed(j)).includes(port0) === (await shown()) ? 'pass' : 'fail';
  },
  'CI-102': async (j) => {
    const first = j.c.seed.port_ids[1] as string;
    if ((await j.create(portBody(j, 1))).status !== 200 || (await j.create(portBody(j, 2))).status !== 200) return 'skip';
    const before = await listed(j);
    if ((await detachInterface(j, first)).status !== 202) return 'skip';
    await eventually(async () => !(await listed(j)).includes(first));
    const after = await listed(j);
    return before.every((p) => p === first || after.includes(p)) && after.every((p) => before.includes(p)) ? 'pass' : 'fail';
  },
  'CI-103': async (j) => {
    const baseline = await listed(j);
    // An attach and a detach in turn: once settled, the port is neither listed, bound nor shown.
    const port1 = j.c.seed.port_ids[1] as string;
    if ((await j.create(portBody(j, 1))).status !== 200 || (await detachInterface(j, port1)).status !== 202) return 'skip';
    await eventually(async () => !(await listed(j)).includes(port1));
    const unknown = [...(await listed(j)), ...(await boundInNeutron(j))].filter((p) => !baseline.includes(p));
    if ((await read(j, 'GET', `${j.c.interfacesUrl()}/${port1}`)).status === 200) return 'fail';
    return unknown.length === 0 ? 'pass' : 'fail';
  },
  'CI-104': async (j) => {
    const port = fieldsOf(await j.create({ interfaceAttachment: { net_id: j.c.seed.network_id } }))?.port_id;
    if (!isUuid(port) || (await detachInterface(j, port)).status !== 202) return 'skip';
    // Judged once the detach took effect, as the suite does; one that did not is CI-014's.
    if (!(await eventually(async () => !(await listed(j)).includes(port)))) return 'skip';
    const gone = await eventually(async () => (await read(j, 'GET', `${j.c.seed.network_url}/ports/${port}`)).status === 404);
    return gone ? 'pass' : 'fail';
  },
};

/** Judgements over every exchange of the run (after all probes ran). */
function runWide(exchanges: readonly Exchange[]): Record<string, Verdict> {
  const successes = exchanges.filter((e) => e.kind === 'create' && e.answer.status === 200);
  const every = (list: readonly Exchange[], ok: (e: Exchange) => boolean): Verdict => (list.every(ok) ? 'pass' : 'fail');
  const field = (name: string, ok: (v: unknown) => boolean) =>
    every(successes, (e) => {
      const f = fieldsOf(e.answer);
      return f !== undefined && name in f && ok(f[name]);
    });
  const answered = exchanges.filter((e) => e.answer.status !== 0);
  return {
    'CI-002': every(successes, (e) => {
      const body = e.answer.json as Fields | undefined;
      return (
        typeof body === 'object' &&
        body !== null &&
        Object.keys(body).join() === 'interfaceAttachment' &&
        typeof body.interfaceAttachment === 'object' &&
        body.interfaceAttachment !== null
      );
    }),
    'CI-003': field('fixed_ips', fixedIpsWellFormed),
    'CI-004': field('mac_addr', (v) => typeof v === 'string' && MAC_PATTERN.test(v.toLowerCase())),
    'CI-005': field('net_id', isUuid),
    'CI-006': field('port_id', isUuid),
    'CI-007': field('port_state', (v) => typeof v === 'string' && v !== ''),
    'CI-037': every(answered, (e) => e.answer.status < 500 || e.answer.status === 503),
    'CI-052': every(
      answered.filter((e) => e.answer.status === 401),
      (e) => e.answer.headers['www-authenticate'] !== undefined,
    ),
    // Answers below 500 only: a 5xx is CI-037's alone (see the ledger's CI-063).
    'CI-063': every(
      answered.filter((e) => e.kind !== 'other' && e.answer.status < 500),
      (e) => LEDGER_STATUSES.has(e.answer.status),
    ),
    'CI-070': every(successes, (e) => String(e.answer.headers['content-type'] ?? '').startsWith('application/json')),
    // oslo.middleware's sizelimit answers a 413 before Nova, in webob's body: not Nova's answer.
    'CI-071': every(
      answered.filter(
        (e) =>
          e.answer.status >= 400 &&
          e.kind !== 'wrong-method' &&
          !(e.answer.status === 413 && (e.answer.json as { title?: unknown } | undefined)?.title !== undefined),
      ),
      (e) => {
        const body = e.answer.json as Record<string, { code?: unknown; message?: unknown }> | undefined;
        const keys = body && typeof body === 'object' ? Object.keys(body) : [];
        const inner = keys.length === 1 && body ? body[keys[0] as string] : undefined;
        return inner !== undefined && inner.code === e.answer.status && typeof inner.message === 'string';
      },
    ),
    // A 413 of compute's own is the overLimit fault; sizelimit's (webob's body, with a title) is exempt.
    'CI-072': every(
      answered.filter((e) => e.answer.status === 413 && (e.answer.json as { title?: unknown } | undefined)?.title === undefined),
      (e) => Object.keys((e.answer.json ?? {}) as object).join() === 'overLimit',
    ),
    'CI-094': every(
      successes.filter((e) => Number(e.version.split('.')[1]) < 70 && e.version.startsWith('2.')),
      (e) => fieldsOf(e.answer) !== undefined && !('tag' in (fieldsOf(e.answer) as Fields)),
    ),
    'CI-096': every(successes, (e) => e.answer.headers['openstack-api-version'] === `compute ${e.version}`),
  };
}

/** Runs every probe on the cloud (reset before each) and returns the ids that failed. */
export async function failingRequirements(cloud: RunningFakeCloud): Promise<string[]> {
  const judge = new Judge(cloud);
  const verdicts: Record<string, Verdict> = {};
  for (const [id, probe] of Object.entries({ ...PROBES, ...SEQUENCE_PROBES })) {
    cloud.reset();
    verdicts[id] = await probe(judge);
  }
  // A few more successful creates so that the run-wide body checks see every request shape.
  cloud.reset();
  await judge.create({ interfaceAttachment: { net_id: judge.c.seed.network_id, fixed_ips: [{ ip_address: '10.20.0.170' }] } });
  await judge.create({ interfaceAttachment: { port_id: judge.c.seed.port_ids[0] } }, { version: '2.60' });
  Object.assign(verdicts, runWide(judge.exchanges));
  cloud.reset();
  return Object.entries(verdicts)
    .filter(([, v]) => v === 'fail')
    .map(([id]) => id)
    .sort();
}
