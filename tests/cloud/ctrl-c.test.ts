/**
 * Ctrl-C in a terminal (issue 10, item 4): the terminal sends SIGINT to the whole process group,
 * the vitest workers included. The run must stop, remove what it attached, exit 130, and report
 * only what it saw: no "[vitest-pool]: Worker forks emitted error" from a worker killed by the
 * same keystroke.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRun } from '../../reporters/collect.ts';
import { startFakeCloud, targetArgs } from '../../fixtures/fake-cloud/index.ts';
import { cleanEnv, ROOT } from './helpers.ts';

const CLI = path.join(ROOT, 'bin/os-interface-conformance.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'osi-ctrl-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('Ctrl-C: SIGINT to the whole process group', () => {
  it('a worker killed by the interrupt is the interruption, not a problem of its own', () => {
    const run = collectRun([], { mode: 'run', unhandledErrors: [{ message: '[vitest-pool]: Worker forks emitted error.' }], interrupted: true, wallTimeMs: 1 });
    expect(run.problems).toEqual(['the run was interrupted before every test finished']);
    // Without an interrupt the same error is a problem of the run.
    expect(
      collectRun([], { mode: 'run', unhandledErrors: [{ message: '[vitest-pool]: Worker forks emitted error.' }], interrupted: false, wallTimeMs: 1 }).problems,
    ).toEqual(['unhandled error: [vitest-pool]: Worker forks emitted error.']);
  });

  it('stops the run, leaves the server as it was, exits 130, and the report holds no worker error', async () => {
    const cloud = await startFakeCloud({});
    try {
      const { seed } = cloud;
      const before = cloud.state().attachments_by_server[seed.server_id];
      const reportDir = path.join(work, 'report');
      const args = [...targetArgs(seed), '--runs', '400', '--max-rps', '0', '--report-dir', reportDir];
      // Its own process group, as a terminal's foreground job is.
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: cleanEnv({ OSI_TOKEN: seed.token }),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve) => {
        const onData = (d: Buffer): void => {
          output += d.toString();
          // The tests are sending: the first file has finished.
          if (/\.test\.ts \(/.test(output)) {
            child.stdout.off('data', onData);
            resolve();
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        void exit.then(() => resolve());
      });
      process.kill(-(child.pid as number), 'SIGINT');
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      expect(await exit, output).toBe(130);
      const report = JSON.parse(readFileSync(path.join(reportDir, 'conformance.json'), 'utf8')) as { verdict: { problems: string[] } };
      expect(report.verdict.problems.join('\n')).not.toMatch(/vitest-pool|Worker/);
      expect(cloud.state().attachments_by_server[seed.server_id]).toEqual(before);
    } finally {
      await cloud.close();
    }
  }, 120_000);
});
