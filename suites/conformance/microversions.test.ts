/**
 * Microversions (INT-17): tag in requests from 2.49, in answers from 2.70, and how a version outside
 * the target's range is refused. These scenarios ask for their microversion explicitly, whatever
 * the run's --microversion, when the target's version document says it supports it.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { compareMicroversions } from '../../specs/index.ts';
import { TAG_IN_REQUEST, TAG_IN_RESPONSE, TAG_MAX_LENGTH } from '../../specs/formats/tag.ts';
import { realisticTag } from '../../generators/realistic.ts';
import { fieldProperties } from '../../generators/requests.ts';
import { checkProperty } from '../harness/property.ts';
import { conformanceTest, type Scenario } from '../harness/scenario.ts';
import { useSession } from '../harness/session.ts';
import { attachAndDetach, expectRefused, resourcesOf } from '../harness/steps.ts';

const session = useSession();

/** The free port a requirement that needs one attaches (its needs were checked with Scenario.canExercise). */
function firstPort(scenario: Scenario): string {
  const [portId] = scenario.session.target.portIds;
  if (portId === undefined) throw new Error('a scenario that needs a port ran without one');
  return portId;
}

describe('microversions', () => {
  conformanceTest(
    'from 2.49 a tag is accepted',
    ['CI-090'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-090'])) return;
      const portId = firstPort(scenario);
      await checkProperty({
        scenario,
        requirements: ['CI-090'],
        arbitrary: realisticTag(TAG_MAX_LENGTH),
        shrink: false,
        numRuns: Math.min(10, scenario.session.target.runs),
        run: async (tag) =>
          (
            await attachAndDetach(scenario, {
              statusRequirements: ['CI-090'],
              body: { interfaceAttachment: { port_id: portId, tag } },
              asked: { portId, tag },
              microversion: TAG_IN_REQUEST,
            })
          ).ok,
      });
    },
    session,
  );

  conformanceTest(
    'below 2.49 a tag is refused',
    ['CI-091'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-091'])) return;
      const portId = firstPort(scenario);
      const baseline = await scenario.session.interfaces();
      await checkProperty({
        scenario,
        requirements: ['CI-091'],
        arbitrary: realisticTag(TAG_MAX_LENGTH),
        numRuns: Math.min(10, scenario.session.target.runs),
        run: (tag) =>
          expectRefused(
            scenario,
            { requirements: ['CI-091'], body: { interfaceAttachment: { port_id: portId, tag } }, microversion: '2.1', asked: { portId, tag } },
            baseline,
          ),
      });
    },
    session,
  );

  conformanceTest(
    'from 2.49 a malformed tag is refused',
    ['CI-092'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-092'])) return;
      const resources = await resourcesOf(scenario.session);
      const property = fieldProperties(TAG_IN_REQUEST, resources).find((p) => p.path === '/interfaceAttachment/tag');
      if (!property) throw new Error('no generated tag cases at 2.49 although the target offers a port');
      const baseline = await scenario.session.interfaces();
      await checkProperty({
        scenario,
        requirements: ['CI-092'],
        arbitrary: property.cases,
        examples: property.firstCases(scenario.session.target.seed),
        run: (c) => expectRefused(scenario, { requirements: [c.requirement], body: c.body, microversion: TAG_IN_REQUEST }, baseline),
      });
    },
    session,
  );

  conformanceTest(
    'from 2.70 the answer carries the tag',
    ['CI-093'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-093'])) return;
      const portId = firstPort(scenario);
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
    },
    session,
  );

  conformanceTest(
    'below 2.70 the answer has no tag',
    ['CI-094'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-094'])) return;
      const portId = firstPort(scenario);
      // Judged on the 200 by the cross-cutting pass; a tagged request at 2.49 when possible.
      const tagged = scenario.session.target.maxMicroversion !== null && compareMicroversions(scenario.session.target.maxMicroversion, TAG_IN_REQUEST) >= 0;
      const body = { interfaceAttachment: { port_id: portId, ...(tagged ? { tag: 'conformance' } : {}) } };
      await attachAndDetach(scenario, {
        statusRequirements: [],
        body,
        asked: { portId, tag: tagged ? 'conformance' : null },
        microversion: tagged ? TAG_IN_REQUEST : '2.1',
      });
    },
    session,
  );

  conformanceTest(
    'a microversion out of range or malformed',
    ['CI-095'],
    async (scenario) => {
      const [portId] = scenario.session.target.portIds;
      const body = { interfaceAttachment: portId ? { port_id: portId } : {} };
      const baseline = await scenario.session.interfaces();
      for (const version of ['9.99', '2.x', '2.01']) {
        await expectRefused(scenario, { requirements: ['CI-095'], body, microversion: version }, baseline);
      }
    },
    session,
  );
});
