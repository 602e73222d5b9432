/**
 * The resource ledger: every resource the suite creates on a cloud, written down as it is created,
 * so that whatever happens to the run (a failure, a crash, SIGINT, SIGKILL) a later
 * `--cleanup-only LEDGER` can remove it. JSON lines, appended with one write and fsync'd before the
 * suite goes on; it holds ids and URLs, never a token.
 *
 * Events, in the order they happen:
 *   creating  written before a create request, with the unique name the resource will carry and
 *             where to find it by name: a run killed while the request is in flight leaves a
 *             resource whose id the ledger never saw, and cleanup still finds it.
 *   created   the id and the URL that deletes it (for an attachment: the server and the port).
 *   removed   it is gone.
 *   baseline  the interfaces a server had when the run started: those are never touched.
 *
 * Several processes append (the CLI and the test workers); each line is one write() on an O_APPEND
 * descriptor, which the kernel does not interleave.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { makeDirectory } from '../../contract/report-dir.ts';
import { isUuidShaped } from '../../specs/formats/uuid.ts';

export type ResourceKind = 'network' | 'subnet' | 'port' | 'server' | 'attachment';

interface EventBase {
  /** Format version. */
  readonly v: 1;
  /** The run that wrote it. */
  readonly run: string;
  /** ISO time. */
  readonly at: string;
}

export interface CreatingEvent extends EventBase {
  readonly event: 'creating';
  readonly kind: Exclude<ResourceKind, 'attachment'>;
  readonly name: string;
  /** A list URL that finds it by name (the answer is filtered by exact name again). */
  readonly find_url: string;
}

export interface CreatedEvent extends EventBase {
  readonly event: 'created';
  readonly kind: ResourceKind;
  /** For an attachment: "<server id>/<port id>". */
  readonly id: string;
  /** DELETE here removes it (detaches, for an attachment). */
  readonly url: string;
  readonly name?: string;
  readonly server_id?: string;
  readonly port_id?: string;
  /**
   * An attachment whose detach did not take effect within --detach-timeout-s during the run (written
   * again, with this flag, over its first line): cleanup sends its DELETE once more but does not wait
   * for it again.
   */
  readonly stuck?: boolean;
}

export interface RemovedEvent extends EventBase {
  readonly event: 'removed';
  readonly kind: ResourceKind;
  readonly id: string;
}

export interface BaselineEvent extends EventBase {
  readonly event: 'baseline';
  readonly kind: 'server-interfaces';
  readonly server_id: string;
  /** The server's os-interface collection. */
  readonly url: string;
  readonly port_ids: readonly string[];
}

export type LedgerEvent = CreatingEvent | CreatedEvent | RemovedEvent | BaselineEvent;

/** Distributes Omit over the union, so each event keeps its own fields. */
export type NewLedgerEvent = LedgerEvent extends infer E ? (E extends LedgerEvent ? Omit<E, 'v' | 'run' | 'at'> : never) : never;

/** Neutron port ids are UUIDs (with or without dashes); anything else is not a port the suite could detach. */
export const isPortId: (value: string) => boolean = isUuidShaped;

export function defaultLedgerPath(reportDir: string): string {
  return path.join(reportDir, 'resources.jsonl');
}

/** Descriptors per ledger file and process: opened once, appended to for the run. */
const descriptors = new Map<string, number>();

function descriptorFor(file: string): number {
  let fd = descriptors.get(file);
  if (fd === undefined) {
    makeDirectory(path.dirname(file));
    fd = openSync(file, 'a');
    descriptors.set(file, fd);
  }
  return fd;
}

export class ResourceLedger {
  /** Events this object wrote (in this process). */
  written = 0;

  constructor(
    readonly file: string,
    readonly runId: string,
  ) {}

  /** Appends one event and waits until it is on disk. */
  record(event: NewLedgerEvent): void {
    this.written += 1;
    const line = `${JSON.stringify({ v: 1, run: this.runId, at: new Date().toISOString(), ...event })}\n`;
    const fd = descriptorFor(this.file);
    writeSync(fd, line);
    fsyncSync(fd);
  }

  attachmentId(serverId: string, portId: string): string {
    return `${serverId}/${portId}`;
  }
}

/** Closes this process's descriptor of the ledger (before it is rewritten). */
export function closeLedger(file: string): void {
  const fd = descriptors.get(file);
  if (fd !== undefined) {
    closeSync(fd);
    descriptors.delete(file);
  }
}

function isEvent(value: unknown): value is LedgerEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = (value as { event?: unknown }).event;
  return event === 'creating' || event === 'created' || event === 'removed' || event === 'baseline';
}

/**
 * The events of a ledger file; [] when it does not exist. A line that is not an event (a write cut
 * short by a crash) is skipped and counted.
 */
export function readLedger(file: string): { events: LedgerEvent[]; unreadable: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], unreadable: 0 };
    throw error;
  }
  const events: LedgerEvent[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isEvent(parsed)) events.push(parsed);
      else unreadable += 1;
    } catch {
      unreadable += 1;
    }
  }
  return { events, unreadable };
}

export interface Outstanding {
  /** Created and not removed, in creation order. */
  readonly created: readonly CreatedEvent[];
  /** Announced but never confirmed created: may exist under their name. */
  readonly unconfirmed: readonly CreatingEvent[];
  /** The latest baseline per server. */
  readonly baselines: readonly BaselineEvent[];
}

export function outstanding(events: readonly LedgerEvent[]): Outstanding {
  const removed = new Set(events.filter((e): e is RemovedEvent => e.event === 'removed').map((e) => `${e.kind}:${e.id}`));
  const created = new Map<string, CreatedEvent>();
  for (const event of events) if (event.event === 'created' && !removed.has(`${event.kind}:${event.id}`)) created.set(`${event.kind}:${event.id}`, event);
  const confirmedNames = new Set(
    events.filter((e): e is CreatedEvent => e.event === 'created' && e.name !== undefined).map((e) => `${e.kind}:${e.name ?? ''}`),
  );
  const removedNames = new Set(
    events.filter((e): e is RemovedEvent => e.event === 'removed' && e.id.startsWith('name:')).map((e) => `${e.kind}:${e.id.slice(5)}`),
  );
  const unconfirmed = events.filter(
    (e): e is CreatingEvent => e.event === 'creating' && !confirmedNames.has(`${e.kind}:${e.name}`) && !removedNames.has(`${e.kind}:${e.name}`),
  );
  const baselines = new Map<string, BaselineEvent>();
  for (const event of events) if (event.event === 'baseline') baselines.set(event.server_id, event);
  return { created: [...created.values()], unconfirmed, baselines: [...baselines.values()] };
}

export function isSettled(pending: Outstanding): boolean {
  return pending.created.length === 0 && pending.unconfirmed.length === 0;
}

/**
 * Rewrites the ledger with only what is still outstanding (empty when everything is gone), through
 * a temporary file and a rename, so a crash leaves either the old or the new ledger.
 */
export function compactLedger(file: string, remaining: readonly LedgerEvent[]): void {
  closeLedger(file);
  const temporary = `${file}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    if (remaining.length > 0) writeSync(fd, `${remaining.map((e) => JSON.stringify(e)).join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
