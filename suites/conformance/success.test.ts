/**
 * Success: every valid request shape attaches, the answer has the documented shape and names what
 * was asked for, the attachment is visible, detach removes it, and a port cannot be attached twice.
 * Field, wrapper, content-type and echo requirements are judged on every 200 by the scenario's
 * cross-cutting pass (suites/harness/scenario.ts).
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import { describe } from 'vitest';
import { shapesAvailable, validCase, type Shape } from '../../generators/requests.ts';
import { conformanceTest, type Scenario } from '../harness/scenario.ts';
import { checkProperty } from '../harness/property.ts';
import { TargetSession, useSession } from '../harness/session.ts';
import { attachAndDetach, expectRefused, resourcesOf } from '../harness/steps.ts';

const session = useSession();

/** The status requirements of each shape (what each needs from the target is in the ledger). */
const SHAPES: ReadonlyArray<{ shape: Shape; title: string; statusRequirements: readonly RequirementId[] }> = [
  { shape: 'port', title: 'attach by port_id', statusRequirements: ['CI-001'] },
  { shape: 'network', title: 'attach by net_id', statusRequirements: ['CI-009'] },
  { shape: 'network-fixed-ip', title: 'attach by net_id with fixed_ips', statusRequirements: ['CI-010'] },
  { shape: 'allocate', title: 'attach with neither port_id nor net_id', statusRequirements: ['CI-011', 'CI-012'] },
];

/** Stateful cases (attach, look, detach) per scenario: a quarter of --runs, at least one. */
function statefulRuns(scenario: Scenario): number {
  return Math.max(1, Math.ceil(scenario.session.target.runs / 4));
}

/**
 * An allocation is expected to succeed (the SHOULDs CI-012, CI-039) only on a project with exactly
 * one network: with none or several, Nova rightly answers 400 (INT-04). They need the network
 * endpoint (the ledger says so); given one whose list could not be read, the count was not seen.
 */
const ALLOCATION_SHOULDS = new Set<RequirementId>(['CI-012', 'CI-039']);
function judgeableAllocation(scenario: Scenario, requirements: readonly RequirementId[], networks: readonly string[] | null): RequirementId[] {
  if (networks?.length === 1) return [...requirements];
  for (const id of requirements.filter((r) => ALLOCATION_SHOULDS.has(r))) {
    if (networks === null) scenario.unobserved(id, "the project's networks could not be read from the network endpoint");
    else scenario.notExercisable(id, `the project has ${networks.length} networks, so 400 is a right answer (INT-04)`);
  }
  return requirements.filter((r) => !ALLOCATION_SHOULDS.has(r));
}

describe('success', () => {
  for (const { shape, title, statusRequirements } of SHAPES) {
    conformanceTest(
      title,
      [...statusRequirements, 'CI-013', 'CI-014'],
      async (scenario) => {
        const exercisable = scenario.exercisable(statusRequirements);
        if (exercisable.length === 0) return;
        const resources = await resourcesOf(scenario.session);
        if (!shapesAvailable(resources).includes(shape)) {
          // Given what the shape needs, yet no valid request could be made (no free address left on the subnet).
          for (const id of exercisable) scenario.notExercisable(id, "no free address was found on the network's subnet");
          return;
        }
        const microversion = scenario.session.resolvedMicroversion;
        const networksVisible = shape === 'allocate' ? await scenario.session.visibleNetworks() : null;
        const judged = shape === 'allocate' ? judgeableAllocation(scenario, exercisable, networksVisible) : exercisable;
        await checkProperty({
          scenario,
          requirements: statusRequirements,
          arbitrary: validCase(shape, microversion, resources),
          shrink: false,
          // Each case attaches and detaches on the target (seconds each on a real cloud), so these
          // stateful scenarios run a quarter of --runs; allocation creates ports in the cloud: fewer still.
          numRuns: shape === 'allocate' ? Math.min(10, statefulRuns(scenario)) : statefulRuns(scenario),
          run: async (valid) => (await attachAndDetach(scenario, { statusRequirements: judged, body: valid.body, asked: valid.asked, networksVisible })).ok,
        });
      },
      session,
    );
  }

  conformanceTest(
    'a {} body',
    ['CI-038', 'CI-039'],
    async (scenario) => {
      const judged = judgeableAllocation(scenario, scenario.exercisable(['CI-038', 'CI-039']), await scenario.session.visibleNetworks());
      await attachAndDetach(scenario, { statusRequirements: judged, body: {}, asked: {} });
    },
    session,
  );

  conformanceTest(
    'a port that is already attached is refused',
    ['CI-015', 'CI-016'],
    async (scenario) => {
      const [portId] = scenario.session.target.portIds;
      // `portId === undefined` only narrows the type: canExercise has checked the requirements' needs.
      if (!scenario.canExercise(['CI-015', 'CI-016']) || portId === undefined) return;
      // It attaches, so it must detach again: not on a cloud whose detach did not take effect.
      const ended = TargetSession.statefulScenariosEnded();
      if (ended !== null) {
        for (const id of ['CI-015', 'CI-016'] as const) scenario.notExercisable(id, ended);
        return;
      }
      const body = { interfaceAttachment: { port_id: portId } };
      const first = await scenario.create(body, { asked: { portId } });
      if (!first.answer) {
        for (const id of ['CI-015', 'CI-016'] as const)
          scenario.unobserved(id, `the first attach got no answer (${first.record.transportError ?? 'no answer'})`);
        return;
      }
      if (first.answer.status !== 200) {
        for (const id of ['CI-015', 'CI-016'] as const)
          scenario.notExercisable(id, `the first attach was not accepted (${first.answer.status}); judged by CI-001`);
        return;
      }
      // The baseline must show the first attachment, which a cloud may list a while after the 200.
      const { list: attached } = await scenario.session.waitForInterfaces((list) => list.includes(portId));
      await expectRefused(scenario, { requirements: ['CI-015', 'CI-016'], body, asked: { portId } }, attached);
    },
    session,
  );
});
