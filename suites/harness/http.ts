/**
 * The suite's HTTP client: sends exactly the bytes a scenario asks for (any method, any headers,
 * bodies that are not JSON), never follows redirects (a token must not travel to another origin),
 * bounds every request by a timeout, and returns a redacted record with a curl reproduction.
 *
 * With Manners (suites/cloud/manners.ts) it also keeps to the run's bounds on a shared cloud: a
 * concurrency and rate limit, 429/503 retried after Retry-After a bounded number of times (each
 * retry written into the record), nothing sent after the run's deadline, and nothing sent once the
 * cloud has refused request after request (a 503 storm). A request that stays 429/503 through
 * every retry comes back with no answer: the suite could not judge it, which is an "error", never
 * a failure of the requirement. Callers that must see the 503 itself (the unavailability scenario)
 * send with `retry: false`.
 *
 * A server may close a kept-alive connection right after its answer without saying so (uwsgi's
 * http-socket does): a request that then fails on the reused socket before any byte of its answer
 * never reached the server, and is sent again once on a new connection (written into the record).
 *
 * node:http with a keep-alive agent rather than fetch: fetch normalises headers and bodies
 * (it would refuse some of the malformed requests the negative scenarios need) and its
 * per-request overhead is higher on the hot path.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { CloudConfigError } from '../cloud/errors.ts';
import { RETRYABLE_STATUSES, backoffMs, retryAfterMs, type Manners } from '../cloud/manners.ts';
import { sleep } from './async.ts';
import { CUT_SHORT_RECORD_HEADER, RECONNECT_RECORD_HEADER, RETRIES_RECORD_HEADER, type ExchangeRecord } from '../../contract/outcome-types.ts';
import type { Redactor } from './redact.ts';

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as UTF-8; undefined sends no body (and no Content-Length). */
  readonly body?: string | Buffer;
}

export interface HttpAnswer {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /**
   * Set when the status and headers came but the body did not end (the connection was reset or
   * closed first): why. `text` holds what came. The status is an observation; a body that does
   * not parse is not (checks that read it say so as an error, never a failure).
   */
  readonly cutShort?: string;
}

export interface Exchange {
  readonly record: ExchangeRecord;
  /** Undefined when no answer came (see record.transportError). */
  readonly answer?: HttpAnswer;
  /** The system error code when no answer came (ENOTFOUND, ECONNREFUSED, a TLS code), or "TIMEOUT". */
  readonly transportCode?: string;
}

/** TLS trust for https: a CA bundle (PEM file) instead of the system's roots, or no verification. */
export interface TlsSettings {
  readonly caFile: string | null;
  readonly insecure: boolean;
}

export interface HttpClientOptions {
  readonly timeoutMs: number;
  readonly tls?: TlsSettings;
  readonly manners?: Manners;
}

export interface SendOptions {
  /** Retry 429/503 after Retry-After (default true; it only happens with Manners). */
  readonly retry?: boolean;
}

/** Report bodies are cut here: evidence must stay readable and reports small. */
const EVIDENCE_BODY_LIMIT = 4096;
/** Answers larger than this are not read further: a broken target must not exhaust memory. */
const ANSWER_BODY_LIMIT = 4 * 1024 * 1024;

/** Enough sockets for the largest --concurrency; the Manners bound decides how many are used. */
const MAX_SOCKETS = 64;
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
const tlsAgents = new Map<string, https.Agent>();

/** One agent per CA bundle and verification choice, shared by every client of the process. */
function httpsAgentFor(tls: TlsSettings | undefined): https.Agent {
  if (!tls || (tls.caFile === null && !tls.insecure)) return httpsAgent;
  const key = `${tls.caFile ?? ''}\n${tls.insecure}`;
  let agent = tlsAgents.get(key);
  if (!agent) {
    let ca: Buffer | undefined;
    if (tls.caFile !== null) {
      try {
        ca = readFileSync(tls.caFile);
      } catch (error) {
        throw new CloudConfigError(`--cacert ${tls.caFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    }
    agent = new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, rejectUnauthorized: !tls.insecure, ...(ca ? { ca } : {}) });
    tlsAgents.set(key, agent);
  }
  return agent;
}

/**
 * Told of every exchange a client of this process completes, when it completes. The HAR recorder
 * (suites/harness/har-recorder.ts) listens here, so recording needs nothing from the callers.
 */
export type ExchangeObserver = (exchange: Exchange, startedAt: Date) => void;
const observers = new Set<ExchangeObserver>();

/** Adds an observer; returns the function that removes it. */
export function observeExchanges(observer: ExchangeObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

interface Attempt {
  readonly answer?: HttpAnswer;
  readonly transportError?: string;
  readonly transportCode?: string;
  /** Why the request went out a second time on a new connection, when it did. */
  readonly reconnected?: string;
}

/** Codes of a kept-alive socket that the server had closed by the time the request reached it. */
const STALE_SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * A request that failed on a reused (kept-alive) socket before any byte of the answer came: the
 * server closed the connection after its previous answer without `Connection: close` (uwsgi's
 * http-socket does, Debian's nova-api default), so this request never reached it and may be sent
 * again, once, on a new connection (Node's documentation gives the same rule for reusedSocket).
 */
class StaleSocketError extends Error {
  constructor(readonly code: string) {
    super(`${code} on a reused kept-alive connection before any byte of the answer (the server had closed it)`);
    this.name = 'StaleSocketError';
  }
}

export class HttpClient {
  private readonly timeoutMs: number;
  private readonly tlsAgent: https.Agent;
  private readonly manners: Manners | undefined;

  constructor(
    private readonly redactor: Redactor,
    options: number | HttpClientOptions,
  ) {
    const settings = typeof options === 'number' ? { timeoutMs: options } : options;
    this.timeoutMs = settings.timeoutMs;
    this.tlsAgent = httpsAgentFor(settings.tls);
    this.manners = settings.manners;
  }

  async send(request: HttpRequest, options: SendOptions = {}): Promise<Exchange> {
    const startedAt = new Date();
    const started = performance.now();
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    const manners = this.manners;
    const retry = options.retry !== false && manners !== undefined;
    const retried: string[] = [];
    let attempt: Attempt;
    for (let tries = 0; ; tries++) {
      const refusal = this.refusalBeforeSending(retry);
      if (refusal !== null) {
        attempt = { transportError: refusal, transportCode: 'NOT_SENT' };
        break;
      }
      attempt = await this.attempt(request.method, request.url, headers, body);
      const status = attempt.answer?.status;
      if (!retry || status === undefined || !RETRYABLE_STATUSES.has(status)) break;
      const wait = retryAfterMs(attempt.answer?.headers['retry-after']) ?? backoffMs(tries);
      const reason = `${status}${attempt.answer?.headers['retry-after'] !== undefined ? ` Retry-After ${attempt.answer.headers['retry-after']}` : ''}`;
      if (tries >= manners.settings.retries || wait > manners.settings.maxRetryWaitMs || wait >= manners.remainingMs()) {
        retried.push(`${reason} → gave up`);
        manners.noteRefusedThroughout(status, tries + 1);
        attempt = {
          ...attempt,
          transportError: `still ${status} after ${tries + 1} attempt(s) (${retried.join('; ')}): the service would not serve the request`,
          transportCode: `HTTP_${status}`,
        };
        break;
      }
      retried.push(`${reason} → waited ${wait} ms`);
      await sleep(wait);
    }
    if (retry && attempt.answer && !attempt.transportError) manners?.noteServed();
    // A request refused through every retry keeps its last answer in the record, but not as an answer.
    const served = attempt.transportError === undefined ? attempt.answer : undefined;
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    // The redacted record and its curl line are built only when asked for: a report keeps a few
    // exchanges per requirement out of thousands, and building every one was a measurable part of
    // the suite's cost per exchange (BENCHMARKS.md).
    const build = (): ExchangeRecord => this.record(request, headers, body, attempt, retried, durationMs);
    const exchange = new LazyExchange(build, served, served ? undefined : attempt.transportCode);
    for (const observer of observers) observer(exchange, startedAt);
    return exchange;
  }

  /** The redacted record of one exchange, with its curl reproduction. */
  private record(
    request: HttpRequest,
    headers: Record<string, string>,
    body: Buffer | undefined,
    attempt: Attempt,
    retried: readonly string[],
    durationMs: number,
  ): ExchangeRecord {
    const shown = attempt.answer;
    const responseHeaders = shown
      ? {
          ...this.redactor.headers(shown.headers),
          ...(retried.length > 0 ? { [RETRIES_RECORD_HEADER]: retried.join('; ') } : {}),
          ...(attempt.reconnected !== undefined ? { [RECONNECT_RECORD_HEADER]: attempt.reconnected } : {}),
          ...(shown.cutShort !== undefined ? { [CUT_SHORT_RECORD_HEADER]: shown.cutShort } : {}),
        }
      : undefined;
    return {
      request: {
        method: request.method,
        url: this.redactor.text(request.url),
        headers: this.redactor.headers(headers),
        ...(body !== undefined ? { body: this.redactor.text(truncate(body.toString('utf8'))) } : {}),
      },
      ...(shown && responseHeaders ? { response: { status: shown.status, headers: responseHeaders, body: this.redactor.text(truncate(shown.text)) } } : {}),
      ...(attempt.transportError ? { transportError: attempt.transportError } : {}),
      durationMs,
      curl: this.curl(request.method, request.url, headers, body),
    };
  }

  /** Why the request must not be sent now (deadline passed, storm), or null. */
  private refusalBeforeSending(retry: boolean): string | null {
    const manners = this.manners;
    if (!manners) return null;
    if (manners.remainingMs() <= 0) return "not sent: the run's deadline has passed";
    if (retry && manners.stormReason !== null) return `not sent: ${manners.stormReason}`;
    return null;
  }

  /** One try within the bounds: waits for a slot, sends, gives the slot back. */
  private async attempt(method: string, url: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Attempt> {
    const release = this.manners ? await this.manners.acquire() : null;
    try {
      return await this.attemptOnce(method, url, headers, body);
    } finally {
      release?.();
    }
  }

  /** One try, and once more on a new connection when the pooled one turned out to be closed. */
  private async attemptOnce(method: string, url: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Attempt> {
    const started = performance.now();
    const timeoutMs = Math.max(1, Math.min(this.timeoutMs, this.manners?.remainingMs() ?? Number.POSITIVE_INFINITY));
    let reconnected: string;
    try {
      return { answer: await this.transmit(method, url, headers, body, timeoutMs) };
    } catch (error) {
      if (!(error instanceof StaleSocketError)) return transportFailure(error, timeoutMs);
      reconnected = error.message;
    }
    // On a connection of its own: every other pooled socket may be as stale as the first. Within
    // what is left of the same timeout, so the request as a whole keeps its bound.
    const left = Math.max(1, timeoutMs - Math.round(performance.now() - started));
    const fresh = freshAgentLike(url.startsWith('https:') ? this.tlsAgent : httpAgent);
    try {
      return { answer: await this.transmit(method, url, headers, body, left, fresh), reconnected };
    } catch (error) {
      const failed = transportFailure(error, left);
      return { ...failed, transportError: `${failed.transportError ?? 'no answer'} (sent again on a new connection after ${reconnected})`, reconnected };
    } finally {
      fresh.destroy();
    }
  }

  /**
   * Sends once on `agent` (the shared keep-alive pool by default). A failure on a reused socket
   * before the answer began is a StaleSocketError, for attempt() to send again.
   */
  private transmit(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    timeoutMs: number,
    agent?: http.Agent,
  ): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const isHttps = target.protocol === 'https:';
      let answered = false;
      let settled = false;
      /** Once the head has come: the answer so far, to keep if the body is cut short. */
      let partial: ((why: string) => HttpAnswer) | null = null;
      const finish = (outcome: { answer: HttpAnswer } | { error: Error }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if ('answer' in outcome) resolve(outcome.answer);
        else reject(outcome.error);
      };
      /**
       * A failure after the head came keeps the head: a server that answers before reading the whole
       * request (uwsgi's 413 from oslo.middleware sizelimit) resets the connection when it closes it,
       * and the reset may reach the client before the body's end, or while it is still sending.
       */
      const failed = (error: NodeJS.ErrnoException): void => {
        if (partial !== null && !(error instanceof TimeoutError)) {
          finish({ answer: partial(error.code ?? error.message) });
          return;
        }
        const code = error.code ?? '';
        finish({ error: req.reusedSocket && !answered && STALE_SOCKET_CODES.has(code) ? new StaleSocketError(code) : error });
      };
      const req = (isHttps ? https : http).request(
        target,
        { method, headers, agent: agent ?? (isHttps ? this.tlsAgent : httpAgent), timeout: timeoutMs },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          const status = res.statusCode ?? 0;
          const responseHeaders = flattenHeaders(res.headers);
          const text = (): string => Buffer.concat(chunks).toString('utf8');
          partial = (why) => answerOf(status, responseHeaders, text(), `${why} after the status, headers and ${size} byte(s) of the body`);
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= ANSWER_BODY_LIMIT) chunks.push(chunk);
          });
          res.on('error', failed);
          res.on('end', () => finish({ answer: answerOf(status, responseHeaders, text()) }));
          // Closed without an end and without an error (node reports some resets only this way).
          res.on('close', () => {
            if (!res.complete) failed(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' }));
          });
        },
      );
      // `timeout` above only covers socket idleness; a target that trickles bytes forever is cut here.
      const deadline = setTimeout(() => req.destroy(new TimeoutError()), timeoutMs);
      req.on('timeout', () => req.destroy(new TimeoutError()));
      req.on('error', failed);
      req.end(body);
    });
  }

  private curl(method: string, url: string, headers: Record<string, string>, body: Buffer | undefined): string {
    const parts = ['curl', '-i', '-X', shellQuote(method), shellQuote(this.redactor.text(url))];
    for (const [name, value] of Object.entries(this.redactor.headers(headers))) {
      if (name.toLowerCase() === 'content-length') continue;
      // Credentials become "$OS_TOKEN": double quotes so the shell expands them.
      parts.push('-H', value.startsWith('$') ? `"${name}: ${value}"` : shellQuote(`${name}: ${value}`));
    }
    if (body !== undefined) parts.push('--data-binary', shellQuote(this.redactor.text(truncate(body.toString('utf8')))));
    return parts.join(' ');
  }
}

/** An exchange whose redacted record is built on first use. */
class LazyExchange implements Exchange {
  private built: ExchangeRecord | undefined;

  constructor(
    private readonly build: () => ExchangeRecord,
    readonly answer: HttpAnswer | undefined,
    readonly transportCode: string | undefined,
  ) {}

  get record(): ExchangeRecord {
    this.built ??= this.build();
    return this.built;
  }
}

/** A one-request agent with the pool's settings (TLS trust included), so the bytes sent are the same. */
function freshAgentLike(pool: http.Agent): http.Agent {
  const options = (pool as http.Agent & { options?: https.AgentOptions }).options ?? {};
  return pool instanceof https.Agent
    ? new https.Agent({ ...options, keepAlive: true, maxSockets: 1 })
    : new http.Agent({ ...options, keepAlive: true, maxSockets: 1 });
}

function transportFailure(error: unknown, timeoutMs: number): Attempt {
  return {
    transportError: describeTransportError(error, timeoutMs),
    transportCode: error instanceof TimeoutError ? 'TIMEOUT' : ((error as NodeJS.ErrnoException).code ?? 'ERROR'),
  };
}

class TimeoutError extends Error {
  constructor() {
    super('timeout');
    this.name = 'TimeoutError';
  }
}

function describeTransportError(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** An answer whose body is parsed as JSON the first time it is read (many answers never are). */
function answerOf(status: number, headers: Record<string, string>, text: string, cutShort?: string): HttpAnswer {
  let parsed: { value: unknown } | undefined;
  return {
    status,
    headers,
    text,
    ...(cutShort !== undefined ? { cutShort } : {}),
    get json(): unknown {
      parsed ??= { value: parseJson(text) };
      return parsed.value;
    },
  };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  return text.length <= EVIDENCE_BODY_LIMIT ? text : `${text.slice(0, EVIDENCE_BODY_LIMIT)}… (${text.length - EVIDENCE_BODY_LIMIT} more characters)`;
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
