/**
 * Bounded runs on clouds that hang, never detach, or are merely slow (issue 11), and the rule that
 * one lost request never disables a kind of request (issue 10, finding 2). Counts of requests and
 * states, never timings: the sessions run in process against the fake cloud with its switches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCloud, type FakeCloudOptions, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { readConfig } from '../../suites/harness/config.ts';
import { TargetSession } from '../../suites/harness/session.ts';
import { resolveTarget, type ResolvedTarget } from '../../suites/harness/target.ts';
import { call } from '../fake-cloud/helpers.ts';

let cloud: RunningFakeCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** A session on a fresh fake cloud, as a test file of the suite would have it. */
async function sessionOn(
  options: FakeCloudOptions,
  env: Record<string, string> = {},
): Promise<{ session: TargetSession; target: ResolvedTarget; cloud: RunningFakeCloud }> {
  const started = await startFakeCloud(options);
  cloud = started;
  const { handoff } = await resolveTarget(readConfig({ OSI_SEED: '1', ...env }), async () => ({ handle: started, seed: started.seed }));
  if (!handoff.ok) throw new Error(handoff.setupError);
  return { session: new TargetSession(handoff.target), target: handoff.target, cloud: started };
}

function settings(running: RunningFakeCloud, body: Record<string, unknown>): Promise<unknown> {
  return call('POST', `${running.seed.control_url}/settings`, {
    headers: { 'X-Control-Token': running.seed.control_token, 'Content-Type': 'application/json' },
    body,
  });
}

const attachBody = (portId: string): unknown => ({ interfaceAttachment: { port_id: portId } });

describe('a target that stops answering creates', () => {
  it('after three creates in a row get no answer, no further create is sent, and each says why', async () => {
    const { session, cloud: running } = await sessionOn({}, { OSI_TIMEOUT_MS: '300' });
    await settings(running, { hang: 'compute-create' });
    const port = running.seed.port_ids[0] as string;
    const exchanges = [];
    for (let i = 0; i < 6; i++) exchanges.push(await session.create(attachBody(port)));
    expect(running.state().disruptions.hung_requests).toBe(3);
    expect(exchanges.map((e) => e.transportCode)).toEqual(['TIMEOUT', 'TIMEOUT', 'TIMEOUT', 'NOT_SENT', 'NOT_SENT', 'NOT_SENT']);
    expect(exchanges[5]?.record.transportError).toMatch(
      /the target stopped answering POST .*os-interface \(3 requests in a row got no answer; last: no answer within 300 ms\)/,
    );
    // Reads of another kind still go out.
    expect(await session.interfaces()).not.toBeNull();
  });

  it('an answer in between starts the count again: one lost request never disables creates', async () => {
    const { session, cloud: running } = await sessionOn({}, { OSI_TIMEOUT_MS: '300' });
    const [first, second] = running.seed.port_ids as [string, string];
    const codes: Array<string | number | undefined> = [];
    for (const hang of ['compute-create', 'compute-create', 'none', 'compute-create', 'compute-create', 'none']) {
      await settings(running, { hang });
      const created = await session.create(attachBody(hang === 'none' && codes.length < 3 ? first : second));
      codes.push(created.answer?.status ?? created.transportCode);
    }
    expect(codes).toEqual(['TIMEOUT', 'TIMEOUT', 200, 'TIMEOUT', 'TIMEOUT', 200]);
    expect(running.state().disruptions.hung_requests).toBe(4);
  });
});

describe('a detach that never takes effect', () => {
  it('is waited for once (--detach-timeout-s), remembered as stuck, and never waited for again', async () => {
    const { session, cloud: running } = await sessionOn({ faults: ['detach-does-not-detach'] });
    const port = running.seed.port_ids[0] as string;
    expect((await session.create(attachBody(port))).answer?.status).toBe(200);
    session.noteAttached(port);
    let listReads = 0;
    const read = session.interfaces.bind(session);
    session.interfaces = async () => {
      listReads++;
      return read();
    };
    const detached = await session.detach(port);
    expect(detached.gone).toBe(false);
    expect(TargetSession.isStuck(port)).toBe(true);
    // Backoff: a handful of reads over the whole bound, not one every few milliseconds.
    expect(listReads).toBeGreaterThan(1);
    expect(listReads).toBeLessThan(20);
    const readsBefore = listReads;
    expect(await session.cleanup()).toEqual([]);
    expect(await session.cleanup()).toEqual([]);
    expect(listReads).toBe(readsBefore);
  });
});
