/**
 * What a conformance test tells the reporter, and what the run tells it.
 *
 * Tests record one `RequirementOutcome` per requirement judgement into `task.meta.outcomes`; vitest
 * carries task meta to the main process (and through blob reports for sharded runs), where the
 * matrix reporter aggregates them per requirement. Everything here is plain JSON: it crosses the
 * worker boundary by structured clone.
 */
import type { RequirementId } from '../specs/ledger-types.ts';

/**
 * - pass: the target did what the requirement asks.
 * - fail: the target did something else; evidence shows what.
 * - not-exercisable: the target lacks what the scenario needs (no reader token, no fault switch,
 *   microversion out of range); `message` says what.
 * - error: the suite could not judge (the target hung, the harness crashed); not the target's fault
 *   as far as is known, but never counted as a pass.
 */
export type OutcomeStatus = 'pass' | 'fail' | 'not-exercisable' | 'error';

/**
 * Pseudo-header under which a record lists the 429/503 answers that were retried. The brackets
 * make it unmistakable for a header the server sent (they are not allowed in header names).
 */
export const RETRIES_RECORD_HEADER = '(retried by the suite)';
/**
 * Pseudo-header under which a record says the request was sent a second time on a new connection,
 * because the kept-alive one it first went out on had been closed by the server (see suites/harness/http.ts transmitOnce).
 */
export const RECONNECT_RECORD_HEADER = '(sent again on a new connection)';
/**
 * Pseudo-header under which a record says the answer's head came but its body was cut short (the
 * connection was reset or closed before the body ended), with why.
 */
export const CUT_SHORT_RECORD_HEADER = '(answer cut short)';

/** One HTTP exchange, with every credential already redacted. */
export interface ExchangeRecord {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    /** Body as sent (text), truncated to a few KiB for the report; absent when none was sent. */
    readonly body?: string;
  };
  /** Absent when no answer came (timeout, connection refused). */
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  };
  /** Why no answer came, when none did. */
  readonly transportError?: string;
  readonly durationMs: number;
  /** A curl command that sends the same request, with the token as $OS_TOKEN. */
  readonly curl: string;
}

export interface RequirementOutcome {
  readonly requirement: RequirementId;
  readonly status: OutcomeStatus;
  /** The named check (suites/checks registry) that judged it. */
  readonly check: string;
  /** One or two sentences a person reads: what was expected and what came. */
  readonly message: string;
  /** The exchanges that decided it (at most a few; the first failing one first). */
  readonly evidence: readonly ExchangeRecord[];
  /**
   * Answers given by a layer in front of Nova (e.g. oslo.middleware's sizelimit 413) that were not
   * judged as Nova's: the layer's name. The message says why; the evidence holds such an answer.
   */
  readonly exemptedLayer?: string;
  /** Property runs: the fast-check seed and path that reproduce the failing case. */
  readonly replay?: { readonly seed: number; readonly path?: string };
  /** Stateful properties: the shrunk failing sequence, step by step, with a script of its curl lines. */
  readonly sequence?: SequenceRecord;
}

/** One command of a generated sequence as it ran: its requests and answers, in the order sent. */
export interface SequenceStep {
  /** 1-based. */
  readonly n: number;
  /** What the command did, e.g. "attach port … by port_id". */
  readonly title: string;
  readonly exchanges: readonly ExchangeRecord[];
  /** Indexes into `exchanges` of requests sent together (a concurrent group). */
  readonly together: readonly number[];
  /** What the step found: the model's change, or the requirement that failed there. */
  readonly outcome: string;
}

/** A failing sequence as the report shows it; `--seed` (and the path) replays it. */
export interface SequenceRecord {
  readonly seed: number;
  readonly path?: string;
  readonly steps: readonly SequenceStep[];
  /** A shell script of the steps' curl lines (the token as $OS_TOKEN). */
  readonly script: string;
}

/** Run-wide facts the reporter needs even when every test crashed. Contains no secret. */
export interface RunInfo {
  readonly suiteVersion: string;
  /** Target compute endpoint as given (credentials and query strings removed). */
  readonly target: string;
  /** "embedded fake cloud (profile document)" or "given URL". */
  readonly targetKind: string;
  readonly microversion: string;
  readonly seed: number;
  readonly runs: number;
  readonly startedAt: string;
  readonly document: { readonly name: string; readonly sha256: string };
  /** The target's microversion range from its version document (absent when it was not read). */
  readonly microversionRange?: { readonly min: string | null; readonly max: string | null };
  /** Set when the run could not start (target unreachable, bad configuration). */
  readonly setupError?: string;
  /** --only / --skip, when given: ids or levels. */
  readonly selection?: { readonly only: readonly string[]; readonly skip: readonly string[] };
  /** --require-all: a MUST not judged is an error. */
  readonly requireAll?: boolean;
  /** What the target offers, in the ledger's `needs` terms (a free port, a network, …). */
  readonly offered?: readonly string[];
  /** The rate limit and deadline that applied, in words ("no rate limit (a loopback target…); deadline 1800 s (the default…)"). */
  readonly limits?: string;
}

/** Environment variable through which global setup hands RunInfo to the reporter (same process). */
export const RUN_INFO_ENV = 'OSI_RUN_INFO';

// TaskMeta lives in @vitest/runner (vitest re-exports it), so the augmentation goes there.
declare module '@vitest/runner' {
  interface TaskMeta {
    /** Requirement ids the test checks (static, set in the test options). */
    requirements?: string[];
    /** Judgements recorded while the test ran. */
    outcomes?: RequirementOutcome[];
  }
}
