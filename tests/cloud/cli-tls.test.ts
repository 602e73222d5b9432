/**
 * TLS through the CLI: Keystone behind https with a self-signed certificate (a TLS proxy in front
 * of the fake cloud). Untrusted, the run ends with one line and exit 2; with --cacert it runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudFixture, leftovers, readReport, runCli, selfSignedCertificate, type CloudFixture } from './helpers.ts';

let fixture: CloudFixture;
let proxy: https.Server | undefined;
let hasOpenssl = true;

beforeAll(async () => {
  fixture = await cloudFixture();
  const made = selfSignedCertificate(fixture.dir);
  if (!made) {
    hasOpenssl = false;
    return;
  }
  const { key, cert } = made;
  const upstream = new URL(fixture.cloud.url);
  proxy = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  const identity = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}/v3`;
  const clouds = readFileSync(path.join(fixture.dir, 'clouds.yaml'), 'utf8');
  writeFileSync(path.join(fixture.dir, 'clouds.yaml'), clouds.replace(fixture.cloud.seed.identity_url, identity));
});
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await fixture.close();
});

describe('Keystone over https with a private CA', () => {
  it('not trusted: one line naming the fix, exit 2', async (context) => {
    if (!hasOpenssl) return context.skip('openssl is not installed');
    const result = await runCli(['--os-cloud', 'fake', '--provision', '--report-dir', 'out-untrusted'], { cwd: fixture.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^conformance: error: identity: TLS: the certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(\w+\); give --cacert FILE/),
    ]);
  });

  it('trusted with --cacert: the run goes through and leaves nothing', async (context) => {
    if (!hasOpenssl) return context.skip('openssl is not installed');
    const result = await runCli(['--os-cloud', 'fake', '--provision', '--cacert', 'cert.pem', '--runs', '3', '--max-rps', '0', '--report-dir', 'out-trusted'], {
      cwd: fixture.dir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readReport(path.join(fixture.dir, 'out-trusted'))?.verdict.value).toBe('conformant');
    expect(leftovers(fixture)).toEqual([]);
  });
});
