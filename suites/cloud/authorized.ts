/**
 * Sending with the suite's own token: it goes only to the origins of the catalog (never to a
 * redirect target or anywhere else), it is renewed before it expires, and a 401 to it is answered
 * by re-authenticating once and sending again. Requests that carry another token, or none, are
 * sent exactly as given: their 401 is what a scenario judges.
 */
import type { Exchange, HttpClient, HttpRequest, SendOptions } from '../harness/http.ts';

/** Where the suite's token comes from: a fixed --token, or a RenewableToken. */
export interface TokenSource {
  readonly token: string;
  isOwn(token: string): boolean;
  /** The token to send now (renewed first when about to expire). */
  fresh(): Promise<string>;
  /** A replacement after `rejected` got 401, or null. */
  renew(rejected: string): Promise<string | null>;
}

/** A token given on the command line: sent as is, never renewed. */
export class FixedToken implements TokenSource {
  constructor(readonly token: string) {}
  isOwn(token: string): boolean {
    return token === this.token;
  }
  fresh(): Promise<string> {
    return Promise.resolve(this.token);
  }
  renew(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

const TOKEN_HEADER = 'x-auth-token';

function tokenHeaderName(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  return headers ? Object.keys(headers).find((name) => name.toLowerCase() === TOKEN_HEADER) : undefined;
}

function withToken(request: HttpRequest, name: string, token: string): HttpRequest {
  return { ...request, headers: { ...request.headers, [name]: token } };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export class AuthorizedSender {
  constructor(
    private readonly client: HttpClient,
    private readonly tokens: TokenSource,
    /** Origins the suite's token may go to; null: no restriction (the embedded cloud, a given target). */
    private readonly allowedOrigins: ReadonlySet<string> | null,
  ) {}

  async send(request: HttpRequest, options: SendOptions = {}): Promise<Exchange> {
    const header = tokenHeaderName(request.headers);
    const sent = header === undefined ? undefined : request.headers?.[header];
    if (header === undefined || sent === undefined || !this.tokens.isOwn(sent)) return this.client.send(request, options);
    const origin = originOf(request.url);
    if (this.allowedOrigins !== null && (origin === null || !this.allowedOrigins.has(origin))) {
      return {
        record: {
          request: { method: request.method, url: request.url, headers: {} },
          transportError: `not sent: the suite's token goes only to the catalog's endpoints, not to ${origin ?? 'that URL'}`,
          durationMs: 0,
          curl: '',
        },
        transportCode: 'NOT_SENT',
      };
    }
    let outgoing = request;
    const fresh = await this.tokens.fresh();
    if (fresh !== sent) outgoing = withToken(request, header, fresh);
    const exchange = await this.client.send(outgoing, options);
    if (exchange.answer?.status !== 401) return exchange;
    const renewed = await this.tokens.renew(fresh);
    if (renewed === null || renewed === fresh) return exchange;
    return this.client.send(withToken(request, header, renewed), options);
  }
}
