/**
 * A signal that lands while vitest is starting its run (after provisioning, before the first test
 * file) stops the run there. Vitest resets a cancel asked for before its run starts, so the CLI asks
 * again when the run and each file start; before that, such a run went on testing file after file
 * until a fallback timer wound it down (19 s on a fake cloud, seen by the interrupts test).
 * Judged by what happened, not by time: no test file ran, so no requirement passed, failed or erred, and the
 * cloud holds nothing the run created.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudFixture, ledgerText, leftovers, readReport, runCli } from './helpers.ts';

describe('a signal while vitest starts', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 130/143, no requirement judged, nothing left', async (signal) => {
    const fixture = await cloudFixture();
    try {
      // "plan:" is printed once provisioning is done, just before vitest is started.
      const args = ['--os-cloud', 'fake', '--provision', '--runs', '200', '--max-rps', '0', '--timeout-ms', '2000', '--report-dir', 'out'];
      const run = await runCli(args, { cwd: fixture.dir, afterOutput: /plan: about/, interruptAfterMs: 0, signal });
      expect(run.code, run.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      const report = readReport(path.join(fixture.dir, 'out'));
      // Not-exercisable is decided from what the target was given, before any test: not a judgement.
      const judged = (report?.requirements ?? []).filter((r) => r.status !== 'not-run' && r.status !== 'not-exercisable').map((r) => `${r.id} ${r.status}`);
      expect(judged, run.stderr).toEqual([]);
      expect(leftovers(fixture)).toEqual([]);
      expect(ledgerText(path.join(fixture.dir, 'out'))).toBe('');
    } finally {
      await fixture.close();
    }
  });
});
