/**
 * The shapes of the files this reporter writes. conformance.json (`kind: "conformance-report"`) is
 * one run against one target; matrix.json (`kind: "matrix"`) sets several such reports side by side.
 * Both are versioned by `formatVersion` and described by the JSON Schemas next to this file; any
 * change to a shape here must bump the version and the schema together (the tests validate every
 * written file against its schema, so a drift fails there first).
 */
import type { Level } from '../specs/ledger-types.ts';
import type { ExchangeRecord, OutcomeStatus } from '../contract/outcome-types.ts';

export const REPORT_FORMAT_VERSION = 1;
export const MATRIX_FORMAT_VERSION = 1;

/** An outcome status, or `not-run` when no test recorded any outcome for the requirement. */
export type RequirementStatus = OutcomeStatus | 'not-run';
export type VerdictValue = 'conformant' | 'nonconformant' | 'error';
export type TestState = 'passed' | 'failed' | 'skipped' | 'pending';

/** Every requirement status, in the order the reports list them (worst first). */
export const REQUIREMENT_STATUSES: readonly RequirementStatus[] = ['fail', 'error', 'not-run', 'not-exercisable', 'pass'];
export const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'MAY'];

export type StatusCounts = { [S in RequirementStatus]: number } & { total: number };

export interface TestRef {
  /** Test file relative to the vitest root, with forward slashes. */
  readonly file: string;
  /** Full test name, suites joined with " > ". */
  readonly name: string;
  readonly state: TestState;
}

export interface ReportMessage {
  /** The outcome's status; `not-run` for notes about tests that judged nothing. */
  readonly status: RequirementStatus;
  /** The check that judged, or null when the message comes from the test runner (a crash, a skip). */
  readonly check: string | null;
  readonly test: string;
  readonly text: string;
  readonly replay?: { readonly seed: number; readonly path?: string };
  /** A stateful property's shrunk failing sequence, step by step. */
  readonly sequence?: ReportSequence;
}

/** One request of a sequence step and its answer, as the report shows it (headers left out). */
export interface ReportSequenceExchange {
  readonly method: string;
  readonly url: string;
  readonly requestBody?: string;
  /** Absent when no answer came. */
  readonly status?: number;
  readonly responseBody?: string;
  readonly transportError?: string;
  readonly curl: string;
  /** Sent together with the step's other such requests (a concurrent group). */
  readonly together: boolean;
}

export interface ReportSequenceStep {
  readonly n: number;
  readonly title: string;
  readonly outcome: string;
  readonly exchanges: readonly ReportSequenceExchange[];
}

/** A shrunk failing sequence: `--seed` replays it; `script` holds its curl lines. */
export interface ReportSequence {
  readonly seed: number;
  readonly path?: string;
  readonly steps: readonly ReportSequenceStep[];
  readonly script: string;
}

/** One exchange kept as evidence, with the outcome it belongs to. */
export interface ReportEvidence extends ExchangeRecord {
  /** Status of the outcome this exchange belongs to. */
  readonly status: OutcomeStatus;
  readonly check: string;
}

export interface RequirementResult {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  readonly clause: string;
  readonly interpretations: readonly string[];
  /** Listed in its own matrix section (generated sequences) rather than with the single requests. */
  readonly section?: 'stateful';
  readonly status: RequirementStatus;
  /** How many recorded outcomes (including synthetic ones for crashed tests) had each status. */
  readonly outcomeCounts: { readonly [S in OutcomeStatus]: number };
  readonly tests: readonly TestRef[];
  readonly messages: readonly ReportMessage[];
  /** Messages left out to keep the report readable (beyond the cap). */
  readonly messagesOmitted: number;
  readonly evidence: readonly ReportEvidence[];
  readonly evidenceOmitted: number;
}

/** An interpretation of the document that requirements in the report rest on (from the ledger). */
export interface InterpretationSummary {
  readonly id: string;
  readonly topic: string;
  readonly clause: string;
  readonly decision: string;
  readonly reason: string;
}

/** How many MUST requirements of the run were judged (pass or fail), of how many selected. */
export interface Coverage {
  readonly judged: number;
  readonly total: number;
}

/** What a run was asked to judge: --only, --skip (ids or levels) and --require-all. */
export interface ReportSelection {
  readonly only: readonly string[];
  readonly skip: readonly string[];
  /** Requirements in the report (the ledger's, after --only and --skip). */
  readonly selected: number;
  /** Requirements in the ledger. */
  readonly total: number;
  readonly requireAll: boolean;
}

export interface Verdict {
  readonly value: VerdictValue;
  /** MUSTs judged: shown with the verdict, so "conformant" never hides what could not be exercised. */
  readonly coverage?: Coverage;
  /** One sentence saying why, naming the requirements or problems that decided it. */
  readonly reason: string;
  /** Ids of failed SHOULD requirements: reported, never decisive. */
  readonly warnings: readonly string[];
  /** Why the run could not judge, when it could not (each one alone makes the verdict `error` unless a MUST failed). */
  readonly problems: readonly string[];
}

export interface ReportCounts {
  readonly MUST: StatusCounts;
  readonly SHOULD: StatusCounts;
  readonly MAY: StatusCounts;
  readonly all: StatusCounts;
}

/** The report without its digest: what the digest is computed over. */
export interface ConformanceReportBody {
  readonly formatVersion: typeof REPORT_FORMAT_VERSION;
  readonly kind: 'conformance-report';
  readonly suite: { readonly name: string; readonly version: string };
  readonly document: { readonly name: string; readonly sha256: string | null };
  readonly target: { readonly url: string; readonly kind: string };
  readonly microversion: string;
  readonly seed: number | null;
  readonly runs: number | null;
  readonly startedAt: string | null;
  /** Wall time of the run; under --merge-reports the sum of the test files' durations (wall time is unknown there). */
  readonly durationMs: number;
  readonly source: {
    /** `run`: one vitest run; `merged`: rebuilt from blob reports of sharded runs. */
    readonly mode: 'run' | 'merged';
    readonly testFiles: number;
    readonly tests: number;
  };
  readonly verdict: Verdict;
  /** Present when the run judged only part of the ledger, or required every MUST to be judged. */
  readonly selection?: ReportSelection;
  readonly counts: ReportCounts;
  /** Things a maintainer of the suite should look at that do not affect the verdict. */
  readonly notes: readonly string[];
  readonly requirements: readonly RequirementResult[];
  /** Every reading of an unclear or self-contradictory clause the requirements rest on, with its reason. */
  readonly interpretations: readonly InterpretationSummary[];
}

export interface ConformanceReport extends ConformanceReportBody {
  /** SHA-256 (hex) of the canonical JSON of the report without this field and `signature`; see digest.ts. */
  readonly digest: string;
  /** Present when the run was signed (--sign-key); see sign.ts. */
  readonly signature?: ReportSignature;
}

/** What a signature certifies (sign.ts): the signature is over the canonical JSON of this object. */
export interface SignedStatement {
  readonly reportDigest: string;
  readonly documentSha256: string | null;
  /** SHA-256 of the canonical JSON of the ledger (specs/generated/ledger.json) the run judged by. */
  readonly ledgerSha256: string;
  readonly suiteVersion: string;
  readonly environment: {
    readonly target: string;
    readonly microversion: string;
    /** The target's microversion range from its version document; null when it was not read. */
    readonly microversionRange: { readonly min: string | null; readonly max: string | null } | null;
    readonly runs: number | null;
    readonly seed: number | null;
  };
  readonly signedAt: string;
}

export interface ReportSignature {
  readonly algorithm: 'ed25519';
  /** "SHA256:" and the base64 SHA-256 of the public key (DER, SPKI). Never the key itself. */
  readonly keyFingerprint: string;
  readonly signed: SignedStatement;
  /** Base64 Ed25519 signature of canonicalJson(signed). */
  readonly value: string;
}

/** The cell of one requirement in one column of a matrix. `absent`: that report has no such requirement. */
export interface MatrixCell {
  readonly status: RequirementStatus | 'absent';
  /** The first message of the report's entry, to explain a non-pass at a glance. */
  readonly message: string | null;
}

export interface MatrixColumn {
  /** Header a person reads: target and microversion (made unique when two columns would match). */
  readonly label: string;
  readonly target: { readonly url: string; readonly kind: string };
  readonly microversion: string;
  readonly seed: number | null;
  readonly runs: number | null;
  readonly startedAt: string | null;
  readonly suiteVersion: string;
  readonly document: { readonly name: string; readonly sha256: string | null };
  readonly verdict: { readonly value: VerdictValue; readonly reason: string };
  readonly counts: ReportCounts;
  /** Digest of the conformance.json the column was built from (verified before merging). */
  readonly reportDigest: string;
}

export interface MatrixRow {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  /** One cell per column, in column order. */
  readonly cells: readonly MatrixCell[];
}

export interface MatrixReportBody {
  readonly formatVersion: typeof MATRIX_FORMAT_VERSION;
  readonly kind: 'matrix';
  readonly suite: { readonly name: string; readonly version: string };
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
}

export interface MatrixReport extends MatrixReportBody {
  readonly digest: string;
}
