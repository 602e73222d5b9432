/**
 * The real `openstack` CLI (python-openstackclient) against the fake cloud: password auth from
 * OS_* variables, catalog discovery, then `server add port`, `server add network`, `port list`
 * and `server remove port`, each checked through the control state. The client takes seconds to
 * start, so the invocations are few. Skipped, saying why, when the client is not installed
 * (.ci/install-system-packages installs it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';

const run = promisify(execFile);

async function findOpenstack(): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v openstack']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

const openstack = await findOpenstack();
const title = openstack
  ? 'the openstack CLI authenticates and attaches, lists and detaches through the fake cloud'
  : 'the openstack CLI ... (SKIPPED: `openstack` is not installed; run .ci/install-system-packages)';

describe('openstack CLI', () => {
  let cloud: RunningFakeCloud;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cloud = await startFakeCloud();
    home = mkdtempSync(join(tmpdir(), 'fake-cloud-osc-'));
    const seed = cloud.seed;
    // Only what the client needs: no clouds.yaml from the real home, no proxy for loopback.
    env = {
      PATH: process.env.PATH,
      HOME: home,
      NO_PROXY: '127.0.0.1,localhost,::1',
      OS_AUTH_URL: seed.identity_url,
      OS_IDENTITY_API_VERSION: '3',
      OS_USERNAME: seed.username,
      OS_PASSWORD: seed.password,
      OS_PROJECT_NAME: seed.project_name,
      OS_USER_DOMAIN_NAME: seed.user_domain_name,
      OS_PROJECT_DOMAIN_NAME: seed.project_domain_name,
      OS_REGION_NAME: 'RegionOne',
      OS_INTERFACE: 'public',
    };
  });
  afterAll(async () => {
    await cloud?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Runs the client without blocking this process's event loop (the cloud lives here). */
  async function osc(...args: string[]): Promise<string> {
    try {
      const { stdout } = await run(openstack as string, args, { env, timeout: 60_000 });
      return stdout;
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`openstack ${args.join(' ')} failed: ${(e.stderr ?? e.message).slice(0, 500)}`);
    }
  }

  it.skipIf(!openstack)(title, async () => {
    const seed = cloud.seed;
    const port = seed.port_ids[0] as string;
    const before = cloud.state().attachments_by_server[seed.server_id] ?? [];

    await osc('server', 'add', 'port', seed.server_id, port);
    expect(cloud.state().attachments_by_server[seed.server_id]).toContain(port);
    expect(cloud.state().port_devices[port]).toBe(seed.server_id);

    await osc('server', 'add', 'network', seed.server_id, seed.network_id);
    const afterNetwork = cloud.state().attachments_by_server[seed.server_id] ?? [];
    expect(afterNetwork).toHaveLength(before.length + 2);
    const newPort = afterNetwork.find((id) => id !== port && !before.includes(id)) as string;

    const ports = JSON.parse(await osc('port', 'list', '-f', 'json')) as Array<{ ID: string; Status: string; 'Fixed IP Addresses': unknown }>;
    expect(ports.map((p) => p.ID)).toEqual(expect.arrayContaining([port, newPort, ...seed.port_ids]));
    expect(ports.find((p) => p.ID === port)?.Status).toBe('ACTIVE');
    expect(ports.find((p) => p.ID === seed.port_ids[1])?.Status).toBe('DOWN');

    await osc('server', 'remove', 'port', seed.server_id, port);
    expect(cloud.state().attachments_by_server[seed.server_id]).not.toContain(port);
    expect(cloud.state().port_devices[port]).toBe('');
  });
});
