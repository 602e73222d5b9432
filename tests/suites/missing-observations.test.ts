/**
 * A certifier says `fail` only for what it saw. When an observation a judgement needs is missing
 * (no answer, a reset, a timeout, a list that could not be read) the requirement is `error` with
 * the reason. First contact with a real Nova showed the opposite: the list GET after a 200 got no
 * answer and CI-013 was reported "not in the server's interface list" although show had answered
 * 200 for the port. These tests pin the rule for every check that takes an observation, and for the
 * steps that gather them.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import { describe, expect, it } from 'vitest';
import { requirementById } from '../../specs/index.ts';
import { runCheck, type Observation } from '../../suites/checks/registry.ts';
import type { Exchange, HttpAnswer } from '../../suites/harness/http.ts';
import { Scenario } from '../../suites/harness/scenario.ts';
import type { TargetSession } from '../../suites/harness/session.ts';
import { attachAndDetach, judgeRefusal } from '../../suites/harness/steps.ts';

const PORT = 'ce531f90-199f-48c0-816c-13e38010b442';
const NET = '3cb9bc59-5699-4588-a4b1-b87f96708bc6';
const attachment = {
  fixed_ips: [{ ip_address: '192.168.1.3', subnet_id: 'f8a6e8f8-c2ec-497c-9f23-da9616de54ef' }],
  mac_addr: 'fa:16:3e:4c:2c:30',
  net_id: NET,
  port_id: PORT,
  port_state: 'ACTIVE',
};

function answer(status: number, json: unknown): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json', 'openstack-api-version': 'compute 2.1' }, text: JSON.stringify(json ?? ''), json };
}

function exchange(method: string, url: string, reply: HttpAnswer | string): Exchange {
  const request = { method, url, headers: {} };
  if (typeof reply === 'string') return { record: { request, transportError: reply, durationMs: 1, curl: '' }, transportCode: 'ECONNRESET' };
  return { record: { request, response: { status: reply.status, headers: reply.headers, body: reply.text }, durationMs: 1, curl: '' }, answer: reply };
}

/** Runs the check `name` as requirement `id` calls it. */
function judge(name: string, id: RequirementId, observation: Observation) {
  const requirement = requirementById(id);
  const call = requirement.checks.find((c) => c.check === name);
  if (!call) throw new Error(`${id} does not name ${name}`);
  return runCheck(call, observation, requirement.expect.statuses);
}

const refused = answer(400, { badRequest: { code: 400, message: 'no' } });

describe('checks: a missing observation is an error, never a failure', () => {
  // A create with no answer at all never reaches a check: the scenario records it as error (below).
  it.each([
    ['nothing_attached', 'CI-020', { kind: 'refusal', answer: refused, microversion: '2.1', before: null, after: ['a'] }],
    ['nothing_attached', 'CI-020', { kind: 'refusal', answer: refused, microversion: '2.1', before: ['a'], after: null }],
    ['attachment_visible', 'CI-013', { kind: 'visibility', portId: PORT, listed: null, show: answer(200, { interfaceAttachment: attachment }) }],
    ['attachment_visible', 'CI-013', { kind: 'visibility', portId: PORT, listed: true, show: undefined, showUnanswered: 'socket hang up' }],
    ['detach_removes', 'CI-014', { kind: 'detach', portId: PORT, answer: undefined, unanswered: 'ECONNRESET', gone: null }],
    ['detach_removes', 'CI-014', { kind: 'detach', portId: PORT, answer: answer(202, undefined), gone: null }],
  ] as const satisfies ReadonlyArray<readonly [string, RequirementId, Observation]>)('%s on %s with %o', (check, requirement, observation) => {
    const verdict = judge(check, requirement, observation);
    expect(verdict.status).toBe('error');
    expect(verdict.status !== 'pass' && verdict.message.length > 0).toBe(true);
  });
});

/**
 * A stand-in session: answers are scripted per call, so a test can make exactly the list after the
 * 200 go unanswered (the uwsgi stale-socket reset seen on real Nova).
 */
function scriptedSession(script: { lists: Array<string[] | null>; createAnswer: HttpAnswer; show: HttpAnswer | string; gone?: boolean | null }): TargetSession {
  const url = 'http://127.0.0.1:1/v2.1/servers/s/os-interface';
  const lists = [...script.lists];
  const interfaces = async (): Promise<string[] | null> => (lists.length > 1 ? lists.shift() : lists[0]) ?? null;
  const session = {
    target: { microversion: '2.1', maxMicroversion: '2.1' },
    interfaces,
    // One read, no waiting: what these tests script is what the list says after the 200.
    waitForInterfaces: async (settled: (list: readonly string[]) => boolean) => {
      const list = await interfaces();
      return { list, settled: list !== null && settled(list), waitedMs: 0 };
    },
    create: async () => exchange('POST', url, script.createAnswer),
    show: async () => exchange('GET', `${url}/${PORT}`, script.show),
    detach: async () => ({
      exchange: exchange('DELETE', `${url}/${PORT}`, answer(202, undefined)),
      gone: script.gone === undefined ? true : script.gone,
      waitedMs: 0,
    }),
    noteAttached: () => undefined,
    track: () => undefined,
    cleanup: async () => [],
  };
  return session as unknown as TargetSession;
}

describe('steps: what could not be read is not judged as seen', () => {
  it('the list after a 200 unanswered: CI-013 is error with the reason, CI-014 is not judged', async () => {
    const scenario = new Scenario(
      scriptedSession({
        lists: [[], null],
        createAnswer: answer(200, { interfaceAttachment: attachment }),
        show: answer(200, { interfaceAttachment: attachment }),
      }),
    );
    const { ok } = await attachAndDetach(scenario, {
      statusRequirements: ['CI-001'],
      body: { interfaceAttachment: { port_id: PORT } },
      asked: { portId: PORT },
    });
    const outcomes = new Map(scenario.outcomes().map((o) => [o.requirement, o]));
    expect(outcomes.get('CI-013')?.status).toBe('error');
    expect(outcomes.get('CI-013')?.message).toMatch(/could not be read/);
    expect(outcomes.has('CI-014')).toBe(false);
    expect(ok).toBe(true);
  });

  it('show unanswered after a 200 that the list confirms: CI-013 is error', async () => {
    const scenario = new Scenario(
      scriptedSession({ lists: [[], [PORT]], createAnswer: answer(200, { interfaceAttachment: attachment }), show: 'socket hang up' }),
    );
    await attachAndDetach(scenario, { statusRequirements: ['CI-001'], body: { interfaceAttachment: { port_id: PORT } }, asked: { portId: PORT } });
    const ci013 = scenario.outcomes().find((o) => o.requirement === 'CI-013');
    expect(ci013?.status).toBe('error');
    expect(ci013?.message).toMatch(/socket hang up/);
  });

  it('no list read after the detach: CI-014 is error, not "still attached"', async () => {
    const scenario = new Scenario(
      scriptedSession({
        lists: [[], [PORT]],
        createAnswer: answer(200, { interfaceAttachment: attachment }),
        show: answer(200, { interfaceAttachment: attachment }),
        gone: null,
      }),
    );
    await attachAndDetach(scenario, { statusRequirements: ['CI-001'], body: { interfaceAttachment: { port_id: PORT } }, asked: { portId: PORT } });
    const ci014 = scenario.outcomes().find((o) => o.requirement === 'CI-014');
    expect(ci014?.status).toBe('error');
  });

  it('a refusal whose list cannot be read afterwards is error, and a seen attach still fails', async () => {
    const unread = new Scenario(scriptedSession({ lists: [null], createAnswer: refused, show: refused }));
    await judgeRefusal(unread, ['CI-020'], exchange('POST', 'u', refused), ['x']);
    expect(unread.outcomes().find((o) => o.requirement === 'CI-020')?.status).toBe('error');

    const attached = new Scenario(scriptedSession({ lists: [['x', PORT]], createAnswer: refused, show: refused }));
    await judgeRefusal(attached, ['CI-020'], exchange('POST', 'u', refused), ['x']);
    expect(attached.outcomes().find((o) => o.requirement === 'CI-020')?.status).toBe('fail');
  });

  it('a create with no answer is error for the requirements judged on it', async () => {
    const scenario = new Scenario(scriptedSession({ lists: [['x']], createAnswer: answer(400, {}), show: answer(404, {}) }));
    await judgeRefusal(scenario, ['CI-020'], exchange('POST', 'u', 'ECONNRESET: socket hang up'), ['x']);
    const outcome = scenario.outcomes().find((o) => o.requirement === 'CI-020');
    expect(outcome?.status).toBe('error');
    expect(outcome?.message).toMatch(/socket hang up/);
  });
});
