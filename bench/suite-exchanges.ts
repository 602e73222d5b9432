/**
 * The suite side of the exchange benchmark, built from the suite's own pieces without vitest:
 * TargetSession → Scenario → the validation generators (fast-check) → expectRefused → the
 * cross-cutting judgement → outcomes. The mix is the one validation.test.ts runs: every field
 * property, unknown keys, misplaced wrappers and bodies that are not JSON objects.
 *
 * One "exchange" is one generated negative case: a POST create (refused with 400) followed by the
 * interface-list GET that proves nothing got attached. Each scenario also sends one baseline list
 * read, and resourcesOf one port list read; those are counted as requests, not as exchanges, and
 * the raw side replays them too, so both sides send exactly the same request sequence.
 */
import type { RequirementId } from '../specs/ledger-types.ts';
import type fc from 'fast-check';
import { fieldProperties, notAnObjectCases, unknownKeyCases, wrapperCases, type InvalidCase } from '../generators/requests.ts';
import type { HttpRequest } from '../suites/harness/http.ts';
import type { RequirementOutcome } from '../contract/outcome-types.ts';
import { checkProperty } from '../suites/harness/property.ts';
import { Scenario } from '../suites/harness/scenario.ts';
import { TargetSession } from '../suites/harness/session.ts';
import { expectRefused, resourcesOf } from '../suites/harness/steps.ts';
import type { ResolvedTarget } from '../suites/harness/target.ts';

interface Family {
  readonly name: string;
  readonly requirements: readonly RequirementId[];
  readonly cases: fc.Arbitrary<InvalidCase>;
  readonly examples: readonly InvalidCase[];
}

export interface SuiteRunResult {
  /** Generated cases sent: one exchange each (create + list read). */
  readonly exchanges: number;
  /** Every request sent, in order, as the suite asked for it (before Content-Length). */
  readonly requests: readonly HttpRequest[];
  readonly elapsedMs: number;
  readonly outcomes: readonly RequirementOutcome[];
}

function familiesOf(session: TargetSession, resources: Awaited<ReturnType<typeof resourcesOf>>): Family[] {
  const microversion = session.resolvedMicroversion;
  const seed = session.target.seed;
  const families: Family[] = fieldProperties(microversion, resources).map((p) => ({
    name: p.path,
    requirements: p.requirements,
    cases: p.cases,
    examples: p.firstCases(seed),
  }));
  const unknownKeys = unknownKeyCases(microversion, resources);
  if (unknownKeys) families.push({ name: 'unknown keys', requirements: ['CI-035'], cases: unknownKeys, examples: [] });
  const wrappers = wrapperCases(microversion, resources);
  if (wrappers) families.push({ name: 'wrapper', requirements: ['CI-045'], cases: wrappers, examples: [] });
  families.push({ name: 'not an object', requirements: ['CI-036'], cases: notAnObjectCases(), examples: [] });
  return families;
}

/**
 * Runs about `cases` generated negative cases spread evenly over the validation families, each
 * family as one scenario (as one conformance test would), and records every request sent.
 */
export async function runSuiteExchanges(target: ResolvedTarget, cases: number): Promise<SuiteRunResult> {
  const session = new TargetSession(target);
  const requests: HttpRequest[] = [];
  // The only instrumentation: remember what is sent so the raw loop can send the same bytes.
  const send = session.send.bind(session);
  session.send = (request, options) => {
    requests.push(request);
    return send(request, options);
  };
  const outcomes: RequirementOutcome[] = [];
  let exchanges = 0;
  const started = performance.now();
  const resources = await resourcesOf(session);
  const families = familiesOf(session, resources);
  const perFamily = Math.max(1, Math.round(cases / families.length));
  for (const family of families) {
    const scenario = new Scenario(session);
    const baseline = await session.interfaces();
    await checkProperty({
      scenario,
      requirements: family.requirements,
      arbitrary: family.cases,
      examples: family.examples,
      numRuns: perFamily,
      run: (c) => {
        exchanges += 1;
        return expectRefused(scenario, { requirements: [c.requirement], ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }) }, baseline);
      },
    });
    await session.cleanup();
    scenario.judgeCrossCutting();
    outcomes.push(...scenario.outcomes());
  }
  const elapsedMs = performance.now() - started;
  return { exchanges, requests, elapsedMs, outcomes };
}
