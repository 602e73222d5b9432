/**
 * Helpers for the real-cloud tests: a fake cloud with a clouds.yaml (and secure.yaml) pointing at it
 * in a temporary directory, the CLI run as a child process with a clean environment, and the
 * fake cloud's state compared with its seed ("nothing the suite created is left").
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeCloud, type ControlState, type FakeCloudOptions, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/os-interface-conformance.mjs');

export interface CloudFixture {
  readonly cloud: RunningFakeCloud;
  /** Holds clouds.yaml, secure.yaml and the run's report directory. */
  readonly dir: string;
  /** The seed state, to compare with after a run. */
  readonly initial: ControlState;
  close(): Promise<void>;
}

/** A fake cloud and, beside it, clouds.yaml (cloud "fake", no password) and secure.yaml (the password). */
export async function cloudFixture(options: FakeCloudOptions = {}): Promise<CloudFixture> {
  const cloud = await startFakeCloud({ buildDelayMs: 20, ...options });
  const dir = mkdtempSync(path.join(tmpdir(), 'osi-cloud-'));
  const { seed } = cloud;
  writeFileSync(
    path.join(dir, 'clouds.yaml'),
    [
      'clouds:',
      '  fake:',
      '    auth:',
      `      auth_url: ${seed.identity_url}`,
      `      username: ${seed.username}`,
      `      project_name: ${seed.project_name}`,
      '      user_domain_name: Default',
      '      project_domain_name: Default',
      '    region_name: RegionOne',
      '    interface: public',
      '  nopass:',
      '    auth:',
      `      auth_url: ${seed.identity_url}`,
      '      username: demo',
      '      user_domain_name: Default',
      '      project_name: demo',
      '      project_domain_name: Default',
      '  other:',
      '    auth:',
      '      auth_url: http://127.0.0.1:1/v3',
      '      token: not-used',
      '      project_id: 0123',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'secure.yaml'), `clouds:\n  fake:\n    auth:\n      password: ${seed.password}\n`, { mode: 0o600 });
  return {
    cloud,
    dir,
    initial: cloud.state(),
    close: async () => {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment of the test process without OS_* and OSI_* variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('OS_') && !name.startsWith('OSI_')) env[name] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface CliOptions {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  /** Sends the signal this many ms after the start... */
  readonly interruptAfterMs?: number;
  /** ...or after the run's ledger (this file) first holds something, when given... */
  readonly afterLedger?: string;
  /** ...or after the CLI's stderr first matches this, when given. */
  readonly afterOutput?: RegExp;
  readonly signal?: NodeJS.Signals;
}

/** Resolves once the file exists and is not empty (or after `limitMs`). */
function whenWritten(file: string, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  return new Promise((resolve) => {
    const poll = (): void => {
      let size = 0;
      try {
        size = statSync(file).size;
      } catch {
        size = 0;
      }
      if (size > 0 || Date.now() > until) resolve();
      else setTimeout(poll, 10);
    };
    poll();
  });
}

/** Runs the CLI in `cwd` (where clouds.yaml is found) and resolves when it exits. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    let exited = false;
    let armed = false;
    const arm = (): void => {
      if (armed) return;
      armed = true;
      if (options.interruptAfterMs !== undefined && !exited) timer = setTimeout(() => child.kill(options.signal ?? 'SIGINT'), options.interruptAfterMs);
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (options.afterOutput?.test(stderr)) arm();
    });
    if (options.afterOutput !== undefined) {
      // armed by the output
    } else if (options.afterLedger === undefined) arm();
    else void whenWritten(path.resolve(options.cwd, options.afterLedger), 60_000).then(arm);
    child.on('close', (code) => {
      exited = true;
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** What differs between the cloud now and its seed: servers, ports, networks, subnets, bindings. */
export function leftovers(fixture: CloudFixture): string[] {
  const now = fixture.cloud.state();
  const was = fixture.initial;
  const out: string[] = [];
  const extra = (what: string, a: readonly string[], b: readonly string[]): void => {
    for (const id of a) if (!b.includes(id)) out.push(`${what} ${id}`);
  };
  extra('server', now.server_ids, was.server_ids);
  extra('network', now.network_ids, was.network_ids);
  extra('subnet', now.subnet_ids, was.subnet_ids);
  extra('port', Object.keys(now.port_devices), Object.keys(was.port_devices));
  for (const [port, device] of Object.entries(now.port_devices))
    if (was.port_devices[port] !== undefined && was.port_devices[port] !== device) out.push(`port ${port} bound to "${device}"`);
  return out;
}

export interface Report {
  readonly verdict: { readonly value: string; readonly reason: string };
  readonly requirements: ReadonlyArray<{ readonly id: string; readonly level: string; readonly status: string }>;
  readonly microversion: string;
  readonly target: { readonly url: string; readonly kind: string };
}

export function readReport(reportDir: string): Report | null {
  try {
    return JSON.parse(readFileSync(path.join(reportDir, 'conformance.json'), 'utf8')) as Report;
  } catch {
    return null;
  }
}

export function ledgerText(reportDir: string): string | null {
  try {
    return readFileSync(path.join(reportDir, 'resources.jsonl'), 'utf8');
  } catch {
    return null;
  }
}

/** A small seeded generator (mulberry32): the same seed gives the same kill times. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The optional resources of README's table ("what the target is asked to provide"), by flag. */
export const OPTIONAL_RESOURCES = ['port-id', 'net-id', 'network-url', 'reader-token', 'alt-token', 'control-url'] as const;
export type OptionalResource = (typeof OPTIONAL_RESOURCES)[number];

/** Every subset of them (64), the empty one first. */
export const RESOURCE_SUBSETS: OptionalResource[][] = Array.from({ length: 2 ** OPTIONAL_RESOURCES.length }, (_, mask) =>
  OPTIONAL_RESOURCES.filter((_, bit) => (mask & (1 << bit)) !== 0),
);

/**
 * A self-signed certificate for 127.0.0.1 in `dir` (key.pem, cert.pem), made with the openssl
 * command; null where openssl is missing (the TLS tests then skip).
 */
export function selfSignedCertificate(dir: string): { key: string; cert: string } | null {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  try {
    const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', ...subject], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return { key, cert };
}
