/**
 * Mutual exclusion: every combination the ledger forbids (net_id with port_id; fixed_ips without
 * net_id) is refused with 400 and attaches nothing. The cases use the target's real port, network
 * and free addresses, so the forbidden combination is the only thing wrong with them.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import { describe } from 'vitest';
import { bothIdsCases, fixedIpsWithoutNetCases, type CaseFamily } from '../../generators/requests.ts';
import { checkProperty } from '../harness/property.ts';
import { conformanceTest, type Scenario } from '../harness/scenario.ts';
import { useSession } from '../harness/session.ts';
import { expectRefused, resourcesOf } from '../harness/steps.ts';

const session = useSession();

async function refuseAll(scenario: Scenario, requirement: RequirementId, family: CaseFamily): Promise<void> {
  const baseline = await scenario.session.interfaces();
  await checkProperty({
    scenario,
    requirements: [requirement],
    arbitrary: family.cases,
    examples: family.firstCases,
    run: (c) => expectRefused(scenario, { requirements: [c.requirement], body: c.body }, baseline),
  });
}

describe('mutual exclusion', () => {
  conformanceTest(
    'net_id and port_id together are refused',
    ['CI-020'],
    async (scenario) => {
      if (!scenario.canExercise(['CI-020'])) return;
      const resources = await resourcesOf(scenario.session);
      const cases = bothIdsCases(scenario.session.resolvedMicroversion, resources);
      if (cases === null) throw new Error('no cases of both ids although the target offers a port and a network');
      await refuseAll(scenario, 'CI-020', cases);
    },
    session,
  );

  conformanceTest(
    'fixed_ips without net_id is refused',
    ['CI-021'],
    async (scenario) => {
      const resources = await resourcesOf(scenario.session);
      await refuseAll(scenario, 'CI-021', fixedIpsWithoutNetCases(scenario.session.resolvedMicroversion, resources));
    },
    session,
  );
});
