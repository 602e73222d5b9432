/**
 * Recording judgements. A conformance test is a scenario: it sends requests through a `Scenario`,
 * which logs every exchange, judges requirements by running the checks the ledger names for them,
 * and at the end runs the cross-cutting requirements (no server error, documented codes, the shape
 * of every 200, fault bodies, headers) over everything the test sent. The outcomes go into the
 * test's meta for the matrix reporter; a failed MUST fails the vitest test too.
 */
import { test, type TestContext } from 'vitest';
import type { ExchangeFilter, Need, Requirement, RequirementId } from '../../specs/ledger-types.ts';
import { lackedNeedsReason, unmetNeeds } from '../../specs/needs.ts';
import { compareMicroversions, ledger, requirementById } from '../../specs/index.ts';
import { judgeRequirement, type AskedFor, type Observation, type Verdict } from '../checks/registry.ts';
import { recordScenario } from './har-recorder.ts';
import type { Exchange } from './http.ts';
import { noteJudged } from './progress.ts';
import type { ExchangeRecord, OutcomeStatus, RequirementOutcome, SequenceRecord } from '../../contract/outcome-types.ts';
import { isEmptySelection, isSelected, selectionFromEnv } from '../../contract/selection.ts';
import { decisiveStatus, EVIDENCE_PER_REQUIREMENT, mostDecisive } from '../../contract/outcome-rules.ts';
import { offeredNeeds } from './needs.ts';
import type { ExchangeKind, TargetSession } from './session.ts';

export interface LoggedExchange {
  readonly kind: ExchangeKind;
  readonly exchange: Exchange;
  /** Microversion the request asked for ("2.1" when it sent none). */
  readonly microversion: string;
  readonly asked?: AskedFor;
}

/** Evidence kept per requirement and test (the report keeps as many per requirement). */
const EVIDENCE_PER_OUTCOME = EVIDENCE_PER_REQUIREMENT;

interface Tally {
  pass: number;
  fail: number;
  /** Failures seen while a property explored and shrank: counted; only the first one's evidence kept. */
  exploringFail: number;
  /** Evidence of the first failure while exploring, used when the final replay shows no failure (a SHOULD, which does not stop a property, or a flaky target). */
  firstExploringFailure?: { check: string; message: string; evidence: ExchangeRecord[] };
  notExercisable: number;
  /** Answers given by a layer in front of Nova (not Nova's): not judged, said in the outcome with one as evidence. */
  exempt: number;
  firstExemption?: { check: string; message: string; layer: string };
  error: number;
  firstFailure?: { check: string; message: string };
  firstOther?: { check: string; message: string };
  evidence: ExchangeRecord[];
  replay?: { seed: number; path?: string };
  sequence?: SequenceRecord;
}

/** The cross-cutting requirements: the ledger marks them with the exchanges they are judged on. */
const CROSS_CUTTING: ReadonlyArray<Requirement & { readonly judgedOnEvery: ExchangeFilter }> = ledger.requirements.filter(
  (r): r is Requirement & { readonly judgedOnEvery: ExchangeFilter } => r.judgedOnEvery !== undefined,
);

/** The judgements recorded so far, to undo a speculative pass (see property.ts). */
export interface ScenarioCheckpoint {
  readonly tallies: ReadonlyMap<RequirementId, object>;
}

export class Scenario {
  readonly log: LoggedExchange[] = [];
  private readonly tallies = new Map<RequirementId, Tally>();
  /** The requirements each exchange was judged for (its tags in exchanges.har). */
  private readonly judgedFor = new Map<Exchange, Set<RequirementId>>();
  private quiet = false;

  constructor(readonly session: TargetSession) {}

  /** The microversion a request with these options asks for, as the server will read it. */
  effectiveMicroversion(microversion: string | null | undefined): string {
    const asked = microversion === undefined ? this.session.target.microversion : microversion;
    return asked ?? '2.1';
  }

  /** Sends a create (POST to the collection) and logs it. */
  async create(body: unknown, options: Parameters<TargetSession['create']>[1] & { readonly asked?: AskedFor } = {}): Promise<Exchange> {
    const exchange = await this.session.create(body, options);
    this.log.push({
      kind: 'create',
      exchange,
      microversion: this.effectiveMicroversion(options.microversion),
      ...(options.asked ? { asked: options.asked } : {}),
    });
    if (exchange.answer?.status === 200) this.rememberAttached(exchange, options.asked);
    return exchange;
  }

  /** Sends another method to the collection URL and logs it. */
  async otherMethod(method: string, body: string | undefined): Promise<Exchange> {
    const exchange = await this.session.send({
      method,
      url: this.session.collectionUrl(),
      headers: this.session.headers({}, body !== undefined),
      ...(body !== undefined ? { body } : {}),
    });
    this.log.push({ kind: 'collection-other-method', exchange, microversion: this.effectiveMicroversion(undefined) });
    return exchange;
  }

  /**
   * A 200 means something may be attached: remember it for this file's cleanup whatever the body
   * says. The ledger gets only what the steps accept as a real attach (session.noteAttached).
   */
  private rememberAttached(exchange: Exchange, asked: AskedFor | undefined): void {
    const json = exchange.answer?.json as { interfaceAttachment?: { port_id?: unknown }; port_id?: unknown } | undefined;
    const portId = json?.interfaceAttachment?.port_id ?? json?.port_id;
    if (typeof portId === 'string') this.session.track(portId);
    if (asked?.portId) this.session.track(asked.portId);
  }

  // ---- judging ------------------------------------------------------------------------------

  /** Runs every check the ledger names for the requirement on one observation; records and returns the combined verdict. */
  judge(requirementId: RequirementId, observation: Observation, evidence: readonly Exchange[] = []): Verdict {
    const requirement = requirementById(requirementId);
    const verdicts = judgeRequirement(requirement, observation);
    const chosen = mostDecisive(verdicts, (v) => v.verdict.status);
    if (!chosen) throw new Error(`${requirementId} names no checks`);
    this.note(requirement, chosen.check, chosen.verdict, evidence);
    return chosen.verdict;
  }

  /**
   * Judges a requirement on the answer to one logged exchange (`around`: what the create's checks
   * also need). No answer at all is an "error" (the suite could not judge), not a failure.
   */
  judgeAnswer(
    requirementId: RequirementId,
    logged: LoggedExchange,
    around: { readonly before?: readonly string[] | null; readonly networksVisible?: readonly string[] } = {},
  ): Verdict {
    const { answer } = logged.exchange;
    if (!answer) return this.noAnswer(requirementId, logged);
    return this.judge(
      requirementId,
      { kind: 'answer', answer, microversion: logged.microversion, ...(logged.asked ? { asked: logged.asked } : {}), ...around },
      [logged.exchange],
    );
  }

  /** Judges a requirement on a request that must be refused, with the server's interfaces before and after it. */
  judgeRefusal(requirementId: RequirementId, logged: LoggedExchange, before: readonly string[] | null, after: readonly string[] | null): Verdict {
    const { answer } = logged.exchange;
    if (!answer) return this.noAnswer(requirementId, logged);
    return this.judge(
      requirementId,
      { kind: 'refusal', answer, microversion: logged.microversion, ...(logged.asked ? { asked: logged.asked } : {}), before, after },
      [logged.exchange],
    );
  }

  private noAnswer(requirementId: RequirementId, logged: LoggedExchange): Verdict {
    const verdict: Verdict = { status: 'error', message: logged.exchange.record.transportError ?? 'no answer' };
    this.note(requirementById(requirementId), 'transport', verdict, [logged.exchange]);
    return verdict;
  }

  /**
   * The requirements of `ids` the target can exercise. Each other one is marked not exercisable
   * with what to give the suite (specs/needs.ts): this is where "not exercisable for lack of a
   * resource" is decided. `needs` replaces the ledger's needs when this scenario needs more than
   * the requirement in general (e.g. unknown keys are sent next to a port_id).
   */
  exercisable(ids: readonly RequirementId[], needs?: readonly Need[]): RequirementId[] {
    const offered = offeredNeeds(this.session.target);
    return ids.filter((id) => {
      const unmet = unmetNeeds(needs ?? requirementById(id).needs, offered);
      if (unmet.length > 0) this.notExercisable(id, lackedNeedsReason(unmet));
      return unmet.length === 0;
    });
  }

  /** Whether every one of `ids` can be exercised (those that cannot are marked, see exercisable). */
  canExercise(ids: readonly RequirementId[], needs?: readonly Need[]): boolean {
    return this.exercisable(ids, needs).length === ids.length;
  }

  /** Marks a requirement as not exercisable here, with the reason. */
  notExercisable(requirementId: RequirementId, reason: string): void {
    this.note(requirementById(requirementId), 'precondition', { status: 'not-exercisable', message: reason }, []);
  }

  /** Records that an observation the requirement needs is missing (no answer): error, never fail. */
  unobserved(requirementId: RequirementId, reason: string): void {
    this.note(requirementById(requirementId), 'transport', { status: 'error', message: reason }, []);
  }

  /** While a property explores and shrinks, failures are counted but their evidence is not kept. */
  startQuietPhase(): void {
    this.quiet = true;
  }

  endQuietPhase(): void {
    this.quiet = false;
  }

  /**
   * The tallies as they are now. Independent cases may run concurrently (--concurrency); if any of
   * them fails, their judgements are rolled back and the property runs again one case at a time,
   * so that a failure is judged exactly as in a sequential run. The log keeps every exchange: each
   * was really sent, and the cross-cutting checks judge each answer on its own.
   */
  checkpoint(): ScenarioCheckpoint {
    return { tallies: structuredClone(this.tallies) };
  }

  rollback(checkpoint: ScenarioCheckpoint): void {
    this.tallies.clear();
    for (const [id, tally] of structuredClone(checkpoint.tallies) as Map<RequirementId, Tally>) this.tallies.set(id, tally);
  }

  /** Attaches the fast-check seed and path that replay a failing property to its requirement. */
  replay(requirementId: RequirementId, seed: number, path: string | undefined): void {
    const tally = this.tallies.get(requirementId);
    if (tally) tally.replay = path === undefined ? { seed } : { seed, path };
  }

  /** Attaches the shrunk failing sequence (a stateful property) to its requirement. */
  sequence(requirementId: RequirementId, record: SequenceRecord): void {
    const tally = this.tallies.get(requirementId);
    if (tally) tally.sequence = record;
  }

  private note(requirement: Requirement, check: string, verdict: Verdict, evidence: readonly Exchange[]): void {
    for (const exchange of evidence) {
      const ids = this.judgedFor.get(exchange) ?? new Set<RequirementId>();
      ids.add(requirement.id);
      this.judgedFor.set(exchange, ids);
    }
    let tally = this.tallies.get(requirement.id);
    if (!tally) {
      tally = { pass: 0, fail: 0, exploringFail: 0, notExercisable: 0, exempt: 0, error: 0, evidence: [] };
      this.tallies.set(requirement.id, tally);
    }
    const status: OutcomeStatus = verdict.status;
    const message = verdict.status === 'pass' ? '' : verdict.message;
    if (status === 'fail' && this.quiet) {
      tally.exploringFail += 1;
      tally.firstExploringFailure ??= { check, message, evidence: evidence.slice(0, EVIDENCE_PER_OUTCOME).map((e) => e.record) };
      return;
    }
    if (status === 'fail') {
      if (tally.fail === 0) tally.evidence = []; // failing evidence replaces passing evidence
      tally.fail += 1;
      tally.firstFailure ??= { check, message };
      if (tally.evidence.length < EVIDENCE_PER_OUTCOME)
        tally.evidence.push(...evidence.slice(0, EVIDENCE_PER_OUTCOME - tally.evidence.length).map((e) => e.record));
      return;
    }
    if (verdict.status === 'not-exercisable' && verdict.exemptedLayer !== undefined) {
      tally.exempt += 1;
      tally.firstExemption ??= { check, message: verdict.message, layer: verdict.exemptedLayer };
      // The exempted answer is kept as evidence, so the report shows which layer answered and why.
      if (tally.fail === 0 && tally.evidence.length < EVIDENCE_PER_OUTCOME && evidence[0]) tally.evidence.push(evidence[0].record);
      return;
    }
    if (status === 'pass') tally.pass += 1;
    else if (status === 'error') tally.error += 1;
    else tally.notExercisable += 1;
    if (status !== 'pass') tally.firstOther ??= { check, message };
    // One exchange shows how a passing requirement was exercised.
    if (tally.fail === 0 && tally.evidence.length === 0 && evidence[0] && status !== 'not-exercisable') tally.evidence.push(evidence[0].record);
  }

  // ---- finishing ------------------------------------------------------------------------------------

  /**
   * Judges the cross-cutting requirements over everything this test sent: each on every exchange
   * its ledger entry matches, once per exchange (an exchange its scenario already judged it on is
   * not judged again).
   */
  judgeCrossCutting(): void {
    for (const logged of this.log) {
      const { answer } = logged.exchange;
      if (!answer) continue; // transport errors are recorded by the scenario's own judgement
      const microversion = logged.microversion === 'latest' ? (this.session.target.maxMicroversion ?? '2.1') : logged.microversion;
      for (const requirement of CROSS_CUTTING) {
        if (!matches(requirement.judgedOnEvery, logged, answer.status) || !inMicroversionRange(microversion, requirement)) continue;
        if (this.judgedFor.get(logged.exchange)?.has(requirement.id)) continue;
        this.judgeAnswer(requirement.id, { ...logged, microversion });
      }
    }
  }

  /** The requirement ids an exchange of this test was judged for. */
  requirementsJudgedOn(exchange: Exchange): RequirementId[] {
    return [...(this.judgedFor.get(exchange) ?? [])];
  }

  outcomes(): RequirementOutcome[] {
    return [...this.tallies.entries()].map(([id, t]) => {
      const failures = t.fail + t.exploringFail;
      const status: OutcomeStatus = decisiveStatus({ fail: failures, error: t.error, pass: t.pass, 'not-exercisable': t.notExercisable }) ?? 'not-exercisable';
      const lead = t.firstFailure ?? t.firstExploringFailure ?? t.firstOther ?? t.firstExemption;
      const evidence = t.fail === 0 && t.firstExploringFailure ? t.firstExploringFailure.evidence : t.evidence;
      const exempt = t.exempt ? `, ${t.exempt} answered in front of Nova (exempt)` : '';
      const counts = `${t.pass} passed, ${failures} failed${t.error ? `, ${t.error} unanswered` : ''}${t.notExercisable ? `, ${t.notExercisable} not exercisable` : ''}${exempt}`;
      return {
        requirement: id,
        status,
        check: lead?.check ?? requirementById(id).checks[0]?.check ?? 'none',
        message: status === 'pass' ? (t.firstExemption ? `${counts}; ${t.firstExemption.message}` : counts) : `${lead?.message ?? ''} (${counts})`,
        evidence,
        ...(t.firstExemption ? { exemptedLayer: t.firstExemption.layer } : {}),
        ...(t.replay ? { replay: t.replay } : {}),
        ...(t.sequence && failures > 0 ? { sequence: t.sequence } : {}),
      };
    });
  }
}

/** Whether a logged exchange is one a cross-cutting requirement is judged on. */
function matches(filter: ExchangeFilter, logged: LoggedExchange, status: number): boolean {
  if (filter.exchange === 'create' && logged.kind !== 'create') return false;
  if (filter.answers === 'errors' && status < 400) return false;
  if (Array.isArray(filter.answers) && !filter.answers.includes(status)) return false;
  return filter.asked === undefined || Boolean(logged.asked?.[filter.asked]);
}

/**
 * Whether a requirement applies at a microversion. A malformed version (sent on purpose by the
 * microversion scenarios) is outside every bounded range.
 */
function inMicroversionRange(microversion: string, requirement: Requirement): boolean {
  const { min, max } = requirement.microversion ?? {};
  if (!min && !max) return true;
  try {
    return !(min && compareMicroversions(microversion, min) < 0) && !(max && compareMicroversions(microversion, max) > 0);
  } catch {
    return false;
  }
}

/** Failed MUST requirements, for the test's own failure message. */
function failedMusts(outcomes: readonly RequirementOutcome[]): RequirementOutcome[] {
  return outcomes.filter((o) => (o.status === 'fail' || o.status === 'error') && requirementById(o.requirement).level === 'MUST');
}

/**
 * Declares a conformance test: the requirement ids it exercises are static meta (the reporter knows
 * them even if the test crashes), the outcomes are recorded when it ends, and cleanup always runs.
 */
/**
 * Whether --only / --skip leave this test something to judge: one of its own requirements, or a
 * cross-cutting requirement (judged on what every test sends) that --only asked for. A test whose
 * own requirements were all skipped does not run just to feed the cross-cutting ones: the other
 * tests exercise them (test:openstack skips the stateful sequences, minutes on a real Nova, so).
 */
function testIsSelected(requirementIds: readonly RequirementId[]): boolean {
  const selection = selectionFromEnv(process.env);
  if (isEmptySelection(selection)) return true;
  if (requirementIds.some((id) => isSelected(requirementById(id), selection))) return true;
  return selection.only.length > 0 && CROSS_CUTTING.some((requirement) => isSelected(requirement, selection));
}

export function conformanceTest(
  title: string,
  requirementIds: readonly RequirementId[],
  body: (scenario: Scenario) => Promise<void>,
  getSession: () => TargetSession,
): void {
  if (!testIsSelected(requirementIds)) {
    test.skip(`${title} [${requirementIds.join(', ')}]`, { meta: { requirements: [...requirementIds] } }, () => undefined);
    return;
  }
  test(`${title} [${requirementIds.join(', ')}]`, { meta: { requirements: [...requirementIds] } }, async ({ task }: TestContext) => {
    const scenario = new Scenario(getSession());
    // Every exchange of the test goes to exchanges.har tagged with the test and what it was judged for.
    await recordScenario(
      task.fullTestName,
      scenario.session.target.seed,
      async () => {
        try {
          await body(scenario);
        } finally {
          const leftovers = await scenario.session.cleanup();
          scenario.judgeCrossCutting();
          task.meta.outcomes = scenario.outcomes();
          noteJudged([...requirementIds, ...task.meta.outcomes.map((o) => o.requirement)]);
          // biome-ignore lint/correctness/noUnsafeFinally: a port left attached fails the test even when its body threw; the outcomes are recorded above first.
          if (leftovers.length > 0) throw new Error(`could not detach port(s) the suite attached: ${leftovers.join(', ')}`);
        }
      },
      () => {
        const kindOf = new Map<Exchange, ExchangeKind>(scenario.log.map((logged) => [logged.exchange, logged.kind]));
        return { kindOf: (exchange) => kindOf.get(exchange) ?? 'support', requirementsOf: (exchange) => scenario.requirementsJudgedOn(exchange) };
      },
    );
    const failed = failedMusts(task.meta.outcomes ?? []);
    if (failed.length > 0) throw new Error(failed.map((o) => `${o.requirement}: ${o.message}`).join('\n'));
  });
}
