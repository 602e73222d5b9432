/**
 * One line of a run's HAR part file: an exchanges.har entry (HAR 1.2) built from the redacted
 * ExchangeRecord the reports show, tagged with what the suite knows beyond HTTP. The test workers
 * write these lines (suites/harness/har-recorder.ts); reporters/har.ts streams them into the HAR.
 */
import { rmSync } from 'node:fs';
import { RETRIES_RECORD_HEADER, type ExchangeRecord } from './outcome-types.ts';
import { redactDeep, type KnownSecret } from './redact.ts';

/** The part file the workers append to while the run goes on (removed once the HAR is written). */
export const HAR_PART_FILE = 'exchanges.har.part';
/** Environment variable naming the part file, set by whoever starts the run; workers inherit it. */
export const HAR_PART_ENV = 'OSI_HAR_PART';

export interface HarNameValue {
  readonly name: string;
  readonly value: string;
}

/** What the suite knows about an exchange beyond HTTP. */
export interface ExchangeTags {
  readonly scenario: string;
  readonly casePath: string | null;
  readonly seed: number | null;
  readonly requirements: readonly string[];
  /** create, collection-other-method or support (suites/harness/session.ts ExchangeKind). */
  readonly kind: string;
}

export interface HarEntry {
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly httpVersion: string;
    readonly cookies: readonly never[];
    readonly headers: readonly HarNameValue[];
    readonly queryString: readonly HarNameValue[];
    readonly postData?: { readonly mimeType: string; readonly text: string };
    readonly headersSize: -1;
    readonly bodySize: number;
  };
  readonly response: {
    /** 0 when no answer came (as browsers record a failed request); `_error` says why. */
    readonly status: number;
    readonly statusText: string;
    readonly httpVersion: string;
    readonly cookies: readonly never[];
    readonly headers: readonly HarNameValue[];
    readonly content: { readonly size: number; readonly mimeType: string; readonly text: string };
    readonly redirectURL: string;
    readonly headersSize: -1;
    readonly bodySize: number;
    readonly _error?: string;
    /** The 429/503 answers the suite retried before this one. */
    readonly _retried?: string;
  };
  readonly cache: Record<string, never>;
  readonly timings: { readonly send: number; readonly wait: number; readonly receive: number };
  readonly _scenario: string;
  readonly _casePath: string | null;
  readonly _seed: number | null;
  readonly _requirements: readonly string[];
  readonly _kind: string;
}

function headerList(headers: Readonly<Record<string, string>>): HarNameValue[] {
  return Object.entries(headers)
    .filter(([name]) => name !== RETRIES_RECORD_HEADER)
    .map(([name, value]) => ({ name, value }));
}

function headerValue(headers: Readonly<Record<string, string>>, wanted: string): string | undefined {
  const found = Object.keys(headers).find((name) => name.toLowerCase() === wanted);
  return found === undefined ? undefined : headers[found];
}

function queryOf(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** One HAR entry from an exchange record, redacted as the reports are. */
export function harEntryOf(exchange: ExchangeRecord, startedAt: Date, tags: ExchangeTags, secrets: readonly KnownSecret[]): HarEntry {
  const record = redactDeep(exchange, secrets);
  const { request, response } = record;
  const requestBody = request.body;
  const retried = response ? response.headers[RETRIES_RECORD_HEADER] : undefined;
  return {
    startedDateTime: startedAt.toISOString(),
    time: record.durationMs,
    request: {
      method: request.method,
      url: request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(request.headers),
      queryString: queryOf(request.url),
      ...(requestBody !== undefined ? { postData: { mimeType: headerValue(request.headers, 'content-type') ?? '', text: requestBody } } : {}),
      headersSize: -1,
      bodySize: requestBody === undefined ? 0 : Buffer.byteLength(requestBody, 'utf8'),
    },
    response: {
      status: response?.status ?? 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: response ? headerList(response.headers) : [],
      content: {
        size: response ? Buffer.byteLength(response.body, 'utf8') : 0,
        mimeType: (response && headerValue(response.headers, 'content-type')) ?? '',
        text: response?.body ?? '',
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: response ? Buffer.byteLength(response.body, 'utf8') : 0,
      ...(record.transportError !== undefined ? { _error: record.transportError } : {}),
      ...(retried !== undefined ? { _retried: retried } : {}),
    },
    cache: {},
    timings: { send: 0, wait: record.durationMs, receive: 0 },
    _scenario: tags.scenario,
    _casePath: tags.casePath,
    _seed: tags.seed,
    _requirements: [...tags.requirements].sort(),
    _kind: tags.kind,
  };
}

/** Removes a run's part file (after the HAR is written, or before a run starts). */
export function removeHarPart(partFile: string): void {
  rmSync(partFile, { force: true });
}
