/**
 * The HTTP client's manners on a shared cloud (concurrency and rate bounds, 429/503 retries written
 * into the record, the storm breaker, the deadline), where the suite's token may go (never along a
 * redirect, only to the catalog's origins), and TLS trust (--cacert, --insecure).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizedSender, FixedToken } from '../../suites/cloud/authorized.ts';
import { DEFAULT_MANNERS, Manners, retryAfterMs, type MannerSettings } from '../../suites/cloud/manners.ts';
import { mapBounded } from '../../suites/harness/async.ts';
import { explainUnreachable } from '../../suites/cloud/unreachable.ts';
import { HttpClient } from '../../suites/harness/http.ts';
import { selfSignedCertificate } from './helpers.ts';
import { RETRIES_RECORD_HEADER } from '../../contract/outcome-types.ts';
import { Redactor } from '../../suites/harness/redact.ts';

const TOKEN = 'gAAAAA-suite-token-0123456789';

/** A server whose answer per path is scripted; counts requests and the most in flight at once. */
class ScriptedServer {
  readonly server: http.Server;
  url = '';
  inFlight = 0;
  maxInFlight = 0;
  readonly hits = new Map<string, number>();
  readonly tokensSeen: string[] = [];

  constructor(private readonly answer: (path: string, hit: number, res: http.ServerResponse) => void) {
    this.server = http.createServer((req, res) => {
      const route = req.url ?? '/';
      const hit = (this.hits.get(route) ?? 0) + 1;
      this.hits.set(route, hit);
      const token = req.headers['x-auth-token'];
      if (typeof token === 'string') this.tokensSeen.push(token);
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('finish', () => (this.inFlight -= 1));
      req.resume();
      this.answer(route, hit, res);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: http.ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end('{}');
}

function client(settings: Partial<MannerSettings> = {}): HttpClient {
  return new HttpClient(new Redactor([{ value: TOKEN, variable: 'OS_TOKEN' }]), {
    timeoutMs: 2_000,
    manners: new Manners({ ...DEFAULT_MANNERS, ...settings }),
  });
}

let cloud: ScriptedServer;
let elsewhere: ScriptedServer;

beforeAll(async () => {
  elsewhere = await new ScriptedServer((_path, _hit, res) => json(res, 200)).start();
  cloud = await new ScriptedServer((route, hit, res) => {
    if (route === '/slow') setTimeout(() => json(res, 200), 50);
    else if (route.startsWith('/busy-twice')) json(res, hit <= 2 ? 503 : 200, hit <= 2 ? { 'Retry-After': '0' } : {});
    else if (route === '/rate-limited-once') json(res, hit === 1 ? 429 : 200, hit === 1 ? { 'Retry-After': '1' } : {});
    else if (route.startsWith('/always-503')) json(res, 503, { 'Retry-After': '0' });
    else if (route === '/far-retry') json(res, 503, { 'Retry-After': '3600' });
    else if (route === '/redirect') {
      res.writeHead(302, { Location: `${elsewhere.url}/stolen` });
      res.end();
    } else if (route === '/hang') return;
    else json(res, 200);
  }).start();
});
afterAll(async () => {
  await cloud.stop();
  await elsewhere.stop();
});

describe('bounds', () => {
  it('never has more than --concurrency requests in flight, and uses all of them', async () => {
    cloud.maxInFlight = 0;
    const bounded = client({ concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => bounded.send({ method: 'GET', url: `${cloud.url}/slow` })));
    expect(cloud.maxInFlight).toBe(3);
  });

  it('starts at most --max-rps requests per second', async () => {
    const limited = client({ concurrency: 8, maxRps: 20 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => limited.send({ method: 'GET', url: `${cloud.url}/fast` })));
    // Eight starts 50 ms apart: the last one at 350 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(340);
  });

  it('sends nothing after the deadline', async () => {
    const late = client({ deadlineAt: Date.now() - 1 });
    const { answer, record, transportCode } = await late.send({ method: 'GET', url: `${cloud.url}/fast` });
    expect(answer).toBeUndefined();
    expect(transportCode).toBe('NOT_SENT');
    expect(record.transportError).toMatch(/deadline has passed/);
  });

  it('cuts a request at the deadline even when the timeout is longer', async () => {
    const started = Date.now();
    const { record } = await client({ deadlineAt: Date.now() + 300 }).send({ method: 'GET', url: `${cloud.url}/hang` });
    expect(record.transportError).toMatch(/no answer within \d+ ms/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('429 and 503', () => {
  it('retries after Retry-After and writes each retry into the record', async () => {
    const { answer, record } = await client().send({ method: 'POST', url: `${cloud.url}/busy-twice-a`, body: '{}' });
    expect(answer?.status).toBe(200);
    expect(record.response?.headers[RETRIES_RECORD_HEADER]).toBe('503 Retry-After 0 → waited 0 ms; 503 Retry-After 0 → waited 0 ms');
  });

  it('honours a Retry-After of a second on 429', async () => {
    const started = Date.now();
    const { answer } = await client().send({ method: 'GET', url: `${cloud.url}/rate-limited-once` });
    expect(answer?.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('a request refused through every retry has no answer (an error to the suite, never a failure)', async () => {
    const { answer, record, transportCode } = await client({ retries: 2 }).send({ method: 'GET', url: `${cloud.url}/always-503-a` });
    expect(answer).toBeUndefined();
    expect(transportCode).toBe('HTTP_503');
    expect(record.response?.status).toBe(503);
    expect(record.transportError).toMatch(/^still 503 after 3 attempt\(s\)/);
  });

  it('does not wait for a Retry-After longer than it may', async () => {
    const started = Date.now();
    const { answer, record } = await client({ maxRetryWaitMs: 5_000 }).send({ method: 'GET', url: `${cloud.url}/far-retry` });
    expect(answer).toBeUndefined();
    expect(record.transportError).toMatch(/Retry-After 3600 → gave up/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('retry: false hands the 503 over as an answer (the unavailability scenario must see it)', async () => {
    const { answer } = await client().send({ method: 'GET', url: `${cloud.url}/always-503-b` }, { retry: false });
    expect(answer?.status).toBe(503);
  });

  it('after several requests in a row refused throughout, stops sending: a 503 storm', async () => {
    const stormy = client({ retries: 0, stormThreshold: 3 });
    for (let i = 0; i < 3; i++) await stormy.send({ method: 'GET', url: `${cloud.url}/always-503-storm` });
    const before = cloud.hits.get('/always-503-storm');
    const { record, transportCode } = await stormy.send({ method: 'GET', url: `${cloud.url}/always-503-storm` });
    expect(transportCode).toBe('NOT_SENT');
    expect(record.transportError).toMatch(/not sent: the cloud kept answering 503 \(3 requests in a row/);
    expect(cloud.hits.get('/always-503-storm')).toBe(before);
    // Requests that want the raw answer still go (the control switch must be able to end the outage).
    expect((await stormy.send({ method: 'GET', url: `${cloud.url}/fast` }, { retry: false })).answer?.status).toBe(200);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });
});

describe('where the token goes', () => {
  it('a redirect to another origin is not followed: the other origin never sees the token', async () => {
    elsewhere.tokensSeen.length = 0;
    const { answer } = await client().send({ method: 'GET', url: `${cloud.url}/redirect`, headers: { 'X-Auth-Token': TOKEN } });
    expect(answer?.status).toBe(302);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(elsewhere.hits.get('/stolen')).toBeUndefined();
    expect(elsewhere.tokensSeen).toEqual([]);
  });

  it("the suite's own token goes only to the catalog's origins; other tokens are sent as given", async () => {
    const sender = new AuthorizedSender(client(), new FixedToken(TOKEN), new Set([cloud.url]));
    expect((await sender.send({ method: 'GET', url: `${cloud.url}/fast`, headers: { 'X-Auth-Token': TOKEN } })).answer?.status).toBe(200);
    const refused = await sender.send({ method: 'GET', url: `${elsewhere.url}/x`, headers: { 'X-Auth-Token': TOKEN } });
    expect(refused.answer).toBeUndefined();
    expect(refused.record.transportError).toMatch(/the suite's token goes only to the catalog's endpoints/);
    expect(elsewhere.tokensSeen).not.toContain(TOKEN);
    expect((await sender.send({ method: 'GET', url: `${elsewhere.url}/x`, headers: { 'X-Auth-Token': 'bogus-token' } })).answer?.status).toBe(200);
  });
});

describe('TLS', () => {
  let dir = '';
  let server: https.Server | undefined;
  let url = '';
  let hasOpenssl = true;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'osi-tls-'));
    if (!selfSignedCertificate(dir)) {
      hasOpenssl = false;
      return;
    }
    server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) =>
      json(res, 200),
    );
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  const tlsClient = (tls: { caFile: string | null; insecure: boolean }) => new HttpClient(new Redactor([]), { timeoutMs: 2_000, tls });

  it('refuses a certificate it cannot trust, with one line that names the fix', async (context) => {
    if (!hasOpenssl) return context.skip('openssl is not installed');
    const { answer, transportCode, record } = await tlsClient({ caFile: null, insecure: false }).send({ method: 'GET', url });
    expect(answer).toBeUndefined();
    expect(explainUnreachable(url, transportCode, record.transportError)).toMatch(
      /^TLS: the certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(\w+\); give --cacert FILE/,
    );
  });

  it('trusts it with --cacert, or skips verification with --insecure', async (context) => {
    if (!hasOpenssl) return context.skip('openssl is not installed');
    expect((await tlsClient({ caFile: path.join(dir, 'cert.pem'), insecure: false }).send({ method: 'GET', url })).answer?.status).toBe(200);
    expect((await tlsClient({ caFile: null, insecure: true }).send({ method: 'GET', url })).answer?.status).toBe(200);
  });
});

describe('one line per unreachable endpoint', () => {
  it.each([
    ['ENOTFOUND', 'http://nowhere.invalid:5000/v3', /^DNS: cannot resolve nowhere\.invalid \(ENOTFOUND\)/],
    ['ECONNREFUSED', 'http://127.0.0.1:1/v3', /^connection refused by http:\/\/127\.0\.0\.1:1$/],
    ['TIMEOUT', 'https://k.example/v3', /^no answer from https:\/\/k\.example/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'https://k.example/v3', /is not for k\.example/],
    ['HTTP_503', 'https://k.example/v3', /^https:\/\/k\.example kept answering 503/],
  ])('%s', (code, url, message) => {
    expect(explainUnreachable(url, code, 'detail')).toMatch(message);
  });
});

describe('mapBounded', () => {
  it('keeps item order and the bound', async () => {
    let running = 0;
    let most = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, n * 5));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});
