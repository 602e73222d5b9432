/**
 * Removing what the ledger says the suite created, in an order the cloud accepts: attachments
 * (detach, then wait until the port has left), interfaces that appeared on a baseline server
 * during the run, servers (delete, then wait until gone), then ports, subnets and networks.
 * Resources announced but never confirmed are looked up by their unique name. Anything already
 * gone (404) is written off too, but reported apart ("already gone"): a ledger whose resources
 * someone else removed must not read as if this cleanup had removed them. What could not be removed stays in the ledger for a later
 * --cleanup-only; everything else is written off, and an empty ledger means nothing is left.
 *
 * Pre-existing resources are never touched: only ids the ledger names, names carrying the run id,
 * and, on a server the suite was given to attach to, interfaces that were not there at the start.
 */
import type { CloudApi } from './cloud-api.ts';
import {
  compactLedger,
  isPortId,
  outstanding,
  readLedger,
  type BaselineEvent,
  type CreatedEvent,
  type CreatingEvent,
  type LedgerEvent,
  type ResourceLedger,
} from './ledger.ts';
import { sleep } from '../harness/async.ts';

export interface CleanupOptions {
  /** How long to wait for one detach or server deletion to take effect. */
  readonly settleMs: number;
  /** Nothing more is attempted after this (epoch ms). */
  readonly deadlineAt: number;
  /** Hears one line per resource as cleanup turns to it (the CLI prints them after a signal). */
  readonly progress?: (line: string) => void;
  /**
   * The run's own teardown: an attachment the run marked stuck was waited for already and is looked
   * at once. (--cleanup-only, later, waits for it as for any other: the cloud may have recovered.)
   */
  readonly afterRun?: boolean;
}

export interface CleanupReport {
  /** What this cleanup removed. */
  readonly removed: readonly string[];
  /** What the cloud said was gone already (404): nothing to remove. */
  readonly alreadyGone: readonly string[];
  /** What is still there, each with the reason. */
  readonly remaining: readonly string[];
}

const ALREADY_GONE = Symbol('already gone');

const KIND_ORDER: Readonly<Record<CreatedEvent['kind'], number>> = { attachment: 0, server: 1, port: 2, subnet: 3, network: 4 };

function label(event: { kind: string; id?: string; name?: string }): string {
  return `${event.kind} ${event.name ?? event.id ?? ''}`.trim();
}

export class LedgerCleaner {
  private readonly removed: string[] = [];
  private readonly alreadyGone: string[] = [];
  private readonly remaining: string[] = [];
  /** "<server>/<port>" of the attachments the ledger listed: already tried (and reported) once, never as a stray too. */
  private readonly triedAttachments = new Set<string>();

  constructor(
    private readonly api: CloudApi,
    private readonly ledger: ResourceLedger,
    private readonly options: CleanupOptions,
  ) {}

  private timeLeft(): boolean {
    return Date.now() < this.options.deadlineAt;
  }

  /** Cleans up everything the ledger file lists as outstanding; rewrites the ledger to what is left. */
  async run(): Promise<CleanupReport> {
    const { events } = readLedger(this.ledger.file);
    const pending = outstanding(events);
    const protectedPorts = new Map(pending.baselines.map((b) => [b.server_id, new Set(b.port_ids)]));
    const ordered = [...pending.created].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    const ownServers = new Set(ordered.filter((e) => e.kind === 'server').map((e) => e.id));

    for (const event of ordered.filter((e) => e.kind === 'attachment')) await this.detachRecorded(event, protectedPorts);
    for (const baseline of pending.baselines) if (!ownServers.has(baseline.server_id)) await this.detachStrays(baseline);
    for (const intent of pending.unconfirmed.filter((e) => e.kind === 'server')) await this.removeByName(intent);
    for (const event of ordered.filter((e) => e.kind === 'server')) await this.removeServer(event);
    for (const kind of ['port', 'subnet', 'network'] as const) {
      for (const intent of pending.unconfirmed.filter((e) => e.kind === kind)) await this.removeByName(intent);
      for (const event of ordered.filter((e) => e.kind === kind)) await this.removeNeutron(event);
    }
    this.compact();
    return { removed: this.removed, alreadyGone: this.alreadyGone, remaining: this.remaining };
  }

  private compact(): void {
    const { events } = readLedger(this.ledger.file);
    const left = outstanding(events);
    const keep: LedgerEvent[] = [...left.unconfirmed, ...left.created];
    // Baselines matter only while something of the run may still be attached.
    if (keep.length > 0) keep.unshift(...left.baselines);
    compactLedger(this.ledger.file, keep);
  }

  private markRemoved(event: CreatedEvent, alreadyGone = false): void {
    this.ledger.record({ event: 'removed', kind: event.kind, id: event.id });
    (alreadyGone ? this.alreadyGone : this.removed).push(label(event));
  }

  private leave(what: string, why: string): void {
    this.remaining.push(`${what}: ${why}`);
  }

  /** Waits until `gone` is true or the settle time ends. */
  private async settle(gone: () => Promise<boolean>): Promise<boolean> {
    const until = Math.min(Date.now() + this.options.settleMs, this.options.deadlineAt);
    let pause = 50;
    for (;;) {
      if (await gone()) return true;
      if (Date.now() + pause > until) return false;
      await sleep(pause);
      pause = Math.min(2000, pause * 2);
    }
  }

  /** null when detached, ALREADY_GONE on a 404, else why it is still attached. */
  private async detach(serverId: string, portId: string, url: string, stuck = false): Promise<string | null | typeof ALREADY_GONE> {
    const result = await this.api.call('DELETE', url);
    if (!result.ok) return result.error;
    if (result.status === 404) return ALREADY_GONE;
    if (result.status >= 300) return `detach answered ${result.status}`;
    // A port the run already waited for (--detach-timeout-s) is looked at once, not waited for again.
    const isGone = async (): Promise<boolean> => {
      const now = await this.api.interfaces(serverId);
      return now !== null && !now.includes(portId);
    };
    const gone = stuck ? await isGone() : await this.settle(isGone);
    return gone ? null : stuck ? 'its detach did not take effect during the run (--detach-timeout-s), nor now' : 'still attached after the detach';
  }

  private async detachRecorded(event: CreatedEvent, protectedPorts: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    const serverId = event.server_id ?? '';
    const portId = event.port_id ?? '';
    if (!isPortId(portId)) {
      // An older ledger may hold an id read from a hostile body: a DELETE to it would remove nothing.
      this.markRemoved(event);
      return;
    }
    this.options.progress?.(`detaching port ${portId} from server ${serverId}`);
    if (protectedPorts.get(serverId)?.has(portId)) {
      // It was attached before the run: not the suite's to detach, whatever a scenario noted.
      this.markRemoved(event);
      return;
    }
    if (!this.timeLeft()) return this.leave(label(event), 'the deadline passed');
    this.triedAttachments.add(`${serverId}/${portId}`);
    const problem = await this.detach(serverId, portId, event.url, event.stuck === true && this.options.afterRun === true);
    if (problem === null || problem === ALREADY_GONE) this.markRemoved(event, problem === ALREADY_GONE);
    else this.leave(label(event), problem);
  }

  /** Interfaces on a server the suite was given that were not there at the start. */
  private async detachStrays(baseline: BaselineEvent): Promise<void> {
    const now = await this.api.interfaces(baseline.server_id);
    if (now === null) return;
    const start = new Set(baseline.port_ids);
    for (const portId of now.filter((p) => !start.has(p) && !this.triedAttachments.has(`${baseline.server_id}/${p}`))) {
      if (!this.timeLeft()) return this.leave(`interface ${portId} on server ${baseline.server_id}`, 'the deadline passed');
      const problem = await this.detach(baseline.server_id, portId, `${baseline.url}/${encodeURIComponent(portId)}`);
      if (problem === null) this.removed.push(`interface ${portId} on server ${baseline.server_id} (appeared during the run)`);
      else if (problem === ALREADY_GONE) this.alreadyGone.push(`interface ${portId} on server ${baseline.server_id}`);
      else this.leave(`interface ${portId} on server ${baseline.server_id}`, problem);
    }
  }

  private async removeServer(event: CreatedEvent): Promise<void> {
    if (!this.timeLeft()) return this.leave(label(event), 'the deadline passed');
    this.options.progress?.(`deleting ${label(event)}`);
    const result = await this.api.call('DELETE', event.url);
    if (!result.ok) return this.leave(label(event), result.error);
    if (result.status === 404) return this.markRemoved(event, true);
    if (result.status >= 300) return this.leave(label(event), `delete answered ${result.status}`);
    // Its ports are released only once it is gone: wait, so the ports and network can go next.
    const gone = await this.settle(async () => {
      const shown = await this.api.call('GET', event.url);
      return shown.ok && shown.status === 404;
    });
    if (gone) this.markRemoved(event);
    else this.leave(label(event), 'still there after the delete');
  }

  private async removeNeutron(event: CreatedEvent): Promise<void> {
    if (!this.timeLeft()) return this.leave(label(event), 'the deadline passed');
    this.options.progress?.(`deleting ${label(event)}`);
    let result = await this.api.call('DELETE', event.url);
    if (result.ok && result.status === 409 && event.kind === 'network') {
      // Ports the cloud made on the suite's own network (an attach by net_id) keep it in use.
      await this.removePortsOf(event.id);
      result = await this.api.call('DELETE', event.url);
    }
    if (!result.ok) return this.leave(label(event), result.error);
    if (result.status === 404 || result.status < 300) this.markRemoved(event, result.status === 404);
    else this.leave(label(event), `delete answered ${result.status}`);
  }

  /** Every non-network-owned port on a network the suite created (they can only be the run's). */
  private async removePortsOf(networkId: string): Promise<void> {
    const network = this.api.endpoints.network;
    if (network === null) return;
    const ports = await this.api.list(`${network}/ports?network_id=${encodeURIComponent(networkId)}`, 'ports');
    for (const port of ports ?? []) {
      if (typeof port.id !== 'string' || (typeof port.device_owner === 'string' && port.device_owner.startsWith('network:'))) continue;
      await this.api.call('DELETE', `${network}/ports/${encodeURIComponent(port.id)}`);
    }
  }

  /** A resource announced but never confirmed: found by its exact name, or it never came to be. */
  private async removeByName(intent: CreatingEvent): Promise<void> {
    if (!this.timeLeft()) return this.leave(`${intent.kind} ${intent.name}`, 'the deadline passed');
    const key = intent.kind === 'server' ? 'servers' : `${intent.kind}s`;
    const items = await this.api.list(intent.find_url, key);
    if (items === null) return this.leave(`${intent.kind} ${intent.name}`, 'the lookup by name failed');
    const matches = items.filter((i) => i.name === intent.name && typeof i.id === 'string');
    for (const item of matches) {
      const base = intent.find_url.slice(0, intent.find_url.indexOf('?'));
      const created: CreatedEvent = {
        v: 1,
        run: this.ledger.runId,
        at: new Date().toISOString(),
        event: 'created',
        kind: intent.kind,
        id: String(item.id),
        url: `${base}/${encodeURIComponent(String(item.id))}`,
        name: intent.name,
      };
      this.ledger.record({ event: 'created', kind: created.kind, id: created.id, url: created.url, name: intent.name });
      if (intent.kind === 'server') await this.removeServer(created);
      else await this.removeNeutron(created);
    }
    if (matches.length === 0) this.ledger.record({ event: 'removed', kind: intent.kind, id: `name:${intent.name}` });
  }
}
