/**
 * What stops a run early, in the CLI process: SIGINT, SIGTERM, or the run's deadline. The first one
 * aborts the run's signal and calls the registered stoppers (cancel the vitest run); the run then
 * cleans up what it created and exits (130 for SIGINT, 143 for SIGTERM, as shells report them). A
 * second signal exits at once, pointing at the ledger for a later --cleanup-only.
 *
 * vitest installs its own SIGINT/SIGTERM handlers, which exit the process after a millisecond:
 * `adoptSignals` takes them off (they are only for restoring the terminal's cursor) so that cleanup
 * can finish.
 */

/** Set (to "1") while the CLI owns SIGINT/SIGTERM; inherited by the test workers (harness/worker-signals.ts). */
export const SIGNALS_OWNED_ENV = 'OSI_SIGNALS_OWNED';

export type InterruptReason = 'SIGINT' | 'SIGTERM' | 'deadline';

const EXIT_CODES: Readonly<Record<Exclude<InterruptReason, 'deadline'>, number>> = { SIGINT: 130, SIGTERM: 143 };

export class RunInterrupts {
  private readonly controller = new AbortController();
  private readonly stoppers: Array<(reason: InterruptReason) => void> = [];
  private deadlineTimer: NodeJS.Timeout | undefined;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();
  reason: InterruptReason | null = null;

  constructor(
    /** One line to stderr. */
    private readonly say: (line: string) => void,
    /** Named in the message of a second signal. */
    private readonly ledgerHint: string | null,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The exit code a signal asks for, or null (no signal, or only the deadline). */
  get signalExitCode(): number | null {
    return this.reason === 'SIGINT' || this.reason === 'SIGTERM' ? EXIT_CODES[this.reason] : null;
  }

  install(): void {
    process.env[SIGNALS_OWNED_ENV] = '1';
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const handler = (): void => this.onSignal(name);
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
  }

  uninstall(): void {
    delete process.env[SIGNALS_OWNED_ENV];
    for (const [name, handler] of this.handlers) process.off(name, handler);
    this.handlers.clear();
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
  }

  /** Removes every other SIGINT/SIGTERM listener (vitest's), keeping ours. */
  adoptSignals(): void {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const ours = this.handlers.get(name);
      for (const listener of process.listeners(name)) if (listener !== ours) process.off(name, listener as () => void);
    }
  }

  /** Calls `stop` when the run is interrupted (at once if it already was). */
  onInterrupt(stop: (reason: InterruptReason) => void): void {
    this.stoppers.push(stop);
    if (this.reason !== null) stop(this.reason);
  }

  /** Interrupts the run at `at` (epoch ms). */
  armDeadline(at: number): void {
    this.deadlineTimer = setTimeout(() => this.interrupt('deadline'), Math.max(0, at - Date.now()));
    this.deadlineTimer.unref();
  }

  interrupt(reason: InterruptReason): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.controller.abort(reason);
    for (const stop of this.stoppers) {
      try {
        stop(reason);
      } catch {
        // A stopper that fails must not keep the others (or the cleanup) from running.
      }
    }
  }

  private onSignal(name: 'SIGINT' | 'SIGTERM'): void {
    if (this.reason === 'SIGINT' || this.reason === 'SIGTERM') {
      this.say(`${name} again: exiting without finishing the cleanup${this.ledgerHint ? `; remove what is left with --cleanup-only ${this.ledgerHint}` : ''}`);
      process.exit(EXIT_CODES[name]);
    }
    if (this.reason === 'deadline') {
      // Already stopping for the deadline: the signal still decides the exit code.
      this.reason = name;
      return;
    }
    this.say(`${name}: stopping the run${this.ledgerHint ? ' and removing what it created' : ''} (signal again to exit at once)`);
    this.interrupt(name);
  }
}
