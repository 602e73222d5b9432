/**
 * How the suite behaves on a shared cloud, for every request of one process: at most N requests in
 * flight, at most R requests started per second, 429 and 503 answers retried after their
 * Retry-After a bounded number of times, a run deadline after which nothing more is sent, and a
 * breaker that stops the run's requests once the cloud keeps refusing (a 503 storm), so that the
 * verdict says so at once instead of after hours of retries.
 *
 * One Manners object per process and settings (see sharedManners): the bound is on what the whole
 * process sends, whichever test file or client sends it.
 */
import { sleep } from '../harness/async.ts';

export interface MannerSettings {
  /** Requests in flight at once, at most. */
  readonly concurrency: number;
  /** Requests started per second, at most; 0 for no limit. */
  readonly maxRps: number;
  /** Retries of one request after 429 or 503. */
  readonly retries: number;
  /** The longest wait honoured between tries; a longer Retry-After ends the retrying. */
  readonly maxRetryWaitMs: number;
  /** Epoch milliseconds after which no request is sent; null for none. */
  readonly deadlineAt: number | null;
  /** After this many requests in a row stayed 429/503 through all their retries, stop sending. */
  readonly stormThreshold: number;
}

export const DEFAULT_MANNERS: MannerSettings = {
  concurrency: 1,
  maxRps: 0,
  retries: 3,
  maxRetryWaitMs: 60_000,
  deadlineAt: null,
  stormThreshold: 3,
};

/** Statuses that mean "not now": the request was not served and may be sent again later. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Null when absent
 * or unreadable.
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Waiting without Retry-After: 1 s, 2 s, 4 s, ... */
export function backoffMs(attempt: number): number {
  return 1000 * 2 ** Math.min(attempt, 6);
}

export class Manners {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private nextStartAt = 0;
  private refusedInARow = 0;
  /** Set once the cloud has refused stormThreshold requests in a row through all their retries. */
  stormReason: string | null = null;

  constructor(readonly settings: MannerSettings) {}

  /** Milliseconds left before the deadline (Infinity without one). */
  remainingMs(now = Date.now()): number {
    return this.settings.deadlineAt === null ? Number.POSITIVE_INFINITY : this.settings.deadlineAt - now;
  }

  /**
   * Waits for a slot within the concurrency bound and the rate, and returns the function that gives
   * the slot back. Slots are handed out in the order they were asked for.
   */
  async acquire(): Promise<() => void> {
    if (this.inFlight >= this.settings.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight += 1;
    if (this.settings.maxRps > 0) {
      const now = Date.now();
      const startAt = Math.max(now, this.nextStartAt);
      this.nextStartAt = startAt + 1000 / this.settings.maxRps;
      if (startAt > now) await sleep(startAt - now);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so inFlight stays counted.
      if (next) next();
      else this.inFlight -= 1;
    };
  }

  /** A request stayed 429/503 through every retry. */
  noteRefusedThroughout(status: number, attempts: number): void {
    this.refusedInARow += 1;
    if (this.refusedInARow >= this.settings.stormThreshold && this.stormReason === null) {
      this.stormReason = `the cloud kept answering ${status} (${this.refusedInARow} requests in a row refused through ${attempts} attempts each, Retry-After honoured): the run stopped sending`;
    }
  }

  noteServed(): void {
    this.refusedInARow = 0;
  }
}

const shared = new Map<string, Manners>();

/** The process's Manners for these settings: every client built from the same settings shares it. */
export function sharedManners(settings: MannerSettings): Manners {
  const key = JSON.stringify(settings);
  let manners = shared.get(key);
  if (!manners) {
    manners = new Manners(settings);
    shared.set(key, manners);
  }
  return manners;
}
