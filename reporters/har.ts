/**
 * exchanges.har: every request and answer of a run in HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/),
 * the format browsers and HTTP tools read. Each entry carries the suite's tags in HAR custom fields
 * (names starting with "_"): `_scenario` (the test), `_casePath` (the generated case, null outside
 * a property), `_seed`, `_requirements` (the ids the exchange was judged for) and `_kind`.
 *
 * Entries are built from the same redacted ExchangeRecord the reports show, passed through the
 * reports' redaction (redact.ts) once more, so a HAR holds exactly what a report would.
 *
 * Memory stays flat: test workers append one JSON line per entry to a part file as each test ends
 * (suites/harness/har-recorder.ts), and the run's end streams those lines into the HAR, one entry
 * per line, so the HAR can be read back line by line too (readHarEntries).
 */
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { RETRIES_RECORD_HEADER } from '../suites/harness/http.ts';
import type { ExchangeRecord } from '../suites/harness/outcome-types.ts';
import { redactDeep, type KnownSecret } from './redact.ts';
import type { ConformanceReport } from './report-types.ts';
import { isObject } from './shapes.ts';

export const HAR_FILE = 'exchanges.har';
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
  return Object.entries(headers).filter(([name]) => name !== RETRIES_RECORD_HEADER).map(([name, value]) => ({ name, value }));
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
      content: { size: response ? Buffer.byteLength(response.body, 'utf8') : 0, mimeType: (response && headerValue(response.headers, 'content-type')) ?? '', text: response?.body ?? '' },
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

/** The HAR's head up to its first entry; entries follow one per line, then HAR_TAIL. */
function harHead(creatorVersion: string, comment: string): string {
  const log = { version: '1.2', creator: { name: 'os-interface-conformance', version: creatorVersion }, pages: [], comment };
  const open = JSON.stringify({ log }).replace(/\}\}$/, '');
  return `${open},"entries":[\n`;
}

const HAR_TAIL = ']}}\n';

/**
 * Streams the part file's lines into a HAR file (the part file is left in place; the caller
 * removes it). Returns how many entries were written. A missing part file gives an empty HAR.
 */
export async function writeHarFile(partFile: string, harFile: string, creatorVersion: string, comment: string): Promise<number> {
  const out = createWriteStream(harFile, { encoding: 'utf8' });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let count = 0;
  try {
    await write(harHead(creatorVersion, comment));
    if (existsSync(partFile)) {
      const lines = createInterface({ input: createReadStream(partFile, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line.trim() === '') continue;
        await write(`${count === 0 ? '' : ',\n'}${line}`);
        count += 1;
      }
    }
    await write(`\n${HAR_TAIL}`);
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}

/** Removes a run's part file (after the HAR is written, or before a run starts). */
export function removeHarPart(partFile: string): void {
  rmSync(partFile, { force: true });
}

/**
 * Every entry of a HAR file, one at a time. A HAR this suite wrote is read line by line (memory
 * stays flat); any other HAR is parsed whole.
 */
export async function* readHarEntries(harFile: string): AsyncGenerator<HarEntry> {
  const lines = createInterface({ input: createReadStream(harFile, { encoding: 'utf8' }), crlfDelay: Infinity });
  let first = true;
  for await (const raw of lines) {
    if (first) {
      first = false;
      if (!raw.startsWith('{"log":') || !raw.endsWith('"entries":[')) {
        lines.close();
        yield* entriesOfWholeHar(harFile);
        return;
      }
      continue;
    }
    const line = raw.endsWith(',') ? raw.slice(0, -1) : raw;
    if (line === '' || line === HAR_TAIL.trim()) continue;
    yield JSON.parse(line) as HarEntry;
  }
}

function entriesOfWholeHar(harFile: string): HarEntry[] {
  const parsed = JSON.parse(readFileSync(harFile, 'utf8')) as unknown;
  const entries = isObject(parsed) && isObject(parsed.log) ? parsed.log.entries : undefined;
  if (!Array.isArray(entries)) throw new Error(`${harFile} is not a HAR file (no log.entries)`);
  return entries as HarEntry[];
}

/** The HAR's log comment: which run it records (the report's digest ties the two together). */
export function harComment(report: Pick<ConformanceReport, 'target' | 'microversion' | 'seed' | 'runs' | 'digest'> | undefined): string {
  if (report === undefined) return 'os-interface conformance run (no report was written)';
  return `os-interface conformance run: target ${report.target.url}, microversion ${report.microversion}, seed ${String(report.seed)}, runs ${String(report.runs)}, report digest ${report.digest}`;
}

/**
 * Finishes a run's recording: streams the part file into <reportDir>/exchanges.har, copies it to
 * `copyTo` (--har) when given, and removes the part file. Returns the HAR's path and entry count.
 */
export async function assembleRunHar(partFile: string, reportDir: string, copyTo: string | null, creatorVersion: string, comment: string): Promise<{ file: string; entries: number }> {
  const file = join(reportDir, HAR_FILE);
  const entries = await writeHarFile(partFile, file, creatorVersion, comment);
  removeHarPart(partFile);
  if (copyTo !== null) {
    mkdirSync(dirname(copyTo), { recursive: true });
    copyFileSync(file, copyTo);
  }
  return { file, entries };
}
