/** The suite's plumbing: configuration errors, URL splitting, redaction, and the HTTP client's limits. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../suites/harness/config.ts';
import { HttpClient } from '../../suites/harness/http.ts';
import { Redactor } from '../../suites/harness/redact.ts';
import { splitComputeUrl } from '../../suites/harness/target.ts';

const TOKEN = 'gAAAAABsecret-token-value-0123456789';

describe('configuration', () => {
  it('defaults to the embedded fake cloud, microversion 2.1, 100 runs, and picks a seed', () => {
    const config = readConfig({});
    expect(config.target).toBeNull();
    expect(config.microversion).toBe('2.1');
    expect(config.runs).toBe(100);
    expect(Number.isInteger(config.seed)).toBe(true);
  });

  it.each([
    [{ OSI_RUNS: 'many' }, /--runs must be a whole number/],
    [{ OSI_RUNS: '0' }, /--runs must be between/],
    [{ OSI_MICROVERSION: '2.x' }, /--microversion/],
    [{ OSI_TARGET: 'ftp://x' }, /http or https/],
    [{ OSI_TARGET: 'not a url' }, /not a URL/],
    [{ OSI_TARGET: 'http://user:pw@h/v2.1', OSI_TOKEN: 't', OSI_SERVER_ID: 'ce531f90-199f-48c0-816c-13e38010b442' }, /must not carry credentials/],
    [{ OSI_TARGET: 'http://h/v2.1' }, /needs --token/],
    [{ OSI_TARGET: 'http://h/v2.1', OSI_TOKEN: 't' }, /needs --server-id/],
    [{ OSI_PORT_IDS: 'abc' }, /--port-id must be a UUID/],
    [{ OSI_FAKE_PROFILE: 'aws' }, /--profile/],
  ])('%o is refused with one clear message', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });

  it('never quotes a secret in an error', () => {
    try {
      readConfig({ OSI_TARGET: 'http://h/v2.1', OSI_TOKEN: TOKEN });
    } catch (error) {
      expect(String(error)).not.toContain(TOKEN);
    }
  });
});

describe('compute URL', () => {
  it.each([
    ['http://h:8774/v2.1/0c1b2a3d4e5f60718293a4b5c6d7e8f9', null, 'http://h:8774/v2.1', '0c1b2a3d4e5f60718293a4b5c6d7e8f9'],
    ['http://h/compute/v2.1/0c1b2a3d4e5f60718293a4b5c6d7e8f9/', null, 'http://h/compute/v2.1', '0c1b2a3d4e5f60718293a4b5c6d7e8f9'],
    ['http://h/compute/v2.1', 'abc', 'http://h/compute/v2.1', null],
    ['http://h/v2.1/myproject', 'myproject', 'http://h/v2.1', 'myproject'],
  ])('%s splits into base and project', (url, projectId, base, project) => {
    expect(splitComputeUrl(url, projectId)).toEqual({ base, projectFromUrl: project });
  });
});

describe('redaction', () => {
  const redactor = new Redactor([{ value: TOKEN, variable: 'OS_TOKEN' }]);

  it('replaces known secrets by their variable, in text and headers', () => {
    expect(redactor.text(`token ${TOKEN} here`)).toBe('token $OS_TOKEN here');
    expect(redactor.headers({ 'X-Auth-Token': TOKEN, Accept: 'application/json' })).toEqual({ 'X-Auth-Token': '$OS_TOKEN', Accept: 'application/json' });
  });

  it('masks unknown credential headers, but shows bogus tokens the suite made up', () => {
    expect(redactor.headers({ 'X-Subject-Token': 'someone-elses' })).toEqual({ 'X-Subject-Token': '***' });
    redactor.allowMadeUp('bogus-token-1234');
    expect(redactor.headers({ 'X-Auth-Token': 'bogus-token-1234' })).toEqual({ 'X-Auth-Token': 'bogus-token-1234' });
  });
});

describe('HTTP client', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/trickle') {
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'), 20);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' });
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ echo: req.headers['x-auth-token'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () => new HttpClient(new Redactor([{ value: TOKEN, variable: 'OS_TOKEN' }]), 300);

  it('records a redacted exchange and a curl line that uses $OS_TOKEN', async () => {
    const { record, answer } = await client().send({
      method: 'POST',
      url: `${base}/ok`,
      headers: { 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(answer?.status).toBe(200);
    expect(JSON.stringify(record)).not.toContain(TOKEN);
    expect(record.curl).toContain('"X-Auth-Token: $OS_TOKEN"');
    expect(record.curl).toContain(`--data-binary '{"a":1}'`);
  });

  it('ends a request that gets no answer within the timeout', async () => {
    const started = Date.now();
    const { answer, record } = await client().send({ method: 'GET', url: `${base}/hang` });
    expect(answer).toBeUndefined();
    expect(record.transportError).toMatch(/no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('ends an answer that trickles forever', async () => {
    const { answer, record } = await client().send({ method: 'GET', url: `${base}/trickle` });
    expect(answer).toBeUndefined();
    expect(record.transportError).toMatch(/no answer within/);
  });

  it('never follows a redirect (the token must not travel to another origin)', async () => {
    const { answer } = await client().send({ method: 'GET', url: `${base}/redirect`, headers: { 'X-Auth-Token': TOKEN } });
    expect(answer?.status).toBe(302);
  });

  it('reports a refused connection as a transport error', async () => {
    const { answer, record } = await client().send({ method: 'GET', url: 'http://127.0.0.1:1/' });
    expect(answer).toBeUndefined();
    expect(record.transportError).toMatch(/ECONNREFUSED/);
  });
});
