/**
 * The suite's own token, renewed when it runs out: before expires_at (when little of its life is
 * left), or when a request made with it is answered 401. Only tokens this object obtained are ever
 * renewed: a 401 to a bogus or foreign token (the suite's 401 and isolation scenarios) is an
 * answer to judge, never a reason to re-authenticate.
 *
 * It crosses to the test workers as a CredentialHandoff (plain data, with the credentials: a worker
 * must be able to renew on its own), and one instance per process serves every test file.
 */
import type { HttpClient } from '../harness/http.ts';
import type { AuthMethod } from './clouds-yaml.ts';
import { authenticate } from './keystone.ts';

export interface CredentialHandoff {
  readonly authUrl: string;
  readonly auth: AuthMethod;
  readonly token: string;
  readonly expiresAt: number | null;
  /** When the token was obtained (epoch ms): with expiresAt, its lifetime. */
  readonly obtainedAt: number;
}

/** Renew when less than this share of the token's lifetime is left (at most a minute before). */
const RENEW_WHEN_LEFT = 0.2;
const MAX_MARGIN_MS = 60_000;

export class RenewableToken {
  private current: string;
  private expiresAt: number | null;
  private obtainedAt: number;
  private readonly issued = new Set<string>();
  private renewing: Promise<string | null> | null = null;
  /** How many times the token was renewed, for the run's summary. */
  renewals = 0;

  constructor(
    private readonly handoff: CredentialHandoff,
    private readonly client: HttpClient,
  ) {
    this.current = handoff.token;
    this.expiresAt = handoff.expiresAt;
    this.obtainedAt = handoff.obtainedAt;
    this.issued.add(handoff.token);
  }

  get token(): string {
    return this.current;
  }

  /** Whether the token was obtained by this credential (now or earlier). */
  isOwn(token: string): boolean {
    return this.issued.has(token);
  }

  /** The current state, for handing to another process. */
  snapshot(): CredentialHandoff {
    return { ...this.handoff, token: this.current, expiresAt: this.expiresAt, obtainedAt: this.obtainedAt };
  }

  private nearExpiry(now: number): boolean {
    if (this.expiresAt === null) return false;
    const margin = Math.min(MAX_MARGIN_MS, Math.max(0, (this.expiresAt - this.obtainedAt) * RENEW_WHEN_LEFT));
    return now >= this.expiresAt - margin;
  }

  /** The token to send now: renewed first when it is about to expire (kept if renewal fails). */
  async fresh(now = Date.now()): Promise<string> {
    if (!this.nearExpiry(now)) return this.current;
    return (await this.renew(this.current)) ?? this.current;
  }

  /**
   * A new token after `rejected` was refused; null when authentication fails. Concurrent callers
   * share one request, and a caller whose token was already replaced gets the replacement.
   */
  renew(rejected: string): Promise<string | null> {
    if (rejected !== this.current) return Promise.resolve(this.current);
    this.renewing ??= this.authenticateAgain().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async authenticateAgain(): Promise<string | null> {
    try {
      const obtainedAt = Date.now();
      const fresh = await authenticate(this.client, this.handoff.authUrl, this.handoff.auth);
      this.current = fresh.token;
      this.expiresAt = fresh.expiresAt;
      this.obtainedAt = obtainedAt;
      this.issued.add(fresh.token);
      this.renewals += 1;
      return fresh.token;
    } catch {
      return null;
    }
  }
}

const perProcess = new Map<string, RenewableToken>();

/** One RenewableToken per credential and process, so test files share renewals. */
export function sharedRenewableToken(handoff: CredentialHandoff, makeClient: () => HttpClient): RenewableToken {
  const key = JSON.stringify([handoff.authUrl, handoff.auth]);
  let credential = perProcess.get(key);
  if (!credential) {
    credential = new RenewableToken(handoff, makeClient());
    perProcess.set(key, credential);
  }
  return credential;
}
