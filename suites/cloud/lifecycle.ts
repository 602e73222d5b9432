/**
 * One run's life in the CLI process, around the vitest run:
 *
 *   prepare     refuse a ledger an earlier run left resources in; resolve the target (start the
 *               embedded cloud, or connect to a cloud); provision (--provision); write the test
 *               server's interfaces to the ledger as its baseline; snapshot what the leak check
 *               compares.
 *   run-end     (the reporter calls it before building the report) compare the snapshot: a leak
 *               is a run problem in the report.
 *   teardown    remove everything the ledger lists, on success, failure, crash, SIGINT, SIGTERM or
 *               deadline; once, whoever asks first.
 *
 * Two deadlines when --deadline-s is given: tests and provisioning stop at the test-phase
 * deadline, which leaves a reserve for the leak check and the cleanup before the hard one.
 */
import { ConfigError, type SuiteConfig } from '../harness/config.ts';
import { HttpClient } from '../harness/http.ts';
import { Redactor } from '../harness/redact.ts';
import {
  allSecretsOf,
  mannersOf,
  newRunId,
  resolveTarget,
  startEmbeddedCloud,
  type EmbeddedCloudHandle,
  type ResolvedTarget,
  type TargetHandoff,
} from '../harness/target.ts';
import { AuthorizedSender, FixedToken } from './authorized.ts';
import { LedgerCleaner, type CleanupReport } from './cleanup.ts';
import { CloudApi, networkApi } from './cloud-api.ts';
import type { CloudConnection } from './connect.ts';
import { CloudAccessError, RunInterrupted } from './errors.ts';
import type { RunInterrupts } from './interrupts.ts';
import { compareSnapshots, takeSnapshot, type LeakScope, type StateSnapshot } from './leak-check.ts';
import { compactLedger, defaultLedgerPath, isSettled, outstanding, readLedger, ResourceLedger } from './ledger.ts';
import { sharedManners, type MannerSettings } from './manners.ts';
import { Provisioner } from './provision.ts';

export interface Deadlines {
  /** Tests and provisioning stop here. */
  readonly testPhaseEndsAt: number | null;
  /** Nothing at all is sent after this; cleanup works up to it. */
  readonly hardDeadlineAt: number | null;
}

/** The reserve kept for leak check and cleanup: a quarter of the run, between 3 s and a minute. */
export function planDeadlines(deadlineS: number | null, now = Date.now()): Deadlines {
  if (deadlineS === null) return { testPhaseEndsAt: null, hardDeadlineAt: null };
  const total = deadlineS * 1000;
  const reserve = Math.min(60_000, Math.max(3_000, total / 4));
  return { testPhaseEndsAt: now + total - reserve, hardDeadlineAt: now + total };
}

export function cleanupMannersOf(config: SuiteConfig, deadlineAt: number | null): MannerSettings {
  return { ...mannersOf(config, deadlineAt), stormThreshold: Number.MAX_SAFE_INTEGER };
}

/** Without a deadline, cleanup still ends: a cloud that hangs cannot hang the suite. */
const CLEANUP_BUDGET_MS = 15 * 60_000;
/** Cleanup after SIGINT/SIGTERM: whoever sent the signal is waiting. */
export const SIGNAL_CLEANUP_BUDGET_MS = 30_000;
/** How long one detach or deletion may take to show, after a signal. */
const SIGNAL_SETTLE_MS = 10_000;
/** Free ports --provision creates for the attach scenarios (the embedded cloud's seed has as many). */
const PROVISIONED_PORTS = 4;

export interface TeardownSummary extends CleanupReport {
  readonly ledgerPath: string | null;
}

export class RunLifecycle {
  readonly runId = newRunId();
  readonly ledgerPath: string | null;
  private readonly ledger: ResourceLedger | null;
  private handle: EmbeddedCloudHandle | null = null;
  private connection: CloudConnection | null = null;
  private api: CloudApi | null = null;
  private before: StateSnapshot | null = null;
  private scope: LeakScope | null = null;
  private tearingDown: Promise<TeardownSummary> | null = null;

  constructor(
    private readonly config: SuiteConfig,
    private readonly interrupts: RunInterrupts,
    private readonly deadlines: Deadlines,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    // The embedded cloud lives and dies with this process: nothing to write down.
    this.ledgerPath = config.mode === 'embedded' ? null : defaultLedgerPath(config.reportDir);
    this.ledger = this.ledgerPath === null ? null : new ResourceLedger(this.ledgerPath, this.runId);
  }

  /**
   * Bounds of the CLI's own requests (connection, provisioning, leak check, cleanup): the hard
   * deadline, and no storm breaker, since cleanup must keep trying while the cloud refuses.
   */
  private cleanupManners(): MannerSettings {
    return cleanupMannersOf(this.config, this.deadlines.hardDeadlineAt);
  }

  /** Refuses to start over resources an earlier run left; clears a ledger whose resources are all gone. */
  checkLedgerIsClear(): void {
    if (this.ledgerPath === null) return;
    const { events } = readLedger(this.ledgerPath);
    if (events.length === 0) return;
    if (!isSettled(outstanding(events))) {
      throw new ConfigError(
        `${this.ledgerPath} lists resources an earlier run did not remove: run \`npm run conformance -- --cleanup-only ${this.ledgerPath}\` (same cloud credentials) first`,
      );
    }
    compactLedger(this.ledgerPath, []);
  }

  async prepare(): Promise<TargetHandoff> {
    this.checkLedgerIsClear();
    const resolved = await resolveTarget(this.config, startEmbeddedCloud, {
      manners: mannersOf(this.config, this.deadlines.testPhaseEndsAt),
      connectionManners: this.cleanupManners(),
      ledgerPath: this.ledgerPath,
      runId: this.runId,
      env: this.env,
    });
    this.handle = resolved.handle;
    this.connection = resolved.connection;
    if (!resolved.handoff.ok) return resolved.handoff;
    let target = resolved.handoff.target;
    this.api = this.connection?.api ?? this.fixedTokenApi(target);
    try {
      if (this.config.provision) target = await this.provision(target);
      await this.recordStart(target);
    } catch (error) {
      if (error instanceof RunInterrupted || error instanceof CloudAccessError) return { ok: false, setupError: error.message };
      throw error;
    }
    return { ok: true, target };
  }

  /** Reads and cleanup for a target with a fixed token (the embedded cloud, --target). */
  private fixedTokenApi(target: ResolvedTarget): CloudApi {
    const client = new HttpClient(new Redactor(allSecretsOf(target)), {
      timeoutMs: target.timeoutMs,
      tls: target.tls,
      manners: sharedManners(this.cleanupManners()),
    });
    const tokens = new FixedToken(target.token);
    const compute = target.useProjectSegment && target.projectId ? `${target.computeBase}/${target.projectId}` : target.computeBase;
    return new CloudApi(new AuthorizedSender(client, tokens, null), tokens, {
      compute,
      network: target.networkUrl ? networkApi(target.networkUrl) : null,
      image: null,
    });
  }

  private async provision(target: ResolvedTarget): Promise<ResolvedTarget> {
    if (!this.ledger || !this.api) throw new CloudAccessError('--provision needs a cloud connection and a ledger');
    const provisioner = new Provisioner(this.api, this.ledger, {
      flavor: this.config.flavor,
      image: this.config.image,
      bootTimeoutMs: this.config.bootTimeoutS * 1000,
      portCount: PROVISIONED_PORTS,
      signal: this.interrupts.signal,
    });
    const made = await provisioner.run(this.runId);
    return { ...target, serverId: made.serverId, portIds: made.portIds, netId: made.netId, subnet: made.subnet };
  }

  /** The server's interfaces go to the ledger (never to be touched), and the leak check's snapshot is taken. */
  private async recordStart(target: ResolvedTarget): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.scope = { serverId: target.serverId, projectId: target.projectId, networkIds: target.netId ? [target.netId] : [] };
    this.before = await takeSnapshot(api, this.scope);
    if (this.ledger && this.before.interfaces !== null) {
      this.ledger.record({
        event: 'baseline',
        kind: 'server-interfaces',
        server_id: target.serverId,
        url: api.interfacesUrl(target.serverId),
        port_ids: this.before.interfaces,
      });
    }
  }

  /** Leaks, as run problems for the report; [] when interrupted by a signal (cleanup comes first then). */
  async runEndChecks(): Promise<string[]> {
    // The report says which deadline cut the run short (the default one may surprise a reader).
    const cutShort =
      this.interrupts.reason === 'deadline'
        ? [
            `the ${this.config.deadlineIsDefault ? 'default deadline for a cloud or --target' : '--deadline-s'} of ${this.config.deadlineS ?? 0} s cut the run short`,
          ]
        : [];
    if (!this.api || !this.before || !this.scope || this.interrupts.signalExitCode !== null) return cutShort;
    const after = await takeSnapshot(this.api, this.scope);
    return [...cutShort, ...compareSnapshots(this.before, after, this.scope).leaks];
  }

  /**
   * Removes what the ledger lists and closes the embedded cloud; runs once, whoever calls first.
   * `progress` hears what cleanup is doing (after a signal: its budget, then each resource).
   */
  teardown(progress?: (line: string) => void): Promise<TeardownSummary> {
    this.tearingDown ??= this.removeEverything(progress);
    return this.tearingDown;
  }

  private async removeEverything(progress: ((line: string) => void) | undefined): Promise<TeardownSummary> {
    let report: CleanupReport = { removed: [], alreadyGone: [], remaining: [] };
    try {
      if (this.ledger && this.api) {
        // After SIGINT/SIGTERM someone is waiting: a short, stated budget, and a short wait per
        // detach, instead of minutes of polling a cloud that may never show the port gone.
        const signal = this.interrupts.reason === 'SIGINT' || this.interrupts.reason === 'SIGTERM' ? this.interrupts.reason : null;
        const budgetEnd = Date.now() + (signal ? SIGNAL_CLEANUP_BUDGET_MS : CLEANUP_BUDGET_MS);
        const deadlineAt = Math.min(this.deadlines.hardDeadlineAt ?? budgetEnd, budgetEnd);
        // One bounded wait for what is still detaching (--detach-timeout-s), however many resources.
        const detachMs = this.config.detachTimeoutS * 1000;
        const settleMs = this.config.mode === 'embedded' ? 5_000 : signal ? Math.min(SIGNAL_SETTLE_MS, detachMs) : detachMs;
        const pending = outstanding(readLedger(this.ledger.file).events);
        const count = pending.created.length + pending.unconfirmed.length;
        if (signal && count > 0) {
          progress?.(
            `${signal}: removing ${count} resource(s) the run created, for at most ${Math.round((deadlineAt - Date.now()) / 1000)} s (signal again to exit at once; what is left stays in ${this.ledger.file} for --cleanup-only)`,
          );
        }
        report = await new LedgerCleaner(this.api, this.ledger, { settleMs, deadlineAt, afterRun: true, ...(signal && progress ? { progress } : {}) }).run();
      } else if (this.ledger && this.ledger.written > 0 && this.ledgerPath !== null && !isSettled(outstanding(readLedger(this.ledgerPath).events))) {
        report = { removed: [], alreadyGone: [], remaining: [`the resources in ${this.ledgerPath}: the cloud could not be reached to remove them`] };
      }
    } finally {
      await this.handle?.close();
    }
    return { ...report, ledgerPath: this.ledgerPath };
  }
}
