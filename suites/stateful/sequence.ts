/**
 * The model of a server's interfaces that generated sequences of attaches and detaches run against,
 * the context the commands share (sending, logging, settling, judging), and the record of a
 * sequence's steps that the report shows for a failing one.
 *
 * The commands (commands.ts) are fast-check model-based commands run by fc.asyncModelRun; this file
 * holds what they share. After every command the cloud is allowed to settle (bounded polling with
 * backoff: eventual consistency is not a failure) and the invariants CI-101 and CI-103 are judged.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import type fc from 'fast-check';
import { networkApi } from '../cloud/cloud-api.ts';
import { attachmentFields, type AskedFor, type Observation, type Verdict } from '../checks/registry.ts';
import type { Exchange } from '../harness/http.ts';
import type { ExchangeRecord, SequenceRecord, SequenceStep } from '../../contract/outcome-types.ts';
import type { Scenario } from '../harness/scenario.ts';
import { TargetSession } from '../harness/session.ts';
import { judgeDetach } from '../harness/steps.ts';

/** How a port came to be attached. */
export type AttachedVia = 'port' | 'network' | 'network-fixed-ip' | 'allocate';

export interface AttachedPort {
  readonly via: AttachedVia;
  /** The cloud created the port (net_id or allocation): its detach should delete it (CI-104). */
  readonly created: boolean;
}

/** What the sequence believes is attached: the model fc.asyncModelRun hands to every command. */
export class SequenceModel {
  /** Ports the suite was given that are not attached now. */
  readonly free: string[];
  /** Ports the sequence attached, by id. */
  readonly attached = new Map<string, AttachedPort>();
  /** Fixed IPs the sequence has asked for (a second ask would be refused as in use). */
  readonly usedAddresses = new Set<string>();

  constructor(
    readonly given: readonly string[],
    baseline: readonly string[],
  ) {
    this.free = given.filter((p) => !baseline.includes(p));
  }

  attach(portId: string, port: AttachedPort): void {
    this.attached.set(portId, port);
    const index = this.free.indexOf(portId);
    if (index >= 0) this.free.splice(index, 1);
  }

  release(portId: string): void {
    const port = this.attached.get(portId);
    this.attached.delete(portId);
    if (port?.via === 'port' && this.given.includes(portId) && !this.free.includes(portId)) this.free.push(portId);
  }

  /** Ports attached by a given port_id (the ones a second attach or a detach race can use). */
  attachedGiven(): string[] {
    return [...this.attached.entries()].filter(([id, port]) => port.via === 'port' && this.given.includes(id)).map(([id]) => id);
  }
}

/** What the target offers the commands beyond ports. */
export interface SequenceResources {
  readonly netId: string | null;
  /** Free addresses on the network's subnet, for attaches with a fixed IP. */
  readonly freeAddresses: readonly string[];
  /** The project has exactly one network, so {} allocates (INT-04). */
  readonly allocates: boolean;
}

/** The stateful requirements a sequence judges: a failure of any of them fails the property. */
export const SEQUENCE_REQUIREMENTS = ['CI-100', 'CI-101', 'CI-102', 'CI-103', 'CI-104'] as const;

/** The record of one sequence as it ran: numbered steps, each with its requests and answers. */
export class SequenceLog {
  readonly steps: SequenceStep[] = [];

  begin(title: string): SequenceStepBuilder {
    const step = new SequenceStepBuilder(this.steps.length + 1, title);
    this.steps.push(step.view);
    return step;
  }

  /** The record the report shows: the steps, and a shell script of their curl lines. */
  record(seed: number, path: string | undefined): SequenceRecord {
    const steps = this.steps.map((s) => ({ ...s, exchanges: [...s.exchanges] }));
    return { seed, ...(path !== undefined ? { path } : {}), steps, script: curlScript(steps, seed) };
  }
}

interface MutableStep {
  n: number;
  title: string;
  exchanges: ExchangeRecord[];
  /** Indexes of exchanges sent together (a concurrent group): the script sends them in the background. */
  together: number[];
  outcome: string;
}

export class SequenceStepBuilder {
  readonly view: MutableStep;

  constructor(n: number, title: string) {
    this.view = { n, title, exchanges: [], together: [], outcome: '' };
  }

  add(exchange: Exchange, together = false): void {
    if (together) this.view.together.push(this.view.exchanges.length);
    this.view.exchanges.push(exchange.record);
  }

  set title(text: string) {
    this.view.title = text;
  }

  /** What the step found, in a few words (the model's change, or the failed requirement). */
  note(text: string): void {
    this.view.outcome = this.view.outcome ? `${this.view.outcome}; ${text}` : text;
  }
}

/** The steps as a script: one curl line per request, requests sent together in the background. */
function curlScript(steps: readonly SequenceStep[], seed: number): string {
  const lines = ['#!/bin/sh', `# The failing sequence, step by step (seed ${seed}). Set OS_TOKEN first; ids are the target's.`];
  for (const step of steps) {
    lines.push('', `# ${step.n}. ${step.title}${step.outcome ? ` — ${step.outcome}` : ''}`);
    const lastTogether = Math.max(-1, ...step.together);
    step.exchanges.forEach((exchange, index) => {
      if (exchange.curl) lines.push(step.together.includes(index) ? `${exchange.curl} &` : exchange.curl);
      if (index === lastTogether) lines.push('wait');
    });
  }
  return lines.join('\n');
}

export interface SettledView {
  /** The list as last read (duplicates kept), or null when it could not be read. */
  readonly listed: string[] | null;
  readonly exchange: Exchange;
}

/**
 * Everything a command needs: the scenario (for judging and cross-cutting checks), the sessions, the
 * scheduler that orders requests sent together, and the log.
 */
export class SequenceContext {
  /** Requirements that failed in this sequence. */
  readonly failed = new Set<RequirementId>();
  readonly log = new SequenceLog();
  /** The settled list after the last command. */
  lastListed: string[] | null;

  constructor(
    readonly scenario: Scenario,
    /** A session of its own for requests sent together: the run's --concurrency bound would send them one by one. */
    readonly burst: TargetSession,
    readonly scheduler: fc.Scheduler,
    readonly resources: SequenceResources,
    /** Ports attached before the sequence began. */
    readonly baseline: readonly string[],
    /** Requirements judged by any sequence of the run (the others are not exercisable). */
    readonly judged: Set<string>,
  ) {
    this.lastListed = [...baseline];
  }

  get session(): TargetSession {
    return this.scenario.session;
  }

  /** POSTs a create and logs it for the cross-cutting checks, the step and cleanup. */
  async create(step: SequenceStepBuilder, body: unknown, asked: AskedFor, together = false): Promise<Exchange> {
    const sender = together ? this.burst : this.session;
    const exchange = await sender.create(body);
    this.scenario.log.push({ kind: 'create', exchange, microversion: this.scenario.effectiveMicroversion(undefined), asked });
    step.add(exchange, together);
    if (exchange.answer?.status === 200) {
      // The port asked for is an accepted attach (ledgered); one only read from the body is tracked for cleanup.
      const answered = answeredPort(exchange);
      if (asked.portId !== undefined) this.session.noteAttached(asked.portId);
      else if (answered !== undefined) this.session.track(answered);
    }
    return exchange;
  }

  /**
   * Sends the requests together, in the order the scheduler picks (recorded in the step): each
   * waits for its turn, and a request starts as soon as its turn comes, before earlier ones are
   * answered.
   */
  async together<T>(step: SequenceStepBuilder, labels: readonly string[], send: (index: number) => Promise<T>): Promise<T[]> {
    const order: number[] = [];
    const sent = labels.map((label, index) =>
      this.scheduler.schedule(Promise.resolve(index), label).then(() => {
        order.push(index + 1);
        return send(index);
      }),
    );
    await this.scheduler.waitNext(labels.length);
    const results = await Promise.all(sent);
    step.title = `${step.view.title} (sent in the order ${order.map((i) => `#${i}`).join(', ')})`;
    return results;
  }

  /** DELETE of an interface, without waiting (settling is the invariants' job). */
  async detach(step: SequenceStepBuilder, portId: string, together = false): Promise<Exchange> {
    const sender = together ? this.burst : this.session;
    const exchange = await sender.send({ method: 'DELETE', url: this.session.itemUrl(portId), headers: this.session.headers({ microversion: null }, false) });
    step.add(exchange, together);
    return exchange;
  }

  private async get(url: string): Promise<Exchange> {
    return this.session.send({ method: 'GET', url, headers: this.session.headers({ microversion: null }, false) });
  }

  async list(): Promise<SettledView> {
    const exchange = await this.get(this.session.collectionUrl());
    const items = (exchange.answer?.json as { interfaceAttachments?: unknown } | undefined)?.interfaceAttachments;
    if (exchange.answer?.status !== 200 || !Array.isArray(items)) return { listed: null, exchange };
    const listed = items.map((item) => (item as { port_id?: unknown }).port_id).filter((id): id is string => typeof id === 'string');
    return { listed, exchange };
  }

  /**
   * Waits (the session's bounded polling with backoff, --detach-timeout-s) until `settled` says the
   * list has settled, then reads it once more for the record: judging comes after, either way.
   */
  async settle(settled: (listed: readonly string[]) => boolean): Promise<SettledView> {
    await this.session.waitForInterfaces(settled);
    return this.list();
  }

  /**
   * The port an accepted attach created when its answer does not name one well (its field
   * requirements judge that): the one new port in the settled list, if there is exactly one.
   */
  async portFromList(step: SequenceStepBuilder, model: SequenceModel): Promise<string | undefined> {
    const known = (p: string): boolean => model.attached.has(p) || this.baseline.includes(p);
    const view = await this.settle((listed) => listed.filter((p) => !known(p)).length > 0);
    step.add(view.exchange);
    const added = [...new Set((view.listed ?? []).filter((p) => !known(p)))];
    return added.length === 1 ? added[0] : undefined;
  }

  /** The list equals the model's ports and the baseline, each once. */
  matchesModel(model: SequenceModel, listed: readonly string[]): boolean {
    const expected = new Set([...model.attached.keys(), ...this.baseline]);
    return listed.length === expected.size && listed.every((p) => expected.has(p));
  }

  async show(portId: string): Promise<Exchange> {
    return this.session.show(portId);
  }

  /** Neutron's ports bound to the server, or null without a network endpoint. */
  async boundInNeutron(): Promise<{ ids: string[] | null; exchange?: Exchange }> {
    const { networkUrl, serverId } = this.session.target;
    if (!networkUrl) return { ids: null };
    const exchange = await this.get(`${networkApi(networkUrl)}/ports?device_id=${encodeURIComponent(serverId)}`);
    const ports = (exchange.answer?.json as { ports?: Array<{ id?: unknown }> } | undefined)?.ports;
    if (!Array.isArray(ports)) return { ids: null, exchange };
    return { ids: ports.map((p) => p.id).filter((id): id is string => typeof id === 'string'), exchange };
  }

  /**
   * Neutron's answer to GET the port, read again until 404 within --detach-timeout-s (Nova deletes
   * the port it created as part of the detach, which it finishes after answering).
   */
  async neutronPortAfterDetach(portId: string): Promise<Exchange | undefined> {
    const { networkUrl } = this.session.target;
    if (!networkUrl) return undefined;
    const url = `${networkApi(networkUrl)}/ports/${encodeURIComponent(portId)}`;
    await this.session.waitForInterfaces(async () => (await this.get(url)).answer?.status === 404);
    return this.get(url);
  }

  /**
   * After every sequence, whatever happened: detaches the model's ports, anything new in the list,
   * and any port Neutron shows bound to the server that was not bound before (bound but not listed).
   * These are detaches too: a port the cloud created must be gone from Neutron after its own (CI-104).
   */
  async cleanUp(model: SequenceModel): Promise<void> {
    const step = this.log.begin('clean up: detach what the sequence left attached');
    const view = await this.list();
    step.add(view.exchange);
    const bound = await this.boundInNeutron();
    if (bound.exchange) step.add(bound.exchange);
    const leftovers = new Set([...model.attached.keys(), ...(view.listed ?? []), ...(bound.ids ?? [])].filter((p) => !this.baseline.includes(p)));
    for (const portId of leftovers) {
      // Once a detach did not take effect in this run, no further one is waited for here (each would
      // cost the whole bound again): the run's final cleanup tries them once and reports them.
      if (TargetSession.firstStuck() !== null) continue;
      this.session.noteAttached(portId);
      const detached = await this.session.detach(portId);
      const { exchange, gone } = detached;
      step.add(exchange);
      // A detach sent alone (no race) that was accepted and did not take effect within the bound is
      // CI-014's failure, seen here first when the sequences run before the success scenarios: the
      // port is then stuck, and those scenarios end without judging CI-014 themselves.
      if (exchange.answer?.status === 202 && gone === false) {
        const verdict = judgeDetach(this.scenario, portId, detached);
        if (verdict.status === 'fail') step.note(`CI-014 failed: ${verdict.message}`);
      }
      // Judged once the detach took effect; a detach that did not is CI-014's.
      if (model.attached.get(portId)?.created === true && gone === true && this.session.target.networkUrl) {
        const neutron = await this.neutronPortAfterDetach(portId);
        if (neutron) step.add(neutron);
        this.judge(step, 'CI-104', { kind: 'created-port', portId, answer: neutron?.answer }, [exchange, neutron]);
      }
      model.release(portId);
    }
    step.note(leftovers.size === 0 ? 'nothing to detach' : `detached ${[...leftovers].join(', ')}`);
  }

  /**
   * Ends the sequence after a command that failed a requirement: the commands after it would only
   * add noise, and fast-check shrinks by the commands that ran.
   */
  stopIfFailed(): void {
    if (this.failed.size > 0) throw new SequenceFailed([...this.failed]);
  }

  /** Judges one stateful requirement; a failure is remembered for the property and noted in the step. */
  judge(step: SequenceStepBuilder, id: RequirementId, observation: Observation, evidence: readonly (Exchange | undefined)[]): Verdict {
    const verdict = this.scenario.judge(
      id,
      observation,
      evidence.filter((e): e is Exchange => e !== undefined),
    );
    this.judged.add(id);
    if (verdict.status === 'fail') {
      this.failed.add(id);
      step.note(`${id} failed: ${verdict.message}`);
    }
    return verdict;
  }

  /**
   * The invariants after every command: once the cloud has settled, list and show equal the model
   * (CI-101) and nothing is attached, listed, shown or bound that the model does not know (CI-103).
   * `released` are the ports this command let go. Returns the settled list.
   */
  async judgeInvariants(step: SequenceStepBuilder, model: SequenceModel, released: readonly string[]): Promise<string[] | null> {
    const view = await this.settle((listed) => this.matchesModel(model, listed));
    step.add(view.exchange);
    // What the list shows newly attached is an attach the suite made: to the ledger, for a cleanup after a killed run.
    for (const portId of view.listed ?? []) if (model.attached.has(portId)) this.session.noteAttached(portId);
    const modelAttached = [...model.attached.keys()];
    const shown: Array<{ portId: string; answer: Exchange['answer'] }> = [];
    const shows: Exchange[] = [];
    for (const portId of [...modelAttached, ...released]) {
      const exchange = await this.show(portId);
      shows.push(exchange);
      step.add(exchange);
      shown.push({ portId, answer: exchange.answer });
    }
    const bound = await this.boundInNeutron();
    if (bound.exchange) step.add(bound.exchange);
    const observation: Observation = {
      kind: 'settled',
      modelAttached,
      baseline: this.baseline,
      listed: view.listed,
      shown,
      released,
      boundInNeutron: bound.ids,
    };
    this.judge(step, 'CI-101', observation, [view.exchange, ...shows]);
    this.judge(step, 'CI-103', observation, [view.exchange, bound.exchange, ...shows]);
    this.lastListed = view.listed;
    return view.listed;
  }
}

/** The port_id a 200 answer names, if any (read as the field checks read it: a missing wrapper is CI-002's). */
export function answeredPort(exchange: Exchange): string | undefined {
  const portId = exchange.answer ? attachmentFields(exchange.answer)?.port_id : undefined;
  return typeof portId === 'string' ? portId : undefined;
}

/** Thrown by a command after a failed requirement: the property fails here, and shrinks. */
export class SequenceFailed extends Error {
  constructor(readonly requirements: readonly RequirementId[]) {
    super(`the sequence failed ${requirements.join(', ')}`);
    this.name = 'SequenceFailed';
  }
}
