/**
 * Scenario steps shared by the conformance suites: what the target offers for valid requests,
 * "send a request that must be refused and verify nothing got attached", and "attach, look for
 * it, detach it". Each step does the I/O and hands the observations to Scenario.judge.
 */
import type { Resources } from '../../generators/requests.ts';
import { freeAddressIn } from '../../generators/ip.ts';
import { requirementById } from '../../specs/index.ts';
import type { RequirementId } from '../../specs/ledger-types.ts';
import type { AskedFor, Verdict } from '../checks/registry.ts';
import type { Exchange } from './http.ts';
import type { Scenario } from './scenario.ts';
import { isPortId } from '../cloud/ledger.ts';
import { TargetSession } from './session.ts';

/** How many free addresses a property may pick from. */
const ADDRESS_POOL = 32;

export async function resourcesOf(session: TargetSession): Promise<Resources> {
  const { portIds, netId, subnet } = session.target;
  let freeAddresses: string[] = [];
  if (subnet) {
    const used = await session.usedAddresses();
    if (used) {
      for (let pick = 0; freeAddresses.length < ADDRESS_POOL && pick < ADDRESS_POOL * 4; pick++) {
        const address = freeAddressIn(subnet.cidr, new Set([...used, ...freeAddresses]), pick * 7);
        if (address === null) break;
        freeAddresses.push(address);
      }
    }
    freeAddresses = [...new Set(freeAddresses)];
  }
  return { portIds, netId, freeAddresses };
}

export interface RefusalRequest {
  /** Requirements judged on the one answer (typically a MUST and the SHOULD that prefers one code). */
  readonly requirements: readonly RequirementId[];
  readonly body?: unknown;
  readonly raw?: string;
  readonly token?: string | null;
  readonly microversion?: string | null;
  readonly contentType?: string | null;
  readonly url?: string;
  readonly asked?: AskedFor;
}

/**
 * Sends a request the requirement says must be refused, then compares the server's interfaces with
 * `baseline`. Anything the request attached is detached again at once (the suite caused it).
 * Resolves false when a MUST requirement failed.
 */
export async function expectRefused(scenario: Scenario, request: RefusalRequest, baseline: readonly string[] | null): Promise<boolean> {
  const exchange = await scenario.create(request.body, {
    ...(request.raw !== undefined ? { raw: request.raw } : {}),
    ...(request.token !== undefined ? { token: request.token } : {}),
    ...(request.microversion !== undefined ? { microversion: request.microversion } : {}),
    ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
    ...(request.url !== undefined ? { url: request.url } : {}),
    ...(request.asked !== undefined ? { asked: request.asked } : {}),
  });
  return judgeRefusal(scenario, request.requirements, exchange, baseline, request.microversion);
}

/** The judgement half of expectRefused, for requests sent another way (other methods). */
export async function judgeRefusal(
  scenario: Scenario,
  requirements: readonly RequirementId[],
  exchange: Exchange,
  baseline: readonly string[] | null,
  microversion?: string | null,
): Promise<boolean> {
  const after = await detachAnythingNew(scenario, baseline);
  const logged = { kind: 'create' as const, exchange, microversion: scenario.effectiveMicroversion(microversion) };
  let ok = true;
  for (const requirement of requirements) {
    const verdict = scenario.judgeRefusal(requirement, logged, baseline, after);
    if (verdict.status === 'fail' && requirementById(requirement).level === 'MUST') ok = false;
  }
  return ok;
}

export interface AttachRequest {
  /** Requirements judged on the create's status (e.g. CI-001, or CI-011 and CI-012). */
  readonly statusRequirements: readonly RequirementId[];
  readonly body: unknown;
  readonly asked: AskedFor;
  readonly microversion?: string | null;
  readonly contentType?: string | null;
  readonly raw?: string;
  /** The project's networks, when known: an allocation must land on one of them (CI-011). */
  readonly networksVisible?: readonly string[] | null;
}

/**
 * Attaches, then checks the attachment is visible (CI-013) and that detaching removes it (CI-014).
 * Field, wrapper and echo requirements are judged on the 200 by the cross-cutting pass.
 * Resolves false when a MUST requirement failed.
 */
export async function attachAndDetach(scenario: Scenario, request: AttachRequest): Promise<{ ok: boolean; exchange: Exchange | undefined }> {
  const ended = TargetSession.statefulScenariosEnded();
  if (ended !== null) {
    for (const id of request.statusRequirements) scenario.notExercisable(id, ended);
    return { ok: true, exchange: undefined };
  }
  const before = await scenario.session.interfaces();
  if (request.asked.portId && before?.includes(request.asked.portId)) {
    // The port is still attached from an earlier case (a detach that did not take effect): this
    // case cannot show anything about attaching; the detach requirement has already failed.
    for (const id of request.statusRequirements) scenario.notExercisable(id, `port ${request.asked.portId} is still attached from an earlier case`);
    return { ok: true, exchange: undefined };
  }
  const exchange = await scenario.create(request.body, {
    asked: request.asked,
    ...(request.microversion !== undefined ? { microversion: request.microversion } : {}),
    ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
    ...(request.raw !== undefined ? { raw: request.raw } : {}),
  });
  let ok = true;
  const logged = scenario.log.at(-1);
  if (!logged) throw new Error('create was not logged');
  for (const id of request.statusRequirements) {
    const verdict = scenario.judgeAnswer(id, logged, { before, ...(request.networksVisible ? { networksVisible: request.networksVisible } : {}) });
    if (verdict.status === 'fail' && requirementById(id).level === 'MUST') ok = false;
  }
  if (exchange.answer?.status !== 200) {
    await detachAnythingNew(scenario, before);
    return { ok, exchange };
  }
  // The port the suite asked for, answered 200: an attach it accepts as real, in the ledger at once
  // (before any wait for the list), so a run killed now still has it removed.
  if (request.asked.portId) scenario.session.noteAttached(request.asked.portId);
  // Which port got attached: the one asked for, or the one the cloud allocated (from the list).
  // The list may show it a while after the 200 (eventual consistency): wait for it with backoff,
  // within --detach-timeout-s, and judge visibility only on the last list read.
  const answered = (exchange.answer.json as { interfaceAttachment?: { port_id?: unknown } } | undefined)?.interfaceAttachment?.port_id;
  // An id from the body counts only if it can be a port: never a DELETE to `…/os-interface/` or to garbage.
  const answeredPort = typeof answered === 'string' && isPortId(answered) ? answered : undefined;
  const expected = request.asked.portId ?? answeredPort;
  const listed = (list: readonly string[]): boolean =>
    expected !== undefined ? list.includes(expected) : before === null || TargetSession.added(before, list).length > 0;
  // Once an attachment never showed within the bound (CI-013 failed), later cases read the list once.
  const { list: after, settled } =
    TargetSession.neverListed === null ? await scenario.session.waitForInterfaces(listed) : { list: await scenario.session.interfaces(), settled: true };
  if (!settled && after !== null && expected !== undefined) TargetSession.noteNeverListed(expected);
  const added = before && after ? TargetSession.added(before, after) : [];
  const portId = request.asked.portId ?? added[0] ?? answeredPort;
  if (portId !== undefined && portId !== request.asked.portId && before?.includes(portId)) {
    // The answer names a port that was attached before the request (CI-011's echo check says so):
    // it is not the suite's to detach, and its visibility proves nothing about this request.
    return { ok, exchange };
  }
  if (portId === undefined) {
    // Nothing names the port: the answer has no port_id and the list showed nothing new, or could
    // not be read (then nobody saw whether anything was attached: an error, not a failure).
    const verdict = scenario.judge(
      'CI-013',
      { kind: 'visibility', portId: request.asked.portId, listed: after === null ? null : false, show: exchange.answer },
      [exchange],
    );
    return { ok: verdict.status !== 'fail', exchange };
  }
  const show = await scenario.session.show(portId);
  const visible = scenario.judge(
    'CI-013',
    {
      kind: 'visibility',
      portId,
      listed: after === null ? null : after.includes(portId),
      show: show.answer,
      ...(show.answer ? {} : { showUnanswered: show.record.transportError ?? 'no answer' }),
    },
    [exchange, show],
  );
  for (const extra of added.filter((p) => p !== portId)) scenario.session.noteAttached(extra);
  scenario.session.noteAttached(portId);
  if (visible.status === 'fail' || visible.status === 'error') {
    // Detaching what is not visibly attached proves nothing about detach: clean up, judge nothing.
    // Only a failure seen makes the case a failing one (a missed observation is not shrunk on).
    await scenario.session.cleanup();
    return { ok: ok && visible.status !== 'fail', exchange };
  }
  const removal = judgeDetach(scenario, portId, await scenario.session.detach(portId));
  if (removal.status === 'fail') ok = false;
  await scenario.session.cleanup();
  return { ok, exchange };
}

/** Judges CI-014 on one detach (the DELETE and the list reads after it), as every scenario that detaches does. */
export function judgeDetach(scenario: Scenario, portId: string, detached: Awaited<ReturnType<TargetSession['detach']>>): Verdict {
  const { answer } = detached.exchange;
  return scenario.judge(
    'CI-014',
    {
      kind: 'detach',
      portId,
      answer,
      ...(answer ? {} : { unanswered: detached.exchange.record.transportError ?? 'no answer' }),
      gone: detached.gone,
      ...(detached.waitedMs !== undefined ? { waitedMs: detached.waitedMs } : {}),
    },
    [detached.exchange],
  );
}

/**
 * Reads the server's interfaces and detaches every one that is not in `before` (the suite's
 * request attached it). Returns the list as read, before the detaches, or null when unknown.
 */
async function detachAnythingNew(scenario: Scenario, before: readonly string[] | null): Promise<string[] | null> {
  if (before === null) return null;
  const after = await scenario.session.interfaces();
  if (after === null) return null;
  for (const portId of TargetSession.added(before, after)) {
    scenario.session.noteAttached(portId);
    await scenario.session.detach(portId);
  }
  return after;
}
