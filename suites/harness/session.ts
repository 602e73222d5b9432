/**
 * A test file's connection to the target: URLs, headers, the requests scenarios send, the reads
 * that observe state (list, show), detach with polling, and the bookkeeping that guarantees the
 * suite leaves the server as it found it (it only ever detaches ports it attached itself, and on a
 * real cloud writes each attachment to the resource ledger as it is made).
 *
 * Requests go through the run's manners (concurrency, rate, 429/503 retries, deadline) and, with
 * the suite's own token, through the authorized sender (renewal, catalog origins only).
 */
import { afterAll, beforeEach, inject } from 'vitest';
import { AuthorizedSender, FixedToken, type TokenSource } from '../cloud/authorized.ts';
import { sharedRenewableToken } from '../cloud/credential.ts';
import { isPortId, ResourceLedger } from '../cloud/ledger.ts';
import { networkApi } from '../cloud/cloud-api.ts';
import { sharedManners } from '../cloud/manners.ts';
import { sleep } from './async.ts';
import { HttpClient, type Exchange, type HttpRequest, type SendOptions } from './http.ts';
import { noteRequestSent } from './progress.ts';
import { Redactor, type SecretBinding } from './redact.ts';
import { allSecretsOf, type ResolvedTarget } from './target.ts';

/** What a request is, for the cross-cutting checks that judge every answer of one kind. */
export type ExchangeKind =
  /** POST to the os-interface collection: the operation under test. */
  | 'create'
  /** Another method on the collection URL: judged as a create-URL answer, but a router's. */
  | 'collection-other-method'
  /** Reads and cleanup: list, show, detach, network lookups, fault switch. */
  | 'support';

export interface RequestOptions {
  /** Token to send; null sends none; default the member token. */
  readonly token?: string | null;
  /** Microversion to ask for; null sends no header; default the run's microversion. */
  readonly microversion?: string | null;
  /** Content-Type; null sends none; default application/json when a body is sent. */
  readonly contentType?: string | null;
  /** URL of the collection to use instead of the main one. */
  readonly url?: string;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

/**
 * After this many requests in a row of one kind (method and path, ids left out) get no answer, the
 * target is taken as having stopped answering that kind, for the rest of the run (every file):
 * a target that hangs on POST but answers GET costs a few timeouts, not one per generated case
 * and file. Any answer of that kind starts the count again, so one lost request (a reset) never
 * disables anything.
 */
const UNANSWERED_IN_A_ROW_LIMIT = 3;

/** What stopped answering, run-wide (test files share the worker process: isolate is off). */
const silentKinds = new Map<string, { inARow: number; reason: string }>();

/**
 * Ports whose detach did not take effect within --detach-timeout-s, run-wide: each is reported
 * once (CI-014 fails with its id) and never waited for again; the run goes on with the other port.
 */
const stuckPorts = new Set<string>();
/** The first attachment that never showed in the list within the bound, run-wide (see noteNeverListed). */
let neverListed: string | null = null;

/** "POST http://host/v2.1/{id}/servers/{id}/os-interface": a request's kind, whatever the ids in its path. */
export function requestKind(method: string, url: string): string {
  let where: string;
  try {
    const parsed = new URL(url);
    where = `${parsed.origin}${parsed.pathname}`;
  } catch {
    where = url;
  }
  return `${method} ${where
    .split('/')
    .map((segment) => (/^[0-9a-f-]{16,}$/i.test(segment) ? '{id}' : segment))
    .join('/')}`;
}

/**
 * The redactor of a session whose token may be renewed: a renewed token is recorded as the
 * original one is ($OS_TOKEN), so curl lines stay reproducible and no new token leaks.
 */
class RenewalAwareRedactor extends Redactor {
  constructor(
    secrets: readonly SecretBinding[],
    private readonly tokens: TokenSource,
    private readonly original: string,
  ) {
    super(secrets);
  }

  override headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    const mapped: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) mapped[name] = value !== this.original && this.tokens.isOwn(value) ? this.original : value;
    return super.headers(mapped);
  }

  override text(input: string): string {
    const current = this.tokens.token;
    return super.text(current !== this.original && input.includes(current) ? input.split(current).join(this.original) : input);
  }
}

export class TargetSession {
  readonly client: HttpClient;
  readonly redactor: Redactor;
  readonly tokens: TokenSource;
  private readonly sender: AuthorizedSender;
  private readonly ledger: ResourceLedger | null;
  /** Ports this file attached (or may have: a 200) and has not yet seen detached. */
  private readonly attachedBySuite = new Set<string>();
  /** The server's interfaces at this session's first list read: what the suite found, not made. */
  private foundAttached: ReadonlySet<string> | null = null;
  /** Of those, the ones written to the ledger: attaches the suite accepted as real. */
  private readonly ledgered = new Set<string>();
  /** Set while the session itself has switched the target to unavailable: its 503s are the point. */
  private deliberatelyUnavailable = false;
  /** The current test's signal: aborted when the run is cancelled (SIGINT, deadline), after which nothing is sent. */
  private cancellation: AbortSignal | null = null;

  constructor(readonly target: ResolvedTarget) {
    const secrets = allSecretsOf(target);
    const clientOptions = { timeoutMs: target.timeoutMs, tls: target.tls, manners: sharedManners(target.manners) };
    const credential = target.credential;
    this.tokens = credential ? sharedRenewableToken(credential, () => new HttpClient(new Redactor(secrets), clientOptions)) : new FixedToken(target.token);
    this.redactor = credential ? new RenewalAwareRedactor(secrets, this.tokens, target.token) : new Redactor(secrets);
    this.client = new HttpClient(this.redactor, clientOptions);
    this.sender = new AuthorizedSender(this.client, this.tokens, target.allowedOrigins ? new Set(target.allowedOrigins) : null);
    this.ledger = target.ledgerPath ? new ResourceLedger(target.ledgerPath, target.runId) : null;
  }

  /** Follows the current test's abort signal (see useSession). */
  watch(signal: AbortSignal): void {
    this.cancellation = signal;
  }

  /** How many generated cases may be in flight at once (--concurrency). */
  get concurrency(): number {
    return this.target.manners.concurrency;
  }

  /** The session for this test file, from what global setup provided; throws the setup error. */
  static fromInjected(): TargetSession {
    const handoff = inject('handoff');
    if (!handoff.ok) throw new Error(`the run could not start: ${handoff.setupError}`);
    return new TargetSession(handoff.target);
  }

  /** The run's microversion with "latest" replaced by the target's maximum. */
  get resolvedMicroversion(): string {
    const { microversion, maxMicroversion } = this.target;
    return microversion === 'latest' ? (maxMicroversion ?? '2.1') : microversion;
  }

  get isEmbedded(): boolean {
    return this.target.kind === 'embedded';
  }

  // ---- URLs -----------------------------------------------------------------------------------

  /** Compute base with the project segment when the target was given that way. */
  computeUrl(project: 'as-given' | 'with' | 'without' | { readonly foreign: string } = 'as-given'): string {
    const { computeBase, projectId, useProjectSegment } = this.target;
    if (typeof project === 'object') return `${computeBase}/${project.foreign}`;
    const withProject = project === 'with' || (project === 'as-given' && useProjectSegment);
    return withProject && projectId ? `${computeBase}/${projectId}` : computeBase;
  }

  collectionUrl(project: Parameters<TargetSession['computeUrl']>[0] = 'as-given', serverId = this.target.serverId): string {
    return `${this.computeUrl(project)}/servers/${encodeURIComponent(serverId)}/os-interface`;
  }

  itemUrl(portId: string): string {
    return `${this.collectionUrl()}/${encodeURIComponent(portId)}`;
  }

  // ---- sending ------------------------------------------------------------------------------------

  headers(options: RequestOptions, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.token === undefined ? this.tokens.token : options.token;
    if (token !== null) headers['X-Auth-Token'] = token;
    const microversion = options.microversion === undefined ? this.target.microversion : options.microversion;
    if (microversion !== null) headers['OpenStack-API-Version'] = `compute ${microversion}`;
    const contentType = options.contentType === undefined ? (hasBody ? 'application/json' : null) : options.contentType;
    if (contentType !== null) headers['Content-Type'] = contentType;
    return { ...headers, ...(options.extraHeaders ?? {}) };
  }

  /**
   * Sends one request, unless the target has stopped answering it (then fails fast, saying so).
   * While the session has made the target unavailable on purpose, 429/503 are not retried: the
   * unavailability scenario must see its 503.
   */
  async send(request: HttpRequest, options: SendOptions = {}): Promise<Exchange> {
    if (this.cancellation?.aborted) return this.notSent(request, 'not sent: the run was cancelled');
    const kind = requestKind(request.method, request.url);
    const silent = silentKinds.get(kind);
    if (silent && silent.inARow >= UNANSWERED_IN_A_ROW_LIMIT) {
      return this.notSent(request, `not sent: the target stopped answering ${kind} (${silent.inARow} requests in a row got no answer; last: ${silent.reason})`);
    }
    const exchange = await this.sender.send(request, this.deliberatelyUnavailable ? { ...options, retry: false } : options);
    if (exchange.transportCode !== 'NOT_SENT') noteRequestSent();
    if (exchange.answer) silentKinds.delete(kind);
    // Not sent, or refused through every retry (the storm breaker's business): no silence.
    else if (exchange.transportCode !== 'NOT_SENT' && !exchange.transportCode?.startsWith('HTTP_'))
      silentKinds.set(kind, { inARow: (silentKinds.get(kind)?.inARow ?? 0) + 1, reason: exchange.record.transportError ?? 'no answer' });
    return exchange;
  }

  private notSent(request: HttpRequest, reason: string): Exchange {
    return {
      record: {
        request: { method: request.method, url: this.redactor.text(request.url), headers: this.redactor.headers(request.headers ?? {}) },
        transportError: reason,
        durationMs: 0,
        curl: '',
      },
      transportCode: 'NOT_SENT',
    };
  }

  /** POST to the collection with a JSON value (serialised) or raw bytes. */
  create(body: unknown, options: RequestOptions & { readonly raw?: string | Buffer } = {}): Promise<Exchange> {
    const payload = options.raw !== undefined ? options.raw : body === undefined ? undefined : JSON.stringify(body);
    return this.send({
      method: 'POST',
      url: options.url ?? this.collectionUrl(),
      headers: this.headers(options, payload !== undefined),
      ...(payload !== undefined ? { body: payload } : {}),
    });
  }

  // ---- observing state ------------------------------------------------------------------------------

  /** Port ids attached to the server, or null when the list cannot be read. */
  async interfaces(): Promise<string[] | null> {
    const { answer } = await this.send({ method: 'GET', url: this.collectionUrl(), headers: this.headers({ microversion: null }, false) });
    const items = (answer?.json as { interfaceAttachments?: unknown } | undefined)?.interfaceAttachments;
    if (answer?.status !== 200 || !Array.isArray(items)) return null;
    const listed = items.map((item) => (item as { port_id?: unknown }).port_id).filter((id): id is string => typeof id === 'string');
    this.foundAttached ??= new Set(listed);
    return listed;
  }

  show(portId: string): Promise<Exchange> {
    return this.send({ method: 'GET', url: this.itemUrl(portId), headers: this.headers({ microversion: null }, false) });
  }

  // ---- attach bookkeeping and cleanup -------------------------------------------------------------------

  /**
   * Remembers a port a 200 may have attached, so this file detaches it even if the test fails
   * midway; nothing goes to the ledger (a 200 to a request that should have been refused, or an
   * id read from a body, is not an attach the suite accepted). An id that cannot be a port is
   * ignored: a DELETE to `…/os-interface/` or to garbage removes nothing.
   */
  track(portId: string): void {
    // A port the server had before this file's first list read (its boot port, another's) is never
    // the suite's to detach, whatever an answer claims: a cloud that answers an attach with the boot
    // port's id (wrong-port-echoed) had the suite detach the server's own interface at cleanup.
    if (isPortId(portId) && !this.foundAttached?.has(portId)) this.attachedBySuite.add(portId);
  }

  /**
   * Remembers an attach the suite accepted as real (the port it asked for after a 200, or one the
   * server's list shows newly attached), and on a real cloud writes it to the ledger at once, for
   * a cleanup after a killed run.
   */
  noteAttached(portId: string): void {
    if (!isPortId(portId)) return;
    this.attachedBySuite.add(portId);
    if (this.ledgered.has(portId)) return;
    this.ledgered.add(portId);
    this.recordAttachment(portId);
  }

  /** The ledger line of an attachment the suite made (`stuck`: a detach did not take effect, do not wait for it again). */
  private recordAttachment(portId: string, stuck?: true): void {
    this.ledger?.record({
      event: 'created',
      kind: 'attachment',
      id: this.ledger.attachmentId(this.target.serverId, portId),
      url: this.itemUrl(portId),
      server_id: this.target.serverId,
      port_id: portId,
      ...(stuck ? { stuck } : {}),
    });
  }

  /** Ports that are attached now but were not in `before`: the suite's request attached them. */
  static added(before: readonly string[], after: readonly string[]): string[] {
    return after.filter((p) => !before.includes(p));
  }

  /**
   * Reads the server's interfaces until `settled` holds for them, polling with backoff, for at most
   * --detach-timeout-s (and never past the run's deadline or a cancellation): a real cloud is
   * eventually consistent, so an attach may show in the list, and a detach leave it, a while after
   * the answer. Returns the last list read (null when none could be) and whether it settled.
   */
  async waitForInterfaces(
    settled: (list: readonly string[]) => boolean | Promise<boolean>,
  ): Promise<{ list: string[] | null; settled: boolean; waitedMs: number }> {
    const started = Date.now();
    const budget = this.target.detachTimeoutMs;
    const deadlineAt = this.target.manners.deadlineAt;
    const until = Math.min(started + budget, deadlineAt ?? Number.POSITIVE_INFINITY);
    // First look at once, then after budget/600 (100 ms for a minute), doubling up to 2 s (or
    // budget/8): a change a second late is seen soon after, and a minute's wait costs ~35 reads.
    let pause = Math.max(5, Math.round(budget / 600));
    const longest = Math.max(5, Math.min(2_000, Math.round(budget / 8)));
    let list: string[] | null = null;
    for (;;) {
      const now = await this.interfaces();
      if (now !== null) {
        list = now;
        if (await settled(now)) return { list, settled: true, waitedMs: Date.now() - started };
      }
      const left = until - Date.now();
      if (left <= 0 || this.cancellation?.aborted) return { list, settled: false, waitedMs: Date.now() - started };
      await sleep(Math.min(pause, left), this.cancellation ?? undefined);
      pause = Math.min(pause * 2, longest);
    }
  }

  /**
   * DELETE the interface, then wait for the port to leave the list (detach is asynchronous in
   * Nova). Returns the DELETE exchange and whether the port was gone within --detach-timeout-s
   * (null when the list could not be read at all). A port that stays is remembered as stuck.
   */
  async detach(portId: string): Promise<{ exchange: Exchange; gone: boolean | null; waitedMs: number }> {
    const exchange = await this.send({ method: 'DELETE', url: this.itemUrl(portId), headers: this.headers({ microversion: null }, false) });
    // Out of the list is not enough: an attachment the list does not show yet (eventual consistency)
    // is not detached. Show confirms: 404 is gone, 200 is still attached; anything else, the list decides.
    const { list, settled, waitedMs } = await this.waitForInterfaces(async (now) => !now.includes(portId) && (await this.show(portId)).answer?.status !== 200);
    if (settled) {
      this.attachedBySuite.delete(portId);
      if (this.ledgered.delete(portId))
        this.ledger?.record({ event: 'removed', kind: 'attachment', id: this.ledger.attachmentId(this.target.serverId, portId) });
      return { exchange, gone: true, waitedMs };
    }
    if (list !== null && !this.cancellation?.aborted) {
      stuckPorts.add(portId);
      // The final cleanup reads this and does not wait for the port again.
      if (this.ledgered.has(portId)) this.recordAttachment(portId, true);
    }
    return { exchange, gone: list === null ? null : false, waitedMs };
  }

  /** True when an earlier detach of this port did not take effect (it is not waited for again). */
  static isStuck(portId: string): boolean {
    return stuckPorts.has(portId);
  }

  /** The first port whose detach did not take effect in this run, or null. */
  static firstStuck(): string | null {
    return stuckPorts.values().next().value ?? null;
  }

  /**
   * Why the stateful scenarios (attach, then detach) have ended, or null while they go on: once a
   * detach did not take effect (CI-014 failed, with the port's id), every further case would wait
   * the whole --detach-timeout-s again for a detach the cloud does not do.
   */
  static statefulScenariosEnded(): string | null {
    const stuck = TargetSession.firstStuck();
    return stuck === null ? null : `the stateful scenarios ended: a detach did not take effect earlier in the run (port ${stuck})`;
  }

  /**
   * Remembers that an attachment never showed in the list within --detach-timeout-s: CI-013 has
   * failed, and later cases read the list once instead of waiting the whole bound again.
   */
  static noteNeverListed(portId: string): void {
    neverListed ??= portId;
  }

  static get neverListed(): string | null {
    return neverListed;
  }

  /**
   * Detaches every port this file attached that is still attached. Called after every test.
   * Returns the ports found stuck by this call; ports already known stuck are left to the run's
   * final cleanup, without another wait (they were reported when first found).
   */
  async cleanup(): Promise<string[]> {
    const leftovers: string[] = [];
    for (const portId of [...this.attachedBySuite]) {
      if (stuckPorts.has(portId)) continue;
      const { gone } = await this.detach(portId);
      if (!gone) leftovers.push(portId);
    }
    return leftovers;
  }

  // ---- network lookups ---------------------------------------------------------------------------------

  /** Addresses in use on the network, or null without a network endpoint. */
  async usedAddresses(): Promise<Set<string> | null> {
    const { networkUrl, netId } = this.target;
    if (!networkUrl || !netId) return null;
    const base = networkApi(networkUrl);
    const { answer } = await this.send({
      method: 'GET',
      url: `${base}/ports?network_id=${encodeURIComponent(netId)}`,
      headers: this.headers({ microversion: null }, false),
    });
    const ports = (answer?.json as { ports?: Array<{ fixed_ips?: Array<{ ip_address?: unknown }> }> } | undefined)?.ports;
    if (!Array.isArray(ports)) return null;
    const used = new Set<string>();
    for (const port of ports) for (const ip of port.fixed_ips ?? []) if (typeof ip.ip_address === 'string') used.add(ip.ip_address);
    return used;
  }

  /** Ids of the networks the project can see, or null without a network endpoint. */
  async visibleNetworks(): Promise<string[] | null> {
    const { networkUrl } = this.target;
    if (!networkUrl) return null;
    const base = networkApi(networkUrl);
    const { answer } = await this.send({ method: 'GET', url: `${base}/networks`, headers: this.headers({ microversion: null }, false) });
    const networks = (answer?.json as { networks?: Array<{ id?: unknown }> } | undefined)?.networks;
    return Array.isArray(networks) ? networks.map((n) => n.id).filter((id): id is string => typeof id === 'string') : null;
  }

  /** Switches the embedded fake cloud's (or a test cloud's) unavailability on or off. */
  async setUnavailable(enabled: boolean): Promise<boolean> {
    const { controlUrl, controlToken } = this.target;
    if (!controlUrl || !controlToken) return false;
    if (enabled) this.deliberatelyUnavailable = true;
    const { answer } = await this.send(
      {
        method: 'POST',
        url: `${controlUrl}/unavailable`,
        headers: { 'Content-Type': 'application/json', 'X-Control-Token': controlToken },
        body: JSON.stringify({ enabled, retry_after: 1 }),
      },
      { retry: false },
    );
    const switched = answer !== undefined && answer.status >= 200 && answer.status < 300;
    // Back to retrying once the target is available again (or if it could not be switched at all).
    if (!enabled || !switched) this.deliberatelyUnavailable = false;
    return switched;
  }
}

/**
 * The session of the calling test file, created on first use (so a setup error surfaces inside a
 * test, where the reporter records it) and cleaned up after the file's last test.
 */
export function useSession(): () => TargetSession {
  let session: TargetSession | undefined;
  let signal: AbortSignal | null = null;
  // Each test's signal is aborted when the run is cancelled: the session then stops sending.
  beforeEach((context) => {
    signal = context.signal;
    session?.watch(context.signal);
  });
  afterAll(async () => {
    await session?.cleanup();
  });
  return () => {
    if (!session) {
      session = TargetSession.fromInjected();
      if (signal) session.watch(signal);
    }
    return session;
  };
}
