/**
 * The progress of a long run: the worker's counts reach the CLI through a file; the CLI draws a
 * live line on a terminal and a plain line every 10 s without one; the estimate follows the plan
 * and the rate limit. Fake timers: counts of lines, never timings.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ledger } from '../../specs/index.ts';
import { estimateLeftMs, planText, plannedRequests, progressText, ProgressLine } from '../../suites/harness/progress.ts';

/** A stream that keeps what is written, as a terminal (isTTY) or a CI log. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const out = {
    text: '',
    isTTY,
    columns: 200,
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'osi-progress-'));
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('the estimate', () => {
  it('grows with --runs, and is never faster than the rate limit allows', () => {
    expect(plannedRequests(100)).toBeGreaterThan(plannedRequests(5));
    const plan = { plannedRequests: 1000, maxRps: 10, startedAt: 0 };
    expect(estimateLeftMs(plan, 0, 0)).toBe(100_000);
    // Faster than the limit so far (impossible, but the estimate holds to the limit)...
    expect(estimateLeftMs(plan, 500, 1_000)).toBe(50_000);
    // ...and slower: the pace so far decides.
    expect(estimateLeftMs(plan, 500, 100_000)).toBe(100_000);
    expect(estimateLeftMs({ ...plan, maxRps: 0 }, 0, 0)).toBeNull();
  });

  it('says requests of the plan, requirements judged, elapsed and time left', () => {
    const text = progressText({ plannedRequests: 400, maxRps: 10, startedAt: 0 }, { sent: 100, judged: 12 }, 10_000);
    expect(text).toBe(`100 of ~400 requests, 12 of ${ledger.requirements.length} requirements judged, 10 s elapsed, about 30 s left`);
    expect(planText({ plannedRequests: 400, maxRps: 10, startedAt: 0 }, 1800)).toBe(
      'plan: about 400 requests (at most 10 requests/s: at least 40 s); the run ends by its deadline of 30 min 00 s whatever happens',
    );
  });
});

describe('the line', () => {
  it('without a terminal: one plain line every 10 s; the file is removed at the end', () => {
    const file = path.join(dir, 'progress.json');
    writeFileSync(file, JSON.stringify({ sent: 7, judged: 2 }));
    const out = stream(false);
    const line = new ProgressLine(file, { plannedRequests: 400, maxRps: 0, startedAt: Date.now() }, out);
    line.start();
    vi.advanceTimersByTime(35_000);
    line.stop();
    const lines = out.text.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^conformance: 7 of ~400 requests, 2 of \d+ requirements judged, 10 s elapsed/);
    expect(out.text).not.toContain('\r');
    expect(existsSync(file)).toBe(false);
  });

  it('on a terminal: the same line rewritten every second, and cleared at the end', () => {
    const file = path.join(dir, 'progress.json');
    const out = stream(true);
    const line = new ProgressLine(file, { plannedRequests: 400, maxRps: 10, startedAt: Date.now() }, out);
    line.start();
    vi.advanceTimersByTime(5_000);
    writeFileSync(file, JSON.stringify({ sent: 50, judged: 3 }));
    vi.advanceTimersByTime(1_000);
    line.stop();
    expect(out.text.split('\r').filter((l) => l.includes('requests'))).toHaveLength(6);
    expect(out.text).toContain('50 of ~400 requests, 3 of');
    expect(out.text.endsWith('\r\x1b[K')).toBe(true);
    expect(out.text).not.toContain('\n');
  });
});
