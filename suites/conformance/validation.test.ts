/**
 * Validation: bodies that break one rule of the request schema at a time are refused with 400 and
 * attach nothing. Each case is classified by the derived schemas: a break of the document's
 * (lenient) reading is judged under the field's MUST requirement, a break of Nova's stricter schema
 * only under its SHOULD requirement (generators/requests.ts).
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import type fc from 'fast-check';
import { describe } from 'vitest';
import {
  breakableFields,
  fieldProperties,
  notAnObjectCases,
  unknownIdCases,
  unknownKeyCases,
  wrapperCases,
  type InvalidCase,
} from '../../generators/requests.ts';
import { checkProperty } from '../harness/property.ts';
import { conformanceTest, type Scenario } from '../harness/scenario.ts';
import { useSession } from '../harness/session.ts';
import { expectRefused, resourcesOf } from '../harness/steps.ts';

const session = useSession();

/** Generated bodies for the fields of the run's microversion; tag has its own file (microversions). */
const FIELDS = breakableFields().filter((f) => !f.path.endsWith('/tag'));

async function refuseAll(
  scenario: Scenario,
  requirements: readonly RequirementId[],
  cases: fc.Arbitrary<InvalidCase>,
  examples: readonly InvalidCase[] = [],
): Promise<void> {
  const baseline = await scenario.session.interfaces();
  await checkProperty({
    scenario,
    requirements,
    arbitrary: cases,
    examples,
    run: (c) => expectRefused(scenario, { requirements: [c.requirement], ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }) }, baseline),
  });
}

describe('validation', () => {
  conformanceTest(
    'a POST with no body is refused',
    ['CI-030'],
    async (scenario) => {
      const baseline = await scenario.session.interfaces();
      await expectRefused(scenario, { requirements: ['CI-030'], body: undefined }, baseline);
    },
    session,
  );

  for (const { path, requirements } of FIELDS) {
    conformanceTest(
      `${path.slice(1).replace(/\//g, '.')}: each broken value is refused`,
      requirements,
      async (scenario) => {
        if (!scenario.canExercise(requirements)) return;
        const resources = await resourcesOf(scenario.session);
        const property = fieldProperties(scenario.session.resolvedMicroversion, resources).find((p) => p.path === path);
        if (!property) throw new Error(`no generated cases for ${path} although the target offers what its requirements need`);
        await refuseAll(scenario, property.requirements, property.cases, property.firstCases(scenario.session.target.seed));
      },
      session,
    );
  }

  conformanceTest(
    'unknown keys are refused',
    ['CI-035'],
    async (scenario) => {
      // Unknown keys are sent next to a port_id: this scenario needs a port, the requirement in general does not.
      if (!scenario.canExercise(['CI-035'], ['port'])) return;
      const resources = await resourcesOf(scenario.session);
      const cases = unknownKeyCases(scenario.session.resolvedMicroversion, resources);
      if (cases === null) throw new Error('no unknown-key cases although the target offers a port');
      await refuseAll(scenario, ['CI-035'], cases);
    },
    session,
  );

  conformanceTest(
    'fields outside the interfaceAttachment wrapper are refused',
    ['CI-045'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-045'])) return;
      const resources = await resourcesOf(scenario.session);
      const cases = wrapperCases(scenario.session.resolvedMicroversion, resources);
      if (cases === null) throw new Error('no wrapper cases although the target offers a port');
      await refuseAll(scenario, ['CI-045'], cases);
    },
    session,
  );

  conformanceTest(
    'bodies that are not a JSON object are refused',
    ['CI-036'],
    async (scenario) => {
      await refuseAll(scenario, ['CI-036'], notAnObjectCases());
    },
    session,
  );

  conformanceTest(
    'ids that name nothing are refused',
    ['CI-040', 'CI-041'],
    async (scenario) => {
      const baseline = await scenario.session.interfaces();
      await checkProperty({
        scenario,
        requirements: ['CI-040'],
        arbitrary: unknownIdCases(),
        numRuns: Math.min(20, scenario.session.target.runs),
        run: (c) => expectRefused(scenario, { requirements: ['CI-040', 'CI-041'], body: c.body }, baseline),
      });
    },
    session,
  );

  conformanceTest(
    'a server that does not exist',
    ['CI-042', 'CI-043'],
    async (scenario) => {
      const [portId] = scenario.session.target.portIds;
      const body = { interfaceAttachment: portId ? { port_id: portId } : {} };
      const missingServer = crypto.randomUUID();
      await expectRefused(scenario, { requirements: ['CI-042', 'CI-043'], body, url: scenario.session.collectionUrl('as-given', missingServer) }, null);
    },
    session,
  );

  conformanceTest(
    'a body over the size limit',
    ['CI-044'],
    async (scenario) => {
      // Valid JSON just over 1 MiB: a long unknown string in an otherwise empty attachment.
      const raw = JSON.stringify({ interfaceAttachment: { padding: 'x'.repeat(1024 * 1024 + 16) } });
      const baseline = await scenario.session.interfaces();
      await expectRefused(scenario, { requirements: ['CI-044'], raw }, baseline);
    },
    session,
  );
});
