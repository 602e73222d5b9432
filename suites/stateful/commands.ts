/**
 * The commands of generated attach/detach sequences, for fast-check's model-based testing
 * (fc.commands + fc.asyncModelRun): attach by port, by network, by network with a fixed IP,
 * allocate ({}), detach, list, show, attach an already-attached port, and three concurrent groups
 * (attaches of one free port sent together; an attach and a detach of one port sent together;
 * attaches of different ports sent together), whose send order fc.scheduler chooses.
 *
 * A command picks its port from the model when it runs (`pick` modulo what is there), so a shrunk
 * sequence stays meaningful. Each command sends its requests, updates the model from the answers,
 * and judges the invariants once the cloud has settled (sequence.ts).
 */
import fc from 'fast-check';
import { answeredPort, type AttachedVia, type SequenceContext, type SequenceModel, type SequenceResources, type SequenceStepBuilder } from './sequence.ts';
import type { Exchange } from '../harness/http.ts';

type SequenceCommand = fc.AsyncCommand<SequenceModel, SequenceContext, false>;

/** The most requests a concurrent group sends at once. */
export const MAX_TOGETHER = 3;

function statusOf(exchange: Exchange): string {
  return exchange.answer ? String(exchange.answer.status) : 'no answer';
}

function pickFrom<T>(items: readonly T[], pick: number): T {
  const item = items[pick % items.length];
  if (item === undefined) throw new Error("pick from an empty list (the command's check should have refused)");
  return item;
}

/** A 200 to an attach: the port it attached (the one asked for, or the one the answer names). */
function attachedPort(exchange: Exchange, asked: string | undefined): string | undefined {
  if (exchange.answer?.status !== 200) return undefined;
  return asked ?? answeredPort(exchange);
}

async function attachAndRecord(
  model: SequenceModel,
  ctx: SequenceContext,
  step: SequenceStepBuilder,
  body: unknown,
  via: AttachedVia,
  asked: { portId?: string; netId?: string; ip?: string },
): Promise<void> {
  const exchange = await ctx.create(step, body, asked);
  let portId = attachedPort(exchange, asked.portId);
  if (portId === undefined && exchange.answer?.status === 200) portId = await ctx.portFromList(step, model);
  if (portId !== undefined) {
    model.attach(portId, { via, created: via !== 'port' });
    step.note(`${statusOf(exchange)}: ${portId} attached`);
  } else step.note(`${statusOf(exchange)}: nothing attached`);
  const released = asked.portId !== undefined && portId === undefined ? [asked.portId] : [];
  await ctx.judgeInvariants(step, model, released);
}

class AttachPort implements SequenceCommand {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SequenceModel>): boolean => m.free.length > 0;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const portId = pickFrom(m.free, this.pick);
    const step = ctx.log.begin(`attach port ${portId} by port_id`);
    await attachAndRecord(m, ctx, step, { interfaceAttachment: { port_id: portId } }, 'port', { portId });
    ctx.stopIfFailed();
  }
  toString = (): string => `attachPort(${this.pick})`;
}

class AttachNetwork implements SequenceCommand {
  constructor(
    readonly withIp: boolean,
    readonly pick: number,
  ) {}
  check = (): boolean => true;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const netId = ctx.resources.netId as string;
    const addresses = ctx.resources.freeAddresses.filter((a) => !m.usedAddresses.has(a));
    const ip = this.withIp && addresses.length > 0 ? pickFrom(addresses, this.pick) : undefined;
    const step = ctx.log.begin(ip === undefined ? `attach by net_id ${netId}` : `attach by net_id ${netId} with fixed IP ${ip}`);
    if (ip !== undefined) m.usedAddresses.add(ip);
    const body = { interfaceAttachment: { net_id: netId, ...(ip !== undefined ? { fixed_ips: [{ ip_address: ip }] } : {}) } };
    await attachAndRecord(m, ctx, step, body, ip === undefined ? 'network' : 'network-fixed-ip', { netId, ...(ip !== undefined ? { ip } : {}) });
    ctx.stopIfFailed();
  }
  toString = (): string => `attachNetwork(${this.withIp ? 'fixed IP, ' : ''}${this.pick})`;
}

class Allocate implements SequenceCommand {
  check = (): boolean => true;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const step = ctx.log.begin('allocate: a body of {}');
    await attachAndRecord(m, ctx, step, {}, 'allocate', {});
    ctx.stopIfFailed();
  }
  toString = (): string => 'allocate()';
}

class Detach implements SequenceCommand {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SequenceModel>): boolean => m.attached.size > 0;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const portId = pickFrom([...m.attached.keys()], this.pick);
    const created = m.attached.get(portId)?.created === true;
    const step = ctx.log.begin(`detach port ${portId}${created ? ' (the cloud created it)' : ''}`);
    const before = ctx.lastListed;
    const exchange = await ctx.detach(step, portId);
    const accepted = exchange.answer?.status === 202;
    if (accepted) m.release(portId);
    step.note(`${statusOf(exchange)}: ${accepted ? `${portId} detached` : 'nothing detached'}`);
    const after = await ctx.judgeInvariants(step, m, accepted ? [portId] : []);
    if (accepted) await this.judgeDetach(step, ctx, portId, created, exchange, before, after);
    ctx.stopIfFailed();
  }

  private async judgeDetach(
    step: SequenceStepBuilder,
    ctx: SequenceContext,
    portId: string,
    created: boolean,
    exchange: Exchange,
    before: string[] | null,
    after: string[] | null,
  ): Promise<void> {
    ctx.judge(step, 'CI-102', { kind: 'detach-settled', portId, before, after }, [exchange]);
    // Judged once the detach took effect (the port left the list); a detach that did not is CI-014's.
    if (created && ctx.session.target.networkUrl && after !== null && !after.includes(portId)) {
      const neutron = await ctx.neutronPortAfterDetach(portId);
      if (neutron) step.add(neutron);
      ctx.judge(step, 'CI-104', { kind: 'created-port', portId, answer: neutron?.answer }, [exchange, neutron]);
    }
  }
  toString = (): string => `detach(${this.pick})`;
}

class List implements SequenceCommand {
  check = (): boolean => true;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const step = ctx.log.begin('list the interfaces');
    await ctx.judgeInvariants(step, m, []);
    ctx.stopIfFailed();
  }
  toString = (): string => 'list()';
}

class Show implements SequenceCommand {
  constructor(readonly pick: number) {}
  check = (): boolean => true;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const portId = pickFrom(m.given, this.pick);
    const step = ctx.log.begin(`show port ${portId} (${m.attached.has(portId) ? 'attached' : 'free'})`);
    const exchange = await ctx.show(portId);
    step.add(exchange);
    step.note(`show answered ${statusOf(exchange)}`);
    await ctx.judgeInvariants(step, m, m.attached.has(portId) ? [] : [portId]);
    ctx.stopIfFailed();
  }
  toString = (): string => `show(${this.pick})`;
}

class AttachAttached implements SequenceCommand {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SequenceModel>): boolean => m.attachedGiven().length > 0;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const portId = pickFrom(m.attachedGiven(), this.pick);
    const step = ctx.log.begin(`attach port ${portId} again (already attached)`);
    const exchange = await ctx.create(step, { interfaceAttachment: { port_id: portId } }, { portId });
    step.note(`${statusOf(exchange)}: still attached once`);
    await ctx.judgeInvariants(step, m, []);
    ctx.stopIfFailed();
  }
  toString = (): string => `attachAttached(${this.pick})`;
}

class AttachSameTogether implements SequenceCommand {
  constructor(
    readonly count: number,
    readonly pick: number,
  ) {}
  check = (m: Readonly<SequenceModel>): boolean => m.free.length > 0;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const portId = pickFrom(m.free, this.pick);
    const step = ctx.log.begin(`attach port ${portId} ${this.count} times at once`);
    const body = { interfaceAttachment: { port_id: portId } };
    const labels = Array.from({ length: this.count }, (_, i) => `attach #${i + 1}`);
    const exchanges = await ctx.together(step, labels, () => ctx.create(step, body, { portId }, true));
    const statuses = exchanges.map(statusOf);
    const accepted = statuses.filter((s) => s === '200').length;
    if (accepted > 0) m.attach(portId, { via: 'port', created: false });
    step.note(`answers ${statuses.join(', ')}`);
    ctx.judge(step, 'CI-100', { kind: 'together', answers: exchanges.map((e) => e.answer) }, exchanges);
    await ctx.judgeInvariants(step, m, accepted > 0 ? [] : [portId]);
    ctx.stopIfFailed();
  }
  toString = (): string => `attachSameTogether(${this.count}, ${this.pick})`;
}

class AttachDetachTogether implements SequenceCommand {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SequenceModel>): boolean => m.free.length > 0;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const portId = pickFrom(m.free, this.pick);
    const step = ctx.log.begin(`attach and detach port ${portId} at once`);
    const [attach, detach] = await ctx.together(step, ['attach', 'detach'], (index) =>
      index === 0 ? ctx.create(step, { interfaceAttachment: { port_id: portId } }, { portId }, true) : ctx.detach(step, portId, true),
    );
    if (!attach || !detach) throw new Error('a request sent together went missing');
    const attached = attach.answer?.status === 200;
    const detachAccepted = detach.answer?.status === 202;
    // Both accepted: either order is right (a detach of a port not yet attached is accepted by Nova and
    // fails later). The cloud decides: wait within the budget for the port to be gone (neither listed
    // nor shown); if it is still listed or shown then, the detach came first and the port is attached.
    if (attached && detachAccepted) {
      await ctx.session.waitForInterfaces(
        async (listed) => !listed.includes(portId) && ctx.matchesModel(m, listed) && (await ctx.show(portId)).answer?.status !== 200,
      );
      const [view, show] = [await ctx.list(), await ctx.show(portId)];
      step.add(view.exchange);
      step.add(show);
      if (view.listed?.includes(portId) || show.answer?.status === 200) m.attach(portId, { via: 'port', created: false });
    } else if (attached) m.attach(portId, { via: 'port', created: false });
    step.note(`attach ${statusOf(attach)}, detach ${statusOf(detach)}: ${m.attached.has(portId) ? `${portId} attached` : `${portId} free`}`);
    await ctx.judgeInvariants(step, m, m.attached.has(portId) ? [] : [portId]);
    ctx.stopIfFailed();
  }
  toString = (): string => `attachDetachTogether(${this.pick})`;
}

class AttachDifferentTogether implements SequenceCommand {
  constructor(readonly pick: number) {}
  check = (m: Readonly<SequenceModel>): boolean => m.free.length > 1;
  async run(m: SequenceModel, ctx: SequenceContext): Promise<void> {
    const first = pickFrom(m.free, this.pick);
    const second = pickFrom(
      m.free.filter((p) => p !== first),
      this.pick,
    );
    const ports = [first, second];
    const step = ctx.log.begin(`attach ports ${first} and ${second} at once`);
    const exchanges = await ctx.together(
      step,
      ports.map((p) => `attach ${p}`),
      (index) => {
        const portId = ports[index] as string;
        return ctx.create(step, { interfaceAttachment: { port_id: portId } }, { portId }, true);
      },
    );
    const released: string[] = [];
    exchanges.forEach((exchange, index) => {
      const portId = ports[index] as string;
      if (exchange.answer?.status === 200) m.attach(portId, { via: 'port', created: false });
      else released.push(portId);
    });
    step.note(`answers ${exchanges.map(statusOf).join(', ')}`);
    await ctx.judgeInvariants(step, m, released);
    ctx.stopIfFailed();
  }
  toString = (): string => `attachDifferentTogether(${this.pick})`;
}

/**
 * The command arbitraries for a target: commands the target cannot take (no network, no single
 * network to allocate on) are left out. The concurrent groups are listed three times and detach
 * twice: they are what a sequence is mostly for.
 */
export function commandArbitraries(resources: SequenceResources): Array<fc.Arbitrary<SequenceCommand>> {
  const pick = fc.nat({ max: 7 });
  const together: Array<fc.Arbitrary<SequenceCommand>> = [
    fc.tuple(fc.integer({ min: 2, max: MAX_TOGETHER }), pick).map(([count, p]) => new AttachSameTogether(count, p)),
    pick.map((p) => new AttachDetachTogether(p)),
    pick.map((p) => new AttachDifferentTogether(p)),
  ];
  return [
    pick.map((p) => new AttachPort(p)),
    ...(resources.netId !== null
      ? [fc.tuple(fc.boolean(), pick).map(([withIp, p]) => new AttachNetwork(withIp && resources.freeAddresses.length > 0, p))]
      : []),
    ...(resources.allocates ? [fc.constant(new Allocate())] : []),
    pick.map((p) => new Detach(p)),
    pick.map((p) => new Detach(p)),
    fc.constant(new List()),
    pick.map((p) => new Show(p)),
    pick.map((p) => new AttachAttached(p)),
    ...together,
    ...together,
    ...together,
  ];
}
