/**
 * Progress of a long run, for the person or the CI log watching it (issue 11): requests sent of the
 * planned total, requirements judged, elapsed time and an estimate of the time left.
 *
 * The test worker counts (every request a session sends, every requirement a test finished
 * judging) and writes the counts, at most twice a second, to a small file the CLI names in
 * OSI_PROGRESS_FILE; the CLI's main process reads it and draws a live line on a terminal, or
 * prints a plain line every 10 s without one. A file rather than vitest's channels: those carry
 * results when a test ends, and one test of a slow cloud may last minutes.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ledger } from '../../specs/index.ts';

export const PROGRESS_FILE_ENV = 'OSI_PROGRESS_FILE';

/**
 * What a run sends, as a function of --runs: a least-squares line through the requests the faithful
 * fake cloud counted through --target at --runs 1, 5, 10, 25 and 100 (276, 420, 638, 1150, 3349;
 * BENCHMARKS.md, "Bounded runs"). An estimate: a target that refuses some shapes, or lacks
 * resources, gets fewer requests; one that makes the suite wait, more time per request.
 */
export const PLAN_REQUESTS_FIXED = 300;
export const PLAN_REQUESTS_PER_RUN = 31;

export function plannedRequests(runs: number): number {
  return Math.round(PLAN_REQUESTS_FIXED + PLAN_REQUESTS_PER_RUN * runs);
}

interface ProgressCounts {
  readonly sent: number;
  readonly judged: number;
}

const counts = { sent: 0, judged: new Set<string>() };
let lastWrite = 0;
const WRITE_EVERY_MS = 500;

function write(force: boolean): void {
  const file = process.env[PROGRESS_FILE_ENV];
  if (!file) return;
  const now = Date.now();
  if (!force && now - lastWrite < WRITE_EVERY_MS) return;
  lastWrite = now;
  try {
    // Written aside, then renamed: the reader never sees half a file.
    writeFileSync(`${file}.part`, JSON.stringify({ sent: counts.sent, judged: counts.judged.size } satisfies ProgressCounts));
    renameSync(`${file}.part`, file);
  } catch {
    // Progress is a courtesy: a file that cannot be written never disturbs the run.
  }
}

/** A session sent a request (worker side). */
export function noteRequestSent(): void {
  counts.sent += 1;
  write(false);
}

/** A test finished judging these requirements (worker side). */
export function noteJudged(requirementIds: readonly string[]): void {
  for (const id of requirementIds) counts.judged.add(id);
  write(true);
}

export interface ProgressPlan {
  readonly plannedRequests: number;
  /** Requests per second the run may send; 0 for no limit. */
  readonly maxRps: number;
  readonly startedAt: number;
}

/** The counts in the file, or `last` while there is none (not written yet) or it cannot be read. */
function readCounts(file: string, last: ProgressCounts): ProgressCounts {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProgressCounts>;
    return { sent: typeof parsed.sent === 'number' ? parsed.sent : last.sent, judged: typeof parsed.judged === 'number' ? parsed.judged : last.judged };
  } catch {
    return last;
  }
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60
    ? `${s} s`
    : s < 3600
      ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
      : `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Time left: the requests not yet sent at the pace so far, and never faster than the rate limit
 * allows. Null before there is a pace to go by.
 */
export function estimateLeftMs(plan: ProgressPlan, sent: number, elapsedMs: number): number | null {
  const left = Math.max(0, plan.plannedRequests - sent);
  const byRate = plan.maxRps > 0 ? (left / plan.maxRps) * 1000 : 0;
  if (sent === 0) return plan.maxRps > 0 ? byRate : null;
  return Math.max(byRate, (elapsedMs / sent) * left);
}

export function progressText(plan: ProgressPlan, counts: ProgressCounts, now: number): string {
  const elapsed = now - plan.startedAt;
  const left = estimateLeftMs(plan, counts.sent, elapsed);
  const total = Math.max(plan.plannedRequests, counts.sent);
  return `${counts.sent} of ~${total} requests, ${counts.judged} of ${ledger.requirements.length} requirements judged, ${duration(elapsed)} elapsed, ${left === null ? 'estimating' : `about ${duration(left)} left`}`;
}

/** The estimate printed when a run against a cloud or --target starts. */
export function planText(plan: ProgressPlan, deadlineS: number | null): string {
  const rate = plan.maxRps > 0 ? `at most ${plan.maxRps} requests/s: at least ${duration((plan.plannedRequests / plan.maxRps) * 1000)}` : 'no rate limit';
  return `plan: about ${plan.plannedRequests} requests (${rate})${deadlineS === null ? '' : `; the run ends by its deadline of ${duration(deadlineS * 1000)} whatever happens`}`;
}

/**
 * The CLI's side: draws the line every second on a terminal (rewritten in place), or prints a
 * plain line every 10 s otherwise. stop() ends the line and removes the file.
 */
export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;
  private last: ProgressCounts = { sent: 0, judged: 0 };

  constructor(
    private readonly file: string,
    private readonly plan: ProgressPlan,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  start(): void {
    const tick = (): void => {
      this.last = readCounts(this.file, this.last);
      const text = `conformance: ${progressText(this.plan, this.last, Date.now())}`;
      if (this.interactive) {
        // Cut to the terminal's width, so the line never wraps and \r rewrites all of it.
        const width = this.out.columns ?? 120;
        this.out.write(`\r${text.slice(0, Math.max(20, width - 1))}\x1b[K`);
        this.drawn = true;
      } else {
        this.out.write(`${text}\n`);
      }
    };
    this.timer = setInterval(tick, this.interactive ? 1_000 : 10_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
    rmSync(this.file, { force: true });
    rmSync(`${this.file}.part`, { force: true });
  }
}
