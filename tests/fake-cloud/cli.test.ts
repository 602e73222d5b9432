/**
 * The CLI: `npx tsx fixtures/fake-cloud/main.ts` prints one ready line, writes the seed file,
 * serves, and stops cleanly on SIGTERM; bad input is one stderr line and exit 2.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faults } from '../../fixtures/fake-cloud/index.ts';
import { call } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'fake-cloud-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEED_KEYS = [
  'identity_url',
  'compute_url',
  'compute_url_with_project',
  'network_url',
  'image_url',
  'project_id',
  'project_name',
  'user_domain_name',
  'project_domain_name',
  'username',
  'password',
  'application_credential_id',
  'application_credential_name',
  'application_credential_secret',
  'token',
  'alt_project_id',
  'alt_token',
  'reader_token',
  'server_id',
  'port_ids',
  'network_id',
  'subnet_id',
  'subnet_cidr',
  'control_url',
  'control_token',
  'max_microversion',
];

function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'fixtures/fake-cloud/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fake-cloud CLI', () => {
  it('--port 0 --seed-file: prints the URL, writes the seed, serves, stops on SIGTERM', async () => {
    const seedFile = join(dir, 'seed.json');
    // Its own process group: npx does not pass SIGTERM on to tsx, so the signal goes to the group.
    const child = spawn('npx', ['tsx', 'fixtures/fake-cloud/main.ts', '--port', '0', '--seed-file', seedFile, '--profile', 'nova'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n') + 1));
      });
      child.on('close', (code) => reject(new Error(`exited ${code} before ready`)));
    });
    expect(line).toMatch(/^fake cloud listening on http:\/\/127\.0\.0\.1:\d+ \(profile nova\)\n$/);
    const url = /listening on (\S+)/.exec(line)?.[1] as string;
    const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(seed).sort()).toEqual([...SEED_KEYS].sort());
    expect(seed.compute_url).toBe(`${url}/v2.1`);
    const version = await call('GET', `${url}/v2.1`);
    expect(version.status).toBe(200);
    const list = await call('GET', `${seed.compute_url_with_project as string}/servers/${seed.server_id as string}/os-interface`, {
      headers: { 'X-Auth-Token': seed.token as string },
    });
    expect(list.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    process.kill(-(child.pid as number), 'SIGTERM');
    // npx itself dies of the signal (null); the fake cloud under it closes and exits 0 (next test).
    expect([0, null]).toContain(await exit);
    await expect(call('GET', `${url}/v2.1`)).rejects.toThrow();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s closes the server and exits 0', async (signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'fixtures/fake-cloud/main.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill(signal);
    expect(await exit).toBe(0);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--fault', 'no-such-fault'], /unknown fault "no-such-fault"/],
    [['--host', '0.0.0.0'], /loopback only/],
    [['--profile', 'aws'], /--profile must be document or nova/],
    [['--port', 'abc'], /--port must be an integer/],
  ])('%j → exit 2 with one line on stderr', async (args, message) => {
    const { code, stderr } = await runToExit(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a port in use → exit 2', async () => {
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runToExit(['--port', String(port)]);
      expect(code).toBe(2);
      expect(stderr).toBe(`fake-cloud: port ${port} on 127.0.0.1 is in use\n`);
    } finally {
      blocker.close();
    }
  });

  it('--help describes every flag', async () => {
    const { code, stdout } = await runToExit(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--port', '--host', '--profile', '--fault', '--seed-file', '--clouds-yaml', '--latency-ms', '--list-faults', '--help']) {
      expect(stdout).toMatch(new RegExp(`^  ${flag} .*\\S`, 'm'));
    }
  });

  it('without --seed-file the credentials are written (never printed) with a clouds.yaml beside them; SIGTERM to npm stops the cloud (issue 12, item 12)', async () => {
    const child = spawn('npm', ['run', '--silent', 'fake-cloud', '--', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (/\n {2}suite: .*\n/.test(text)) resolve(text);
      });
      child.on('close', (code) => reject(new Error(`exited ${code} before ready: ${text}`)));
    });
    const url = /listening on (\S+)/.exec(out)?.[1] as string;
    const seedFile = /credentials \(not printed\): (\S+seed\.json) and (\S+clouds\.yaml)/.exec(out);
    expect(seedFile, out).not.toBeNull();
    const seed = JSON.parse(readFileSync(seedFile?.[1] as string, 'utf8')) as {
      token: string;
      password: string;
      compute_url_with_project: string;
      server_id: string;
    };
    try {
      expect(out).not.toContain(seed.token);
      expect(out).not.toContain(seed.password);
      expect(statSync(seedFile?.[1] as string).mode & 0o777).toBe(0o600);
      const yaml = readFileSync(seedFile?.[2] as string, 'utf8');
      expect(yaml).toContain(`password: ${JSON.stringify(seed.password)}`);
      expect(statSync(seedFile?.[2] as string).mode & 0o777).toBe(0o600);
      // The curl line works as printed: its token comes from the seed file.
      const list = await call('GET', `${seed.compute_url_with_project}/servers/${seed.server_id}/os-interface`, { headers: { 'X-Auth-Token': seed.token } });
      expect(list.status).toBe(200);
      expect(out).toContain(
        `curl -H "X-Auth-Token: $(node -p 'require(${JSON.stringify(seedFile?.[1])}).token')" ${seed.compute_url_with_project}/servers/${seed.server_id}/os-interface`,
      );
    } finally {
      const exit = new Promise<unknown>((resolve) => child.on('close', resolve));
      // To npm alone, as a supervisor would send it: the cloud under it must stop too.
      child.kill('SIGTERM');
      await exit;
      rmSync(path.dirname(seedFile?.[1] as string), { recursive: true, force: true });
    }
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      refused = await call('GET', `${url}/v2.1`).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused).toBe(true);
  });

  it('--list-faults prints the table with every fault', async () => {
    const { code, stdout } = await runToExit(['--list-faults']);
    expect(code).toBe(0);
    for (const fault of faults) expect(stdout).toContain(`\`${fault.name}\``);
  });
});
