/**
 * Microversions (INT-17): tag in requests from 2.49, in answers from 2.70, and how a version outside
 * the target's range is refused. These scenarios ask for their microversion explicitly, whatever
 * the run's --microversion, when the target's version document says it supports it.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import fc from 'fast-check';
import { describe } from 'vitest';
import { compareMicroversions } from '../../specs/index.ts';
import { realisticTag } from '../../generators/realistic.ts';
import { fieldProperties, resourcesRequired } from '../../generators/requests.ts';
import { checkProperty } from '../harness/property.ts';
import { conformanceTest, type Scenario } from '../harness/scenario.ts';
import { useSession } from '../harness/session.ts';
import { attachAndDetach, expectRefused, resourcesOf } from '../harness/steps.ts';

const session = useSession();
const TAG_IN_REQUEST = '2.49';
const TAG_IN_RESPONSE = '2.70';
const TAG_MAX_LENGTH = 60;

/** Whether the target serves `version`; records "not exercisable" for the requirements if not. */
function supports(scenario: Scenario, version: string, requirements: readonly RequirementId[]): boolean {
  const max = scenario.session.target.maxMicroversion;
  if (max !== null && compareMicroversions(max, version) >= 0) return true;
  for (const id of requirements) scenario.notExercisable(id, `the target's maximum microversion is ${max ?? 'unknown (no version document)'}, below ${version}`);
  return false;
}

function freePort(scenario: Scenario, requirements: readonly RequirementId[]): string | null {
  const [portId] = scenario.session.target.portIds;
  if (portId) return portId;
  for (const id of requirements) scenario.notExercisable(id, resourcesRequired('a free port (--port-id)'));
  return null;
}

describe('microversions', () => {
  conformanceTest('from 2.49 a tag is accepted', ['CI-090'], async (scenario) => {
    const portId = freePort(scenario, ['CI-090']);
    if (!portId || !supports(scenario, TAG_IN_REQUEST, ['CI-090'])) return;
    await checkProperty({
      scenario,
      requirements: ['CI-090'],
      arbitrary: realisticTag(TAG_MAX_LENGTH),
      shrink: false,
      numRuns: Math.min(10, scenario.session.target.runs),
      run: async (tag) => (await attachAndDetach(scenario, { statusRequirements: ['CI-090'], body: { interfaceAttachment: { port_id: portId, tag } }, asked: { portId, tag }, microversion: TAG_IN_REQUEST })).ok,
    });
  }, session);

  conformanceTest('below 2.49 a tag is refused', ['CI-091'], async (scenario) => {
    const portId = freePort(scenario, ['CI-091']);
    if (!portId) return;
    const baseline = await scenario.session.interfaces();
    await checkProperty({
      scenario,
      requirements: ['CI-091'],
      arbitrary: realisticTag(TAG_MAX_LENGTH),
      numRuns: Math.min(10, scenario.session.target.runs),
      run: (tag) => expectRefused(scenario, { requirements: ['CI-091'], body: { interfaceAttachment: { port_id: portId, tag } }, microversion: '2.1', asked: { portId, tag } }, baseline),
    });
  }, session);

  conformanceTest('from 2.49 a malformed tag is refused', ['CI-092'], async (scenario) => {
    if (!supports(scenario, TAG_IN_REQUEST, ['CI-092'])) return;
    const resources = await resourcesOf(scenario.session);
    const property = fieldProperties(TAG_IN_REQUEST, resources).find((p) => p.path === '/interfaceAttachment/tag');
    if (!property) return scenario.notExercisable('CI-092', resourcesRequired('a free port (--port-id)'));
    const baseline = await scenario.session.interfaces();
    await checkProperty({
      scenario,
      requirements: ['CI-092'],
      arbitrary: property.cases,
      examples: property.firstCases(scenario.session.target.seed),
      run: (c) => expectRefused(scenario, { requirements: [c.requirement], body: c.body, microversion: TAG_IN_REQUEST }, baseline),
    });
  }, session);

  conformanceTest('from 2.70 the answer carries the tag', ['CI-093'], async (scenario) => {
    const portId = freePort(scenario, ['CI-093']);
    if (!portId || !supports(scenario, TAG_IN_RESPONSE, ['CI-093'])) return;
    // With a tag and without one (then the answer's tag is null); CI-093 is judged on each 200.
    await checkProperty({
      scenario,
      requirements: ['CI-093'],
      arbitrary: fc.option(realisticTag(TAG_MAX_LENGTH), { nil: null }),
      shrink: false,
      numRuns: Math.min(10, scenario.session.target.runs),
      run: async (tag) => {
        const body = { interfaceAttachment: { port_id: portId, ...(tag !== null ? { tag } : {}) } };
        return (await attachAndDetach(scenario, { statusRequirements: [], body, asked: { portId, tag }, microversion: TAG_IN_RESPONSE })).ok;
      },
    });
  }, session);

  conformanceTest('below 2.70 the answer has no tag', ['CI-094'], async (scenario) => {
    const portId = freePort(scenario, ['CI-094']);
    if (!portId) return;
    // Judged on the 200 by the cross-cutting pass; a tagged request at 2.49 when possible.
    const tagged = scenario.session.target.maxMicroversion !== null && compareMicroversions(scenario.session.target.maxMicroversion, TAG_IN_REQUEST) >= 0;
    const body = { interfaceAttachment: { port_id: portId, ...(tagged ? { tag: 'conformance' } : {}) } };
    await attachAndDetach(scenario, { statusRequirements: [], body, asked: { portId, tag: tagged ? 'conformance' : null }, microversion: tagged ? TAG_IN_REQUEST : '2.1' });
  }, session);

  conformanceTest('a microversion out of range or malformed', ['CI-095'], async (scenario) => {
    const [portId] = scenario.session.target.portIds;
    const body = { interfaceAttachment: portId ? { port_id: portId } : {} };
    const baseline = await scenario.session.interfaces();
    for (const version of ['9.99', '2.x', '2.01']) {
      await expectRefused(scenario, { requirements: ['CI-095'], body, microversion: version }, baseline);
    }
  }, session);
});
