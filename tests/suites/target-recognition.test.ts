/**
 * --target must be a compute endpoint (issue 12, item 3): Keystone's /v3, a service root, Neutron's
 * /v2.0 or a redirect is a configuration error (exit 2) naming what was found, never a run that
 * calls the vendor nonconformant. A peer that answers with something other than HTTP is named as
 * such, not "unreachable" (item 14). The servers below are small hostile fixtures.
 */
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../suites/harness/config.ts';
import { resolveTarget, startEmbeddedCloud } from '../../suites/harness/target.ts';
import { judgeVersionDocument } from '../../suites/harness/version-document.ts';

const KEYSTONE_V3 = {
  version: {
    id: 'v3.14',
    status: 'stable',
    links: [{ rel: 'self', href: 'http://k/v3/' }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  },
};
const KEYSTONE_ROOT = {
  versions: { values: [{ id: 'v3.14', status: 'stable', 'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }] }] },
};
const NOVA_ROOT = {
  versions: [
    { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '' },
    { id: 'v2.1', status: 'CURRENT', version: '2.93', min_version: '2.1' },
  ],
};
const NEUTRON_ROOT = { versions: [{ id: 'v2.0', status: 'CURRENT', links: [] }] };
const NEUTRON_V2 = { resources: [{ name: 'network', collection: 'networks', links: [] }] };
const NOVA_V21 = {
  version: {
    id: 'v2.1',
    status: 'CURRENT',
    version: '2.93',
    min_version: '2.1',
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  },
};

const ROUTES: Readonly<Record<string, { status: number; body?: unknown; headers?: Record<string, string> }>> = {
  '/v3': { status: 200, body: KEYSTONE_V3 },
  '/identity': { status: 300, body: KEYSTONE_ROOT },
  '/': { status: 200, body: NOVA_ROOT },
  '/network/v2.0': { status: 200, body: NEUTRON_V2 },
  '/network': { status: 200, body: NEUTRON_ROOT },
  '/moved/v2.1': { status: 301, headers: { location: 'https://elsewhere.example/v2.1' } },
  '/temporary/v2.1': { status: 307, headers: { location: '/v2.1-new' } },
  '/html/v2.1': { status: 200, body: '<html>welcome</html>' },
  '/compute/v2.1': { status: 200, body: NOVA_V21 },
};

let server: Server;
let garbage: net.Server;
let base = '';
let garbageBase = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = ROUTES[(req.url ?? '/').replace(/\/$/, '') || '/'] ?? { status: 404, body: { itemNotFound: { code: 404, message: 'no' } } };
    const text = typeof route.body === 'string' ? route.body : JSON.stringify(route.body ?? {});
    res.writeHead(route.status, { 'content-type': typeof route.body === 'string' ? 'text/html' : 'application/json', ...route.headers });
    res.end(text);
  });
  // Answers every request with an SSH banner: a port that is open, but not HTTP.
  garbage = net.createServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n')));
  await Promise.all([new Promise<void>((r) => server.listen(0, '127.0.0.1', r)), new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r))]);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  garbageBase = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await new Promise((r) => garbage.close(r));
});

async function setupErrorFor(target: string): Promise<string | null> {
  const config = readConfig({
    OSI_TARGET: target,
    OSI_TOKEN: 'tok',
    OSI_SERVER_ID: 'ce531f90-199f-48c0-816c-13e38010b442',
    OSI_MAX_RPS: '0',
    OSI_RETRIES: '0',
    OSI_TIMEOUT_MS: '2000',
  });
  const { handoff } = await resolveTarget(config, startEmbeddedCloud);
  return handoff.ok ? null : handoff.setupError;
}

describe('the target must be a compute endpoint', () => {
  it.each([
    ['/v3', /is an identity \(Keystone\) endpoint \(version v3\.14\)/],
    ['/identity', /is the root of an identity \(Keystone\) service/],
    ['', /is the root of a compute service .*add \/v2\.1 to --target/],
    ['/network/v2.0', /is a network \(Neutron\) API/],
    ['/network', /lists versions v2\.0 of a service that is not compute/],
    ['/moved/v2.1', /redirects \(301\) to https:\/\/elsewhere\.example\/v2\.1/],
    ['/temporary/v2.1', /redirects \(307\) to \/v2\.1-new/],
    ['/html/v2.1', /without a JSON version document/],
    ['/nothing/v2.1', /answered 404 .*without a JSON version document|without a compute version document/],
  ])('%s is refused before the run, naming what it is', async (pathname, message) => {
    expect(await setupErrorFor(`${base}${pathname}`)).toMatch(message);
  });

  it('a compute version document is accepted, with its microversion range', async () => {
    expect(await setupErrorFor(`${base}/compute/v2.1`)).toBeNull();
    expect(judgeVersionDocument({ status: 200, headers: {}, json: NOVA_V21 }, 'u')).toEqual({ min: '2.1', max: '2.93' });
  });

  it('a port that answers with something other than HTTP is named as such, not as unreachable (item 14)', async () => {
    const error = await setupErrorFor(`${garbageBase}/v2.1`);
    expect(error).toMatch(/^target answered, but not with HTTP: .* answered with broken HTTP \(HPE_/);
    expect(error).not.toMatch(/unreachable/);
  });
});
