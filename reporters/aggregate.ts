/**
 * From what the tests recorded to the conformance report: per-requirement statuses and the verdict.
 * Pure: no vitest, no file system, so every rule below is unit-tested on plain data.
 *
 * Status of a requirement, over all outcomes recorded for it by any test:
 *   fail if any outcome fails; else error if any errors; else pass if any passes; else
 *   not-exercisable if any is; else not-run. A test that failed (or was skipped because a hook
 *   around it failed) without recording an outcome for a requirement it declared counts as an
 *   `error` outcome for that requirement, carrying the test's error message: a crash must never
 *   look like a pass, nor like "not run".
 *
 * Verdict:
 *   nonconformant  some MUST requirement fails (a definite finding stands even if other parts of
 *                  the run broke);
 *   error          no MUST fails, but the run could not judge: RunInfo missing or carrying a
 *                  setupError, unhandled errors, a test file that could not load, the run was
 *                  interrupted, shards disagree about the run, a MUST errored or was not run, or no
 *                  MUST passed at all (a target on which nothing could be exercised proves nothing);
 *   conformant     otherwise. MUSTs that are not-exercisable are named in the reason.
 * SHOULD failures are warnings and MAY outcomes are observations: neither changes the verdict.
 */
import type { Interpretation, Level, Need, Requirement, RequirementId } from '../specs/ledger-types.ts';
import { lackedNeedsReason, unmetNeeds } from '../specs/needs.ts';
import type { ExchangeRecord, OutcomeStatus, RequirementOutcome, RunInfo, SequenceRecord } from '../contract/outcome-types.ts';
import { describeSelection, isEmptySelection, isSelected, NO_SELECTION } from '../contract/selection.ts';
import { EVIDENCE_PER_REQUIREMENT, mostDecisive, OUTCOME_PRECEDENCE } from '../contract/outcome-rules.ts';
import {
  REPORT_FORMAT_VERSION,
  type ConformanceReportBody,
  type ReportCounts,
  type ReportEvidence,
  type ReportMessage,
  type ReportSelection,
  type RequirementResult,
  type RequirementStatus,
  type StatusCounts,
  type TestRef,
  type TestState,
  type Verdict,
  type ReportSequence,
  type ReportSequenceExchange,
} from './report-types.ts';

/** What the reporter learnt about one test, with vitest's types already left behind. */
export interface CollectedTest {
  readonly file: string;
  readonly name: string;
  readonly state: TestState;
  /** `meta.requirements`: what the test says it checks. */
  readonly declared: readonly string[];
  /** `meta.outcomes`: what it judged. */
  readonly outcomes: readonly RequirementOutcome[];
  /** Why it did not finish: its own error, or the error of a failed hook that made it skip. */
  readonly crash: string | null;
  /** The note of `ctx.skip(note)`, when skipped on purpose. */
  readonly skipNote: string | null;
}

export interface CollectedRun {
  readonly mode: 'run' | 'merged';
  readonly testFiles: number;
  readonly tests: readonly CollectedTest[];
  /** Run-level reasons the run cannot be judged (module load errors, unhandled errors, interruption, RunInfo trouble). */
  readonly problems: readonly string[];
  readonly notes: readonly string[];
  readonly durationMs: number;
}

export interface AggregateLimits {
  readonly evidencePerRequirement: number;
  readonly messagesPerRequirement: number;
  /** Longest string kept in evidence and messages; longer ones are cut with a marker. */
  readonly maxTextLength: number;
}

export const DEFAULT_LIMITS: AggregateLimits = { evidencePerRequirement: EVIDENCE_PER_REQUIREMENT, messagesPerRequirement: 10, maxTextLength: 16_384 };

const UNKNOWN = '(unknown)';

export function buildReportBody(
  ledgerInput: { readonly requirements: readonly Requirement[]; readonly interpretations: readonly Interpretation[] },
  runInfo: RunInfo | null,
  run: CollectedRun,
  suite: { readonly name: string; readonly version: string },
  limits: AggregateLimits = DEFAULT_LIMITS,
): ConformanceReportBody {
  const ledger = ledgerInput.requirements;
  const cited = new Set(ledger.flatMap((r) => r.interpretations));
  const interpretations = ledgerInput.interpretations
    .filter((i) => cited.has(i.id))
    .map(({ id, topic, clause, decision, reason }) => ({ id, topic, clause, decision, reason }));
  const known = new Set(ledger.map((r) => r.id));
  // Which rate limit and deadline applied (issue 11): a reader of a slow run's report asks first.
  const notes = [...(runInfo?.limits ? [`limits: ${runInfo.limits}`] : []), ...run.notes, ...unknownRequirementNotes(run.tests, known)];
  const chosen = runInfo?.selection ?? NO_SELECTION;
  const requireAll = runInfo?.requireAll === true;
  const offered = runInfo?.offered;
  const judged = ledger
    .filter((r) => isSelected(r, chosen))
    .map((requirement) => {
      const result = judgeRequirement(requirement, run.tests, limits);
      return offered === undefined ? result : lackedNeeds(result, requirement, offered);
    });
  const requirements = requireAll ? judged.map(requireJudged) : judged;
  const problems = [...run.problems];
  if (runInfo?.setupError) problems.unshift(`setup error: ${runInfo.setupError}`);
  const selection: ReportSelection | null =
    isEmptySelection(chosen) && !requireAll
      ? null
      : { only: [...chosen.only], skip: [...chosen.skip], selected: requirements.length, total: ledger.length, requireAll };
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    kind: 'conformance-report',
    suite: { name: suite.name, version: suite.version },
    document: runInfo ? { name: runInfo.document.name, sha256: runInfo.document.sha256 } : { name: UNKNOWN, sha256: null },
    target: runInfo ? { url: runInfo.target, kind: runInfo.targetKind } : { url: UNKNOWN, kind: UNKNOWN },
    microversion: runInfo?.microversion ?? UNKNOWN,
    seed: runInfo?.seed ?? null,
    runs: runInfo?.runs ?? null,
    startedAt: runInfo?.startedAt ?? null,
    durationMs: Math.max(0, Math.round(run.durationMs)),
    source: { mode: run.mode, testFiles: run.testFiles, tests: run.tests.length },
    verdict: decideVerdict(requirements, problems, selection),
    ...(selection === null ? {} : { selection }),
    counts: countStatuses(requirements),
    notes,
    requirements,
    interpretations,
  };
}

interface AttributedOutcome {
  readonly outcome: RequirementOutcome;
  readonly test: CollectedTest;
  /** True when made up by the reporter for a test that crashed before judging. */
  readonly synthetic: boolean;
}

function outcomesFor(requirementId: RequirementId, tests: readonly CollectedTest[]): AttributedOutcome[] {
  const found: AttributedOutcome[] = [];
  for (const test of tests) {
    const own = test.outcomes.filter((o) => o.requirement === requirementId);
    for (const outcome of own) found.push({ outcome, test, synthetic: false });
    if (own.length === 0 && test.crash !== null && test.declared.includes(requirementId)) {
      found.push({
        test,
        synthetic: true,
        outcome: {
          requirement: requirementId,
          status: 'error',
          check: 'test-runner',
          evidence: [],
          message: `The test crashed before judging this requirement: ${test.crash}`,
        },
      });
    }
  }
  return found;
}

/**
 * Where an outcome is listed among a requirement's messages and evidence: by status, except that an
 * outcome which exempted an answer of a layer in front of Nova comes right after failures and
 * errors, so the report shows which layer answered and why instead of losing it behind the passes.
 */
function listingRank(outcome: RequirementOutcome): number {
  const rank = OUTCOME_PRECEDENCE.indexOf(outcome.status);
  return outcome.exemptedLayer !== undefined && rank > OUTCOME_PRECEDENCE.indexOf('error') ? OUTCOME_PRECEDENCE.indexOf('error') + 0.5 : rank;
}

/**
 * A requirement nothing judged because the target lacks what it needs (the ledger's `needs`:
 * a free port, a network, …) is not-exercisable, saying what to give: every requirement ends with
 * a status whatever the target was given. One whose needs were all met and still was not run
 * stays not-run: that is a gap of the suite, and the verdict says so.
 */
function lackedNeeds(result: RequirementResult, requirement: Requirement, offered: readonly string[]): RequirementResult {
  if (result.status !== 'not-run') return result;
  const unmet = unmetNeeds(requirement.needs, offered as readonly Need[]);
  if (unmet.length === 0) return result;
  const message: ReportMessage = { status: 'not-exercisable', check: null, test: '(run)', text: lackedNeedsReason(unmet) };
  return { ...result, status: 'not-exercisable', messages: [message, ...result.messages] };
}

/**
 * --require-all: a MUST the target could not exercise is an error (certification asks for every
 * one), with the reason it could not be exercised kept in front.
 */
function requireJudged(result: RequirementResult): RequirementResult {
  if (result.level !== 'MUST' || result.status !== 'not-exercisable') return result;
  const why = result.messages[0]?.text ?? 'the target lacks what the scenario needs';
  const message: ReportMessage = { status: 'error', check: null, test: '(run)', text: `--require-all: this MUST was not judged: ${why}` };
  return { ...result, status: 'error', messages: [message, ...result.messages] };
}

export function statusOf(outcomes: readonly { readonly status: OutcomeStatus }[]): RequirementStatus {
  return mostDecisive(outcomes, (o) => o.status)?.status ?? 'not-run';
}

function judgeRequirement(requirement: Requirement, tests: readonly CollectedTest[], limits: AggregateLimits): RequirementResult {
  const attributed = outcomesFor(requirement.id, tests).sort(
    (a, b) => listingRank(a.outcome) - listingRank(b.outcome) || compareText(a.test.file, b.test.file) || compareText(a.test.name, b.test.name),
  );
  const involved = tests.filter((t) => t.declared.includes(requirement.id) || t.outcomes.some((o) => o.requirement === requirement.id));
  const messages = [...attributed.map((a) => messageOf(a, limits)), ...silentTestNotes(requirement.id, involved, limits)];
  const uniqueMessages = dedupeMessages(messages);
  const evidence = attributed.flatMap((a) => a.outcome.evidence.map((e) => evidenceOf(e, a.outcome, limits)));
  const outcomeCounts = { pass: 0, fail: 0, error: 0, 'not-exercisable': 0 };
  for (const a of attributed) outcomeCounts[a.outcome.status] += 1;
  return {
    id: requirement.id,
    level: requirement.level,
    title: requirement.title,
    clause: requirement.clause,
    interpretations: [...requirement.interpretations],
    ...(requirement.section ? { section: requirement.section } : {}),
    status: statusOf(attributed.map((a) => a.outcome)),
    outcomeCounts,
    tests: involved.map(testRef).sort((a, b) => compareText(a.file, b.file) || compareText(a.name, b.name)),
    messages: uniqueMessages.slice(0, limits.messagesPerRequirement),
    messagesOmitted: Math.max(0, uniqueMessages.length - limits.messagesPerRequirement),
    evidence: evidence.slice(0, limits.evidencePerRequirement),
    evidenceOmitted: Math.max(0, evidence.length - limits.evidencePerRequirement),
  };
}

/** Tests that declared the requirement yet recorded nothing for it and did not crash: say so, it is a harness gap. */
function silentTestNotes(requirementId: string, involved: readonly CollectedTest[], limits: AggregateLimits): ReportMessage[] {
  return involved
    .filter((t) => t.crash === null && !t.outcomes.some((o) => o.requirement === requirementId))
    .map((t) => ({
      status: 'not-run' as const,
      check: null,
      test: t.name,
      text: clip(
        t.state === 'skipped' ? `Skipped${t.skipNote ? `: ${t.skipNote}` : ''}.` : `The test ${t.state} without recording an outcome for ${requirementId}.`,
        limits.maxTextLength,
      ),
    }));
}

function messageOf({ outcome, test }: AttributedOutcome, limits: AggregateLimits): ReportMessage {
  const message: ReportMessage = {
    status: outcome.status,
    check: outcome.check,
    test: test.name,
    text: clip(outcome.message, limits.maxTextLength),
  };
  const sequence = outcome.sequence ? { sequence: sequenceOf(outcome.sequence, limits) } : {};
  if (outcome.replay === undefined) return { ...message, ...sequence };
  const replay = outcome.replay.path === undefined ? { seed: outcome.replay.seed } : { seed: outcome.replay.seed, path: outcome.replay.path };
  return { ...message, replay, ...sequence };
}

/** A failing sequence for the report: each request and its answer, without headers (the curl lines have them). */
function sequenceOf(record: SequenceRecord, limits: AggregateLimits): ReportSequence {
  const cut = (s: string): string => clip(s, limits.maxTextLength);
  const steps = record.steps.map((step) => ({
    n: step.n,
    title: cut(step.title),
    outcome: cut(step.outcome),
    exchanges: step.exchanges.map(
      (e, index): ReportSequenceExchange => ({
        method: e.request.method,
        url: cut(e.request.url),
        ...(e.request.body !== undefined ? { requestBody: cut(e.request.body) } : {}),
        ...(e.response ? { status: e.response.status, responseBody: cut(e.response.body) } : {}),
        ...(e.transportError !== undefined ? { transportError: cut(e.transportError) } : {}),
        curl: cut(e.curl),
        together: step.together.includes(index),
      }),
    ),
  }));
  return { seed: record.seed, ...(record.path !== undefined ? { path: record.path } : {}), steps, script: cut(record.script) };
}

function dedupeMessages(messages: readonly ReportMessage[]): ReportMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const key = `${m.status}\u0000${m.check ?? ''}\u0000${m.text}\u0000${m.replay?.seed ?? ''}\u0000${m.replay?.path ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function evidenceOf(exchange: ExchangeRecord, outcome: RequirementOutcome, limits: AggregateLimits): ReportEvidence {
  const cut = (s: string): string => clip(s, limits.maxTextLength);
  const request = {
    method: exchange.request.method,
    url: cut(exchange.request.url),
    headers: clipHeaders(exchange.request.headers, cut),
    ...(exchange.request.body === undefined ? {} : { body: cut(exchange.request.body) }),
  };
  return {
    status: outcome.status,
    check: outcome.check,
    request,
    ...(exchange.response === undefined
      ? {}
      : {
          response: { status: exchange.response.status, headers: clipHeaders(exchange.response.headers, cut), body: cut(exchange.response.body) },
        }),
    ...(exchange.transportError === undefined ? {} : { transportError: cut(exchange.transportError) }),
    durationMs: Math.max(0, Math.round(exchange.durationMs)),
    curl: cut(exchange.curl),
  };
}

function clipHeaders(headers: Readonly<Record<string, string>>, cut: (s: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = cut(String(value));
  return out;
}

/** Cuts long text; a target's body can be megabytes and the report must stay readable. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters cut]`;
}

function testRef(test: CollectedTest): TestRef {
  return { file: test.file, name: test.name, state: test.state };
}

function unknownRequirementNotes(tests: readonly CollectedTest[], known: ReadonlySet<string>): string[] {
  const notes = new Set<string>();
  for (const test of tests) {
    const ids = [...test.declared, ...test.outcomes.map((o) => o.requirement)];
    for (const id of ids) if (!known.has(id)) notes.add(`${test.file} > ${test.name}: requirement ${id} is not in the ledger`);
  }
  return [...notes].sort(compareText);
}

function emptyCounts(): { -readonly [S in keyof StatusCounts]: number } {
  return { fail: 0, error: 0, 'not-run': 0, 'not-exercisable': 0, pass: 0, total: 0 };
}

export function countStatuses(requirements: readonly { readonly level: Level; readonly status: RequirementStatus }[]): ReportCounts {
  const counts = { MUST: emptyCounts(), SHOULD: emptyCounts(), MAY: emptyCounts(), all: emptyCounts() };
  for (const { level, status } of requirements) {
    for (const bucket of [counts[level], counts.all]) {
      bucket[status] += 1;
      bucket.total += 1;
    }
  }
  return counts;
}

function idList(ids: readonly string[]): string {
  return ids.length <= 8 ? ids.join(', ') : `${ids.slice(0, 8).join(', ')} and ${ids.length - 8} more`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** MUSTs judged (pass or fail) of all MUSTs in the report. */
export function coverageOf(requirements: readonly { readonly level: Level; readonly status: RequirementStatus }[]): { judged: number; total: number } {
  const musts = requirements.filter((r) => r.level === 'MUST');
  return { judged: musts.filter((r) => r.status === 'pass' || r.status === 'fail').length, total: musts.length };
}

export function decideVerdict(requirements: readonly RequirementResult[], problems: readonly string[], selection: ReportSelection | null = null): Verdict {
  const ids = (level: Level, status: RequirementStatus): string[] => requirements.filter((r) => r.level === level && r.status === status).map((r) => r.id);
  const coverage = coverageOf(requirements);
  const selected = selection !== null && !isEmptySelection(selection) ? `; selected: ${describeSelection(selection, selection.selected, selection.total)}` : '';
  const warnings = ids('SHOULD', 'fail');
  const warningText = `${warnings.length > 0 ? `; ${plural(warnings.length, 'SHOULD warning', 'SHOULD warnings')} (${idList(warnings)})` : ''}${selected}`;

  const mustFailed = ids('MUST', 'fail');
  if (mustFailed.length > 0) {
    const broken = problems.length > 0 ? `; the run also had problems: ${problems.join('; ')}` : '';
    return {
      value: 'nonconformant',
      reason: `${plural(mustFailed.length, 'MUST requirement fails', 'MUST requirements fail')}: ${idList(mustFailed)}${broken}${warningText}`,
      coverage,
      warnings,
      problems,
    };
  }

  const couldNotJudge = [...problems];
  const mustErrored = ids('MUST', 'error');
  const mustNotRun = ids('MUST', 'not-run');
  if (mustErrored.length > 0)
    couldNotJudge.push(`${plural(mustErrored.length, 'MUST requirement', 'MUST requirements')} could not be judged (error): ${idList(mustErrored)}`);
  if (mustNotRun.length > 0)
    couldNotJudge.push(`${plural(mustNotRun.length, 'MUST requirement was', 'MUST requirements were')} not run: ${idList(mustNotRun)}`);
  const mustPassed = ids('MUST', 'pass');
  const mustTotal = requirements.filter((r) => r.level === 'MUST').length;
  if (mustTotal > 0 && mustPassed.length === 0 && mustErrored.length === 0 && mustNotRun.length === 0) {
    couldNotJudge.push('no MUST requirement could be exercised on this target');
  }
  if (couldNotJudge.length > 0) {
    return { value: 'error', reason: `the run could not judge conformance: ${couldNotJudge.join('; ')}${warningText}`, coverage, warnings, problems };
  }

  const notExercisable = ids('MUST', 'not-exercisable');
  const exercisedText =
    notExercisable.length > 0
      ? `; ${plural(notExercisable.length, 'MUST requirement is', 'MUST requirements are')} not exercisable on this target: ${idList(notExercisable)}`
      : '';
  return {
    value: 'conformant',
    reason: `${coverage.judged} of ${plural(coverage.total, 'MUST requirement', 'MUST requirements')} judged, none fails${exercisedText}${warningText}`,
    coverage,
    warnings,
    problems,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
