/**
 * The fake cloud's disruption switches (503 and 429 bursts, latency, hangs), application-credential
 * authentication and the richer control state, which the real-cloud tests of the suite lean on.
 */
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { call, CloudClient } from '../fake-cloud/helpers.ts';

let cloud: RunningFakeCloud;
let c: CloudClient;

beforeAll(async () => {
  cloud = await startFakeCloud({ buildDelayMs: 10 });
  c = new CloudClient(cloud);
});
afterAll(() => cloud.close());
beforeEach(() => cloud.reset());

function issueToken(auth: unknown): ReturnType<typeof call> {
  return call('POST', `${c.seed.identity_url}/auth/tokens`, { headers: { 'Content-Type': 'application/json' }, body: { auth } });
}

describe('disruption switches', () => {
  it('an unavailable burst answers 503 with Retry-After N times, then serves again', async () => {
    expect((await c.control('POST', 'settings', { unavailable_burst: 2, burst_retry_after_s: 3 })).json).toMatchObject({
      unavailable_burst: 2,
      burst_retry_after_s: 3,
    });
    for (let i = 0; i < 2; i++) {
      const refused = await c.get(c.interfacesUrl());
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('3');
      expect(refused.json).toMatchObject({ serviceUnavailable: { code: 503 } });
    }
    // The control API is never disrupted, and the burst is spent.
    expect((await c.control('GET', 'state')).json).toMatchObject({ disruptions: { unavailable_burst: 0 } });
    expect((await c.get(c.interfacesUrl())).status).toBe(200);
  });

  it('a rate-limit burst answers 429 overLimit, network requests included', async () => {
    await c.control('POST', 'settings', { rate_limit_burst: 1 });
    const refused = await c.get(`${c.seed.network_url}/ports`);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect((await c.get(`${c.seed.network_url}/ports`)).status).toBe(200);
  });

  it('latency delays API answers but not the control API', async () => {
    await c.control('POST', 'settings', { latency_ms: 80 });
    let started = performance.now();
    await c.control('GET', 'state');
    expect(performance.now() - started).toBeLessThan(60);
    started = performance.now();
    expect((await c.get(c.interfacesUrl())).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    await c.control('POST', 'settings', { latency_ms: 0 });
  });

  it('hang compute-create never answers a create, while lists still work; reset switches it off', async () => {
    await c.control('POST', 'settings', { hang: 'compute-create' });
    const outcome = await Promise.race([c.create(c.attachPortBody(0)).then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 300, 'hung'))]);
    expect(outcome).toBe('hung');
    expect((await c.get(c.interfacesUrl())).status).toBe(200);
    await c.control('POST', 'reset', {});
    expect((await c.create(c.attachPortBody(1))).status).toBe(200);
  });

  it('close_after_answer closes each API connection after its answer, without Connection: close; never the control API', async () => {
    await c.control('POST', 'settings', { close_after_answer: 1 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Resolves once the answer has been read and the server has closed its connection.
    const get = (url: string): Promise<{ status: number; connection: string | undefined }> =>
      new Promise((resolve, reject) => {
        http
          .get(url, { agent, headers: { 'X-Auth-Token': c.seed.token } }, (res) => {
            const closed = new Promise((done) => res.socket.once('close', done));
            res.resume();
            res.on('end', () => void closed.then(() => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection })));
          })
          .on('error', reject);
      });
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await get(c.interfacesUrl());
        expect(answer.status).toBe(200);
        expect(answer.connection).not.toBe('close');
      }
      expect((await c.control('GET', 'state')).json).toMatchObject({ disruptions: { close_after_answer: 1 } });
    } finally {
      agent.destroy();
      await c.control('POST', 'settings', { close_after_answer: 0 });
    }
  });

  it('refuses bad settings without changing anything', async () => {
    expect((await c.control('POST', 'settings', { hang: 'the-moon', latency_ms: 5 })).status).toBe(400);
    expect((await c.control('POST', 'settings', { unavailable_burst: -1 })).status).toBe(400);
    expect((await c.control('GET', 'state')).json).toMatchObject({ disruptions: { latency_ms: 0, hang: 'none', unavailable_burst: 0 } });
  });
});

describe('application credentials', () => {
  it('by id or by name with the user: a token of the main project', async () => {
    const byId = await issueToken({
      identity: {
        methods: ['application_credential'],
        application_credential: { id: c.seed.application_credential_id, secret: c.seed.application_credential_secret },
      },
    });
    expect(byId.status).toBe(201);
    expect(byId.json).toMatchObject({ token: { project: { id: c.seed.project_id }, methods: ['application_credential'] } });
    const byName = await issueToken({
      identity: {
        methods: ['application_credential'],
        application_credential: {
          name: c.seed.application_credential_name,
          secret: c.seed.application_credential_secret,
          user: { name: c.seed.username, domain: { name: 'Default' } },
        },
      },
    });
    expect(byName.status).toBe(201);
    const token = byName.headers['x-subject-token'] as string;
    expect((await c.get(c.interfacesUrl(), token)).status).toBe(200);
  });

  it('a wrong secret, or a scope beside the credential, is 401', async () => {
    const credential = { id: c.seed.application_credential_id, secret: 'wrong' };
    expect((await issueToken({ identity: { methods: ['application_credential'], application_credential: credential } })).status).toBe(401);
    const scoped = {
      identity: { methods: ['application_credential'], application_credential: { ...credential, secret: c.seed.application_credential_secret } },
      scope: { project: { id: c.seed.project_id } },
    };
    expect((await issueToken(scoped)).status).toBe(401);
  });
});

describe('control state', () => {
  it('counts and lists networks, subnets and servers', async () => {
    const state = cloud.state();
    expect(state).toMatchObject({ networks: 2, subnets: 2 });
    expect(state.server_ids).toContain(c.seed.server_id);
    expect(state.network_ids).toContain(c.seed.network_id);
    expect(state.subnet_ids).toContain(c.seed.subnet_id);
  });
});
