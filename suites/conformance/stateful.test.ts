/**
 * State and concurrency: generated sequences of attaches and detaches, some requests sent together,
 * run against a model of the server's interfaces with fast-check's model-based testing
 * (fc.commands, fc.asyncModelRun, fc.scheduler for the order of requests sent together). After
 * every command the cloud settles and the invariants are judged (CI-100 to CI-104). A failing
 * sequence shrinks; the report shows it step by step with a script of curl lines; --seed replays it.
 *
 * Budget: a few sequences of at most six commands (each costs seconds on a real cloud); after every
 * sequence, whatever happened, everything it attached is detached (through the session, which
 * writes the resource ledger on a real cloud).
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import fc from 'fast-check';
import { describe } from 'vitest';
import { checkProperty } from '../harness/property.ts';
import { conformanceTest, type Scenario } from '../harness/scenario.ts';
import { TargetSession, useSession } from '../harness/session.ts';
import { resourcesOf } from '../harness/steps.ts';
import { MAX_TOGETHER, commandArbitraries } from '../stateful/commands.ts';
import { SEQUENCE_REQUIREMENTS, SequenceContext, SequenceFailed, SequenceModel, type SequenceResources } from '../stateful/sequence.ts';
import type { SequenceRecord } from '../../contract/outcome-types.ts';

const session = useSession();

/** Why a requirement may go unjudged by every generated sequence of a run. */
const NOT_EXERCISED: Readonly<Record<(typeof SEQUENCE_REQUIREMENTS)[number], string>> = {
  'CI-100': 'no sequence sent attaches of one free port together that one of them won (with two or more free ports given, more sequences: --runs)',
  'CI-101': 'no sequence ran a command',
  'CI-102': 'no sequence detached a port',
  'CI-103': 'no sequence ran a command',
  'CI-104': 'no sequence detached a port the cloud created (needs --net-id or a single network, and a network endpoint)',
};

/** Commands per sequence, at most. */
const MAX_COMMANDS = 6;

/**
 * Sequences per run: a tenth of --runs, between 10 and 20 (a sequence is a few commands of seconds
 * each on a real cloud, and a detach that races an attach can cost a whole --detach-timeout-s: ten
 * took 428 s on real Nova on a loaded machine; on the embedded cloud ten take about a second).
 */
function sequenceRuns(scenario: Scenario): number {
  return Math.min(20, Math.max(10, Math.ceil(scenario.session.target.runs / 10)));
}

async function sequenceResources(scenario: Scenario): Promise<SequenceResources> {
  const { netId, freeAddresses } = await resourcesOf(scenario.session);
  const networks = await scenario.session.visibleNetworks();
  return { netId: netId ?? null, freeAddresses, allocates: networks?.length === 1 };
}

describe('stateful sequences', () => {
  conformanceTest(
    'generated sequences of attaches and detaches, some sent together',
    SEQUENCE_REQUIREMENTS,
    async (scenario) => {
      const { target } = scenario.session;
      const given = target.portIds;
      // Every sequence attaches a port, so this scenario needs one for each of its requirements.
      if (!scenario.canExercise(SEQUENCE_REQUIREMENTS, ['port'])) return;
      const baseline = await scenario.session.interfaces();
      if (baseline === null) {
        for (const id of SEQUENCE_REQUIREMENTS) scenario.unobserved(id, "the server's interface list could not be read");
        return;
      }
      const resources = await sequenceResources(scenario);
      // Requests sent together go through a session of their own: under --concurrency 1 (the default)
      // the run's bound would send them one after another, and there would be no race to see.
      const burst = new TargetSession({ ...target, manners: { ...target.manners, concurrency: Math.max(target.manners.concurrency, MAX_TOGETHER) } });
      let lastFailure: { failed: RequirementId[]; record: SequenceRecord } | null = null;
      const judged = new Set<RequirementId>();
      const result = await checkProperty({
        scenario,
        requirements: SEQUENCE_REQUIREMENTS,
        arbitrary: fc.tuple(fc.commands(commandArbitraries(resources), { maxCommands: MAX_COMMANDS }), fc.scheduler()),
        numRuns: sequenceRuns(scenario),
        independent: false,
        run: async ([commands, scheduler]) => {
          // The commands run as given (fast-check shrinks by the ones that ran); the scheduler is copied, as
          // the replay of the smallest counterexample runs the same value once more.
          const ctx = new SequenceContext(scenario, burst, fc.cloneIfNeeded(scheduler), resources, baseline, judged);
          const model = new SequenceModel(given, baseline);
          try {
            await fc.asyncModelRun(() => ({ model, real: ctx }), commands);
          } catch (error) {
            if (!(error instanceof SequenceFailed)) throw error;
          } finally {
            if (process.env.OSI_DEBUG_SEQ) console.log('SEQ', String(commands), ctx.log.steps.length, [...ctx.failed].join());
            await ctx.cleanUp(model);
          }
          // The last failing run is the smallest counterexample fast-check found (or its replay).
          if (ctx.failed.size > 0) lastFailure = { failed: [...ctx.failed], record: ctx.log.record(target.seed, undefined) };
          return ctx.failed.size === 0;
        },
      });
      for (const id of SEQUENCE_REQUIREMENTS.filter((r) => !judged.has(r))) scenario.notExercisable(id, NOT_EXERCISED[id]);
      const failure = lastFailure as { failed: RequirementId[]; record: SequenceRecord } | null;
      if (result.failed && failure) {
        const record = { ...failure.record, ...(result.path !== undefined ? { path: result.path } : {}) };
        for (const id of failure.failed) scenario.sequence(id, record);
      }
    },
    session,
  );
});
