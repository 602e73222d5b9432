/**
 * A shared cloud on a bad day, played by the fake cloud's switches: bursts of 503 with Retry-After,
 * slow answers, a create that never answers, a 503 storm, everything hanging. Each run ends within
 * its deadline with the verdict the situation deserves, and leaves nothing behind (directly, or,
 * when the cloud would not let it clean up, after --cleanup-only once the cloud is back).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../fake-cloud/helpers.ts';
import { cloudFixture, ledgerText, leftovers, readReport, runCli, type CloudFixture } from './helpers.ts';

const BASE = ['--os-cloud', 'fake', '--provision', '--max-rps', '0', '--seed', '5', '--report-dir', 'out'];

function settings(fixture: CloudFixture, body: Record<string, unknown>): Promise<unknown> {
  const { seed } = fixture.cloud;
  return call('POST', `${seed.control_url}/settings`, { headers: { 'X-Control-Token': seed.control_token, 'Content-Type': 'application/json' }, body });
}

/** Polls until the run's ledger records the server's baseline: provisioning is over, the tests begin. */
async function serverProvisioned(fixture: CloudFixture): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if ((ledgerText(path.join(fixture.dir, 'out')) ?? '').includes('"event":"baseline"')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the run never provisioned its server');
}

describe('a cloud that refuses, slows down and hangs', () => {
  it('503 bursts with Retry-After, from authentication on: retried, recorded, conformant; CI-059 still sees its 503', async () => {
    const fixture = await cloudFixture();
    const { seed } = fixture.cloud;
    try {
      // One burst meets the authentication, then, once the tests have begun, one every 3 s: each
      // costs a request two retries of 1 s. (Refilled during authentication, on a loaded machine a
      // refill could meet the same request's retries and exhaust them.)
      await settings(fixture, { unavailable_burst: 2, burst_retry_after_s: 1 });
      let left = 4;
      let bursts: NodeJS.Timeout | undefined;
      const run = runCli([...BASE, '--runs', '4', '--control-url', seed.control_url, '--control-token', seed.control_token], { cwd: fixture.dir });
      void serverProvisioned(fixture).then(
        () => {
          bursts = setInterval(() => {
            if (left-- > 0) void settings(fixture, { unavailable_burst: 2 });
          }, 3_000);
        },
        () => undefined,
      );
      const result = await run.finally(() => clearInterval(bursts));
      const report = readReport(path.join(fixture.dir, 'out'));
      expect(result.code, result.stderr).toBe(0);
      expect(report?.verdict.value).toBe('conformant');
      expect(report?.requirements.find((r) => r.id === 'CI-059')?.status).toBe('pass');
      expect(leftovers(fixture)).toEqual([]);
    } finally {
      await fixture.close();
    }
  });

  it('slow answers (30 ms each): conformant, well within the deadline', async () => {
    const fixture = await cloudFixture({ latencyMs: 30 });
    try {
      const result = await runCli([...BASE, '--runs', '3', '--deadline-s', '90'], { cwd: fixture.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(readReport(path.join(fixture.dir, 'out'))?.verdict.value).toBe('conformant');
      expect(result.ms).toBeLessThan(90_000);
      expect(leftovers(fixture)).toEqual([]);
    } finally {
      await fixture.close();
    }
  });

  it('a create that never answers: verdict error (not a failure), within the deadline, nothing left', async () => {
    const fixture = await cloudFixture();
    try {
      await settings(fixture, { hang: 'compute-create' });
      const result = await runCli([...BASE, '--runs', '3', '--timeout-ms', '800', '--deadline-s', '45'], { cwd: fixture.dir });
      const report = readReport(path.join(fixture.dir, 'out'));
      expect(result.code, result.stderr).toBe(1);
      expect(report?.verdict.value).toBe('error');
      expect(report?.requirements.filter((r) => r.status === 'fail')).toEqual([]);
      expect(result.ms).toBeLessThan(45_000 + 5_000);
      expect(leftovers(fixture)).toEqual([]);
      expect(ledgerText(path.join(fixture.dir, 'out'))).toBe('');
    } finally {
      await fixture.close();
    }
  });

  it('a deadline that comes mid-run: cut short, verdict error, cleaned up before the deadline', async () => {
    const fixture = await cloudFixture({ latencyMs: 40 });
    try {
      const result = await runCli([...BASE, '--runs', '200', '--deadline-s', '12'], { cwd: fixture.dir });
      const report = readReport(path.join(fixture.dir, 'out'));
      expect(result.code, result.stderr).toBe(1);
      expect(report?.verdict.value).toBe('error');
      expect(report?.verdict.reason).toMatch(/interrupted/);
      // The report names the deadline that cut the run short (the default one says so apart).
      expect(report?.verdict.reason).toMatch(/the --deadline-s of 12 s cut the run short/);
      expect(result.stderr).toMatch(/the --deadline-s of 12 s is near/);
      // The deadline counts from the CLI's start; loading tsx comes before it.
      expect(result.ms).toBeLessThan(12_000 + 4_000);
      expect(leftovers(fixture)).toEqual([]);
    } finally {
      await fixture.close();
    }
  });
});

describe('a cloud that will not let the run clean up', () => {
  it('a 503 storm after provisioning: the run stops sending, says so, and --cleanup-only removes the rest later', async () => {
    const fixture = await cloudFixture();
    try {
      const run = runCli([...BASE, '--runs', '3', '--retries', '1', '--timeout-ms', '1000', '--deadline-s', '40'], { cwd: fixture.dir });
      await serverProvisioned(fixture);
      await settings(fixture, { unavailable_burst: 1_000_000, burst_retry_after_s: 0 });
      const result = await run;
      const report = readReport(path.join(fixture.dir, 'out'));
      expect(report?.verdict.value).toBe('error');
      expect(report?.requirements.filter((r) => r.status === 'fail')).toEqual([]);
      expect(JSON.stringify(report)).toMatch(/the cloud kept answering 503/);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/not removed: .* still 503/);
      expect(result.stderr).toMatch(/--cleanup-only out\/resources\.jsonl/);
      // The storm passes; the ledger knows what is left.
      await settings(fixture, { unavailable_burst: 0 });
      const cleanup = await runCli(['--os-cloud', 'fake', '--cleanup-only', 'out/resources.jsonl', '--max-rps', '0'], { cwd: fixture.dir });
      expect(cleanup.code, cleanup.stderr).toBe(0);
      expect(leftovers(fixture)).toEqual([]);
      expect(ledgerText(path.join(fixture.dir, 'out'))).toBe('');
    } finally {
      await fixture.close();
    }
  });

  it('everything hangs after provisioning: the run still ends by its deadline; --cleanup-only later leaves nothing', async () => {
    const fixture = await cloudFixture();
    try {
      const run = runCli([...BASE, '--runs', '3', '--timeout-ms', '700', '--deadline-s', '12'], { cwd: fixture.dir });
      await serverProvisioned(fixture);
      await settings(fixture, { hang: 'all' });
      const result = await run;
      expect(result.ms).toBeLessThan(12_000 + 4_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/not removed/);
      await settings(fixture, { hang: 'none' });
      const cleanup = await runCli(['--os-cloud', 'fake', '--cleanup-only', 'out/resources.jsonl', '--max-rps', '0'], { cwd: fixture.dir });
      expect(cleanup.code, cleanup.stderr).toBe(0);
      expect(leftovers(fixture)).toEqual([]);
    } finally {
      await fixture.close();
    }
  });
});
