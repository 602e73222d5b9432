/**
 * A run against a server that answers 200 to everything (the port id echoed from the request),
 * stopped by SIGTERM (issue 12, item 7): cleanup after a signal has a short, stated budget and says
 * what it does, and the ledger holds only attaches the suite accepted as real, never an id that
 * cannot be a port (a `DELETE …/os-interface/` was sent before).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortId, readLedger } from '../../suites/cloud/ledger.ts';
import { cleanEnv, ROOT } from './helpers.ts';

const CLI = path.join(ROOT, 'bin/os-interface-conformance.mjs');
const SERVER = '6b8f1c2e-3b0e-4d43-9a45-6d7c3f0f9a10';
const PORT = 'ce531f90-199f-48c0-816c-13e38010b442';
const work = mkdtempSync(path.join(tmpdir(), 'osi-hostile-'));
const requests: Array<{ method: string; url: string }> = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '' });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && /\/v2\.1\/?$/.test(req.url ?? '')) {
        res.end(
          JSON.stringify({
            version: {
              id: 'v2.1',
              status: 'CURRENT',
              version: '2.90',
              min_version: '2.1',
              'media-types': [{ type: 'application/vnd.openstack.compute+json;version=2.1' }],
            },
          }),
        );
        return;
      }
      let asked: unknown;
      try {
        asked = (JSON.parse(body) as { interfaceAttachment?: { port_id?: unknown } }).interfaceAttachment?.port_id;
      } catch {
        asked = undefined;
      }
      // 200 to everything, whatever was asked, with the request's port id (or an empty one).
      res.end(
        JSON.stringify({
          interfaceAttachment: {
            port_id: typeof asked === 'string' ? asked : '',
            port_state: 'ACTIVE',
            fixed_ips: [],
            mac_addr: 'fa:16:3e:00:00:01',
            net_id: '',
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

function ledgerHasContent(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

describe('SIGTERM during a run against a server that answers 200 to everything', () => {
  it('cleanup states its budget and each step, ends, and never sends a DELETE to an id that is not a port', async () => {
    const reportDir = path.join(work, 'out');
    const ledger = path.join(reportDir, 'resources.jsonl');
    const args = [
      '--target',
      `${base}/v2.1`,
      '--server-id',
      SERVER,
      '--port-id',
      PORT,
      '--runs',
      '4',
      '--max-rps',
      '0',
      '--timeout-ms',
      '1000',
      '--detach-timeout-s',
      '2',
      '--report-dir',
      reportDir,
    ];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: cleanEnv({ OSI_TOKEN: 'tok-hostile' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Signal once the suite has accepted an attach (the given port, answered 200) and written it down.
    for (let i = 0; i < 600 && !ledgerHasContent(ledger); i++) await new Promise((r) => setTimeout(r, 100));
    expect(ledgerHasContent(ledger), stderr).toBe(true);
    child.kill('SIGTERM');
    expect(await exit, stderr).toBe(143);
    expect(stderr).toMatch(/SIGTERM: removing \d+ resource\(s\) the run created, for at most \d+ s/);
    expect(stderr).toContain(`detaching port ${PORT} from server ${SERVER}`);
    // Only the port the suite asked to attach went to the ledger.
    const attached = readLedger(ledger).events.flatMap((e) => (e.event === 'created' && e.kind === 'attachment' ? [e.port_id ?? ''] : []));
    for (const id of attached) expect(id).toBe(PORT);
    // Every detach named a port. (A DELETE on the collection itself is CI-055's wrong-method request.)
    const detaches = requests.filter((r) => r.method === 'DELETE' && r.url.includes('/os-interface/')).map((r) => r.url.split('/os-interface/')[1] ?? '');
    expect(detaches.length).toBeGreaterThan(0);
    for (const id of detaches) expect(isPortId(decodeURIComponent(id)), `DELETE …/os-interface/${id}`).toBe(true);
  }, 150_000);
});
