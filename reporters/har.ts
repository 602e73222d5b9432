/**
 * exchanges.har: every request and answer of a run in HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/),
 * the format browsers and HTTP tools read. Each entry carries the suite's tags in HAR custom fields
 * (names starting with "_"): `_scenario` (the test), `_casePath` (the generated case, null outside
 * a property), `_seed`, `_requirements` (the ids the exchange was judged for) and `_kind`.
 *
 * Entries are built from the same redacted ExchangeRecord the reports show, passed through the
 * reports' redaction (redact.ts) once more, so a HAR holds exactly what a report would.
 *
 * Memory stays flat: test workers append one JSON line per entry (contract/har-entry.ts) to a part
 * file as each test ends (suites/harness/har-recorder.ts), and the run's end streams those lines
 * into the HAR, one entry per line, so the HAR can be read back line by line too (readHarEntries).
 */
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { HAR_PART_ENV, removeHarPart, type HarEntry } from '../contract/har-entry.ts';
import type { ConformanceReport } from './report-types.ts';
import { isObject } from './shapes.ts';

export const HAR_FILE = 'exchanges.har';
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
export async function assembleRunHar(
  partFile: string,
  reportDir: string,
  copyTo: string | null,
  creatorVersion: string,
  comment: string,
): Promise<{ file: string; entries: number }> {
  const file = join(reportDir, HAR_FILE);
  const entries = await writeHarFile(partFile, file, creatorVersion, comment);
  removeHarPart(partFile);
  if (copyTo !== null) {
    mkdirSync(dirname(copyTo), { recursive: true });
    copyFileSync(file, copyTo);
  }
  return { file, entries };
}

/**
 * Ends the run's recording and writes exchanges.har (and its --har copy): called by whoever
 * started it, once nothing more is sent (the CLI after its cleanup, so that the cleanup's
 * exchanges are in the HAR too; the reporter under plain vitest). Removing OSI_HAR_PART from the
 * environment is what stops the recorder of this process. Null when nothing was recorded.
 */
export async function finishHarRecording(
  reportDir: string,
  copyTo: string | null,
  creatorVersion: string,
  comment: string,
): Promise<{ file: string; entries: number } | null> {
  const partFile = process.env[HAR_PART_ENV];
  if (!partFile) return null;
  delete process.env[HAR_PART_ENV];
  return assembleRunHar(partFile, resolve(reportDir), copyTo === null ? null : resolve(copyTo), creatorVersion, comment);
}
