/**
 * The suite's HTTP client: sends exactly the bytes a scenario asks for (any method, any headers,
 * bodies that are not JSON), never follows redirects (a token must not travel to another origin),
 * bounds every request by a timeout, and returns a redacted record with a curl reproduction.
 *
 * node:http with a keep-alive agent rather than fetch: fetch normalises headers and bodies
 * (it would refuse some of the malformed requests the negative scenarios need) and its
 * per-request overhead is higher on the hot path.
 */
import http from 'node:http';
import https from 'node:https';
import type { ExchangeRecord } from './outcome-types.ts';
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
}

export interface Exchange {
  readonly record: ExchangeRecord;
  /** Undefined when no answer came (see record.transportError). */
  readonly answer?: HttpAnswer;
}

/** Report bodies are cut here: evidence must stay readable and reports small. */
const EVIDENCE_BODY_LIMIT = 4096;
/** Answers larger than this are not read further: a broken target must not exhaust memory. */
const ANSWER_BODY_LIMIT = 4 * 1024 * 1024;

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });

export class HttpClient {
  constructor(
    private readonly redactor: Redactor,
    private readonly timeoutMs: number,
  ) {}

  async send(request: HttpRequest): Promise<Exchange> {
    const started = performance.now();
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    let answer: HttpAnswer | undefined;
    let transportError: string | undefined;
    try {
      answer = await this.transmit(request.method, request.url, headers, body);
    } catch (error) {
      transportError = describeTransportError(error, this.timeoutMs);
    }
    const record: ExchangeRecord = {
      request: {
        method: request.method,
        url: this.redactor.text(request.url),
        headers: this.redactor.headers(headers),
        ...(body !== undefined ? { body: this.redactor.text(truncate(body.toString('utf8'))) } : {}),
      },
      ...(answer
        ? { response: { status: answer.status, headers: this.redactor.headers(answer.headers), body: this.redactor.text(truncate(answer.text)) } }
        : {}),
      ...(transportError ? { transportError } : {}),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      curl: this.curl(request.method, request.url, headers, body),
    };
    return answer ? { record, answer } : { record };
  }

  private transmit(method: string, url: string, headers: Record<string, string>, body: Buffer | undefined): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const isHttps = target.protocol === 'https:';
      const req = (isHttps ? https : http).request(
        target,
        { method, headers, agent: isHttps ? httpsAgent : httpAgent, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= ANSWER_BODY_LIMIT) chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(deadline);
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), text, json: parseJson(text) });
          });
        },
      );
      // `timeout` above only covers socket idleness; a target that trickles bytes forever is cut here.
      const deadline = setTimeout(() => req.destroy(new TimeoutError()), this.timeoutMs);
      req.on('timeout', () => req.destroy(new TimeoutError()));
      req.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
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
