/**
 * Wording shared by every rendering (terminal, Markdown, HTML, JUnit), so a status reads the same
 * everywhere and an exchange is always shown in the same curl -v like layout.
 */
import type { Level } from '../specs/ledger-types.ts';
import type {
  ConformanceReport,
  ReportEvidence,
  ReportSequence,
  RequirementResult,
  RequirementStatus,
  SignedStatement,
  Verdict,
  VerdictValue,
} from './report-types.ts';

/** `observed`: a MAY that was exercised; MAYs are observed and reported, never judged. */
export type CellStatus = RequirementStatus | 'observed' | 'absent';

/** Emoji for Markdown, where colour is not available; each is distinct in shape too. */
export const STATUS_EMOJI: Readonly<Record<CellStatus, string>> = {
  pass: '✅',
  fail: '❌',
  error: '⛔',
  'not-exercisable': '➖',
  'not-run': '⬜',
  observed: '👁',
  absent: '·',
};

/** Plain glyphs for the terminal and the HTML pills (colour carries the rest there). */
export const STATUS_GLYPH: Readonly<Record<CellStatus, string>> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  'not-exercisable': '–',
  'not-run': '○',
  observed: '◦',
  absent: '·',
};

export const VERDICT_EMOJI: Readonly<Record<VerdictValue, string>> = { conformant: '✅', nonconformant: '❌', error: '⛔' };

/** What each status means, for legends and tooltips. */
export const STATUS_MEANING: Readonly<Record<CellStatus, string>> = {
  pass: 'the target did what the requirement asks',
  fail: 'the target did something else (see the evidence)',
  error: 'the suite could not judge (a crash, a hang); never counted as a pass',
  'not-exercisable': 'the target lacks what the scenario needs',
  'not-run': 'no test recorded an outcome',
  observed: 'a MAY: what the target did is reported, never judged',
  absent: 'the requirement is not in this report',
};

/**
 * The status a person is shown: a MAY that was exercised reads "observed" whatever its check
 * said (the check only records what was seen); the JSON keeps the recorded status.
 */
export function shownStatus(requirement: Pick<RequirementResult, 'level' | 'status'>): CellStatus {
  return requirement.level === 'MAY' && (requirement.status === 'pass' || requirement.status === 'fail') ? 'observed' : requirement.status;
}

/** What was seen, or why it failed: the first line of the first message ("expected 400, got 200"). */
export function firstReason(requirement: Pick<RequirementResult, 'messages'>): string | null {
  const text = requirement.messages[0]?.text;
  return text === undefined ? null : (text.split('\n')[0] ?? '').trim() || null;
}

/**
 * What a MAY showed, from its evidence: "answered 415 to Content-Type text/plain". MAYs are never
 * judged, so the check's pass/fail count would say nothing; the answers are the observation.
 */
export function observation(requirement: Pick<RequirementResult, 'evidence' | 'messages'>): string | null {
  const seen = [
    ...new Set(
      requirement.evidence.map((e) => {
        const type = Object.entries(e.request.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
        const answer = e.response ? `answered ${e.response.status}` : 'no answer';
        return `${answer} to ${e.request.method}${type === undefined ? ' without Content-Type' : ` with Content-Type ${type}`}`;
      }),
    ),
  ];
  return seen.length > 0 ? seen.join('; ') : firstReason(requirement);
}

/** "conformant, 33 of 36 MUSTs judged": the verdict with its coverage, wherever the verdict is shown. */
export function verdictHeadline(verdict: Pick<Verdict, 'value' | 'coverage'>): string {
  return verdict.coverage ? `${verdict.value}, ${verdict.coverage.judged} of ${verdict.coverage.total} MUSTs judged` : verdict.value;
}

const FAILURE_ORDER: readonly RequirementStatus[] = ['fail', 'error', 'not-run', 'not-exercisable', 'pass'];

/** Failures first, then errors, not-run, not-exercisable and passes; ledger order within each. */
export function failuresFirst(requirements: readonly RequirementResult[]): RequirementResult[] {
  return requirements
    .map((r, index) => ({ r, index }))
    .sort((a, b) => FAILURE_ORDER.indexOf(a.r.status) - FAILURE_ORDER.indexOf(b.r.status) || a.index - b.index)
    .map(({ r }) => r);
}

/** Requirements that need a reader's attention, grouped the way every rendering lists them. */
export function sections(report: ConformanceReport): {
  readonly failures: RequirementResult[];
  readonly errors: RequirementResult[];
  readonly warnings: RequirementResult[];
  readonly observations: RequirementResult[];
} {
  const judged = (level: Level, status: RequirementStatus): RequirementResult[] => report.requirements.filter((r) => r.level === level && r.status === status);
  return {
    failures: judged('MUST', 'fail'),
    errors: report.requirements.filter((r) => r.level !== 'MAY' && r.status === 'error'),
    warnings: judged('SHOULD', 'fail'),
    observations: report.requirements.filter((r) => r.level === 'MAY' && r.status !== 'not-run'),
  };
}

function headerLines(prefix: string, headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(([name, value]) => `${prefix}${name}: ${value}`);
}

/** One exchange as text: `> ` request lines, `< ` response lines, bodies as sent and received. */
export function exchangeText(evidence: ReportEvidence): string {
  const lines = [`> ${evidence.request.method} ${evidence.request.url}`, ...headerLines('> ', evidence.request.headers)];
  if (evidence.request.body !== undefined) lines.push('>', evidence.request.body);
  lines.push('');
  if (evidence.response) {
    lines.push(`< ${evidence.response.status} (${evidence.durationMs} ms)`, ...headerLines('< ', evidence.response.headers));
    if (evidence.response.body !== '') lines.push('<', evidence.response.body);
  } else {
    lines.push(`< no answer after ${evidence.durationMs} ms: ${evidence.transportError ?? 'unknown transport error'}`);
  }
  return lines.join('\n');
}

/** A short caption for one exchange: "POST …/os-interface → 400". */
export function exchangeCaption(evidence: ReportEvidence): string {
  const answer = evidence.response ? String(evidence.response.status) : 'no answer';
  return `${evidence.request.method} ${evidence.request.url} → ${answer}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** "seed 42 · 100 runs" or "unknown" parts, for headers. */
/** The signed environment in one phrase (the verify line and the rendered reports). */
export function describeSignedEnvironment(signed: SignedStatement): string {
  const { target, microversion, microversionRange, runs, seed } = signed.environment;
  const range = microversionRange ? `${microversionRange.min ?? '?'}–${microversionRange.max ?? '?'}` : 'unknown';
  return `target ${target}, microversion ${microversion} (target's range ${range}), ${runs ?? 'unknown'} runs, seed ${seed ?? 'unknown'}`;
}

/**
 * Who signed a report and what, as label/text pairs (plain text; each renderer escapes), or an
 * empty list for an unsigned report. Shown in the Markdown and HTML headers.
 */
export function signatureFacts(report: Pick<ConformanceReport, 'signature'>): Array<readonly [string, string]> {
  const signature = report.signature;
  if (!signature) return [];
  const { signed } = signature;
  return [
    ['Signed by', `Ed25519 key ${signature.keyFingerprint}, at ${signed.signedAt}`],
    [
      'Signature covers',
      `report digest ${signed.reportDigest}; document sha256 ${signed.documentSha256 ?? 'unknown'}; ledger sha256 ${signed.ledgerSha256}; suite ${signed.suiteVersion}; ${describeSignedEnvironment(signed)}`,
    ],
    ['Check it with', 'npm run conformance -- verify --public-key SIGNER.pub.pem conformance.json'],
  ];
}

export function runFacts(report: Pick<ConformanceReport, 'seed' | 'runs'>): string {
  return `seed ${report.seed ?? 'unknown'} · ${report.runs ?? 'unknown'} runs`;
}

/** Removes the characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
export function stripForbiddenXmlChars(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Escapes text for HTML and XML content and attribute values (both quote styles). */
export function escapeMarkup(text: string): string {
  return stripForbiddenXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Title of the matrix section that lists the requirements judged on generated sequences. */
export const STATEFUL_SECTION_TITLE = 'Stateful sequences (generated attaches and detaches, some sent together)';

/** The requirements of one request each, then those of generated sequences (their own matrix section). */
export function matrixSections(requirements: readonly RequirementResult[]): { readonly single: RequirementResult[]; readonly stateful: RequirementResult[] } {
  return { single: requirements.filter((r) => r.section !== 'stateful'), stateful: requirements.filter((r) => r.section === 'stateful') };
}

/** The heading line of a failing sequence: its length and how to replay it. */
export function sequenceCaption(sequence: ReportSequence): string {
  const steps = `${sequence.steps.length} ${sequence.steps.length === 1 ? 'step' : 'steps'}`;
  return `Shrunk failing sequence, ${steps} (replay: --seed ${sequence.seed}${sequence.path ? `, path ${sequence.path}` : ''})`;
}

/** Longest body shown in a sequence's steps; conformance.json keeps them whole. */
const SEQUENCE_BODY_SHOWN = 400;

function shortBody(body: string): string {
  return body.length <= SEQUENCE_BODY_SHOWN
    ? body
    : `${body.slice(0, SEQUENCE_BODY_SHOWN)}… (${body.length - SEQUENCE_BODY_SHOWN} more characters in conformance.json)`;
}

/** A failing sequence as numbered steps, each request and its answer (long bodies cut). */
export function sequenceText(sequence: ReportSequence): string {
  const lines: string[] = [];
  for (const step of sequence.steps) {
    lines.push(`${step.n}. ${step.title}${step.outcome ? ` — ${step.outcome}` : ''}`);
    for (const e of step.exchanges) {
      lines.push(`   > ${e.method} ${e.url}${e.together ? '   (sent together)' : ''}`);
      if (e.requestBody !== undefined) lines.push(`   > ${shortBody(e.requestBody)}`);
      lines.push(
        e.status !== undefined
          ? `   < ${e.status}${e.responseBody ? ` ${shortBody(e.responseBody)}` : ''}`
          : `   < no answer: ${e.transportError ?? 'unknown transport error'}`,
      );
    }
  }
  return lines.join('\n');
}
