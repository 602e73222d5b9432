/**
 * exchanges.har (reporters/har.ts): entries are HAR 1.2, tagged, and redacted exactly as the
 * reports redact (the same redactDeep over the same ExchangeRecord); the part file streams into a
 * HAR that any JSON reader parses, and that readHarEntries reads back line by line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { harEntryOf, type HarEntry } from '../../contract/har-entry.ts';
import { readHarEntries, writeHarFile } from '../../reporters/har.ts';
import { redactDeep, secretsFromEnvironment } from '../../contract/redact.ts';
import { RETRIES_RECORD_HEADER } from '../../contract/outcome-types.ts';
import type { ExchangeRecord } from '../../contract/outcome-types.ts';
import { scratchDir } from './helpers.ts';

const ENV_SECRET = 'env-secret-value-0123456789';
const FERNET = `gAAAAAB${'x'.repeat(120)}`;

const record: ExchangeRecord = {
  request: {
    method: 'POST',
    url: 'http://127.0.0.1:8774/v2.1/p/servers/s/os-interface?token=abcdefgh12345',
    headers: { 'X-Auth-Token': 'real-token-should-vanish', 'Content-Type': 'application/json', 'Content-Length': '40' },
    body: `{"interfaceAttachment":{"port_id":"p"},"password":"hunter2hunter2","note":"${ENV_SECRET}"}`,
  },
  response: {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-subject-token': FERNET, [RETRIES_RECORD_HEADER]: '503 → waited 10 ms' },
    body: `{"badRequest":{"code":400,"message":"token ${FERNET} refused"}}`,
  },
  durationMs: 3.5,
  curl: "curl -i -X POST -H 'X-Auth-Token: real-token-should-vanish'",
};

const tags = { scenario: 'validation > x [CI-031]', casePath: '3/shrink 1', seed: 42, requirements: ['CI-071', 'CI-031'], kind: 'create' };

describe('exchanges.har', () => {
  const secrets = secretsFromEnvironment({ OSI_SOMETHING_SECRET: ENV_SECRET });
  const entry = harEntryOf(record, new Date('2026-11-30T12:00:00Z'), tags, secrets);

  test('an entry carries the HAR 1.2 fields and the suite tags', () => {
    expect(entry.startedDateTime).toBe('2026-11-30T12:00:00.000Z');
    expect(entry.request).toMatchObject({ method: 'POST', httpVersion: 'HTTP/1.1', headersSize: -1, cookies: [] });
    expect(entry.request.postData?.mimeType).toBe('application/json');
    expect(entry.request.queryString).toEqual([{ name: 'token', value: '***' }]);
    expect(entry.response).toMatchObject({ status: 400, redirectURL: '', content: { mimeType: 'application/json' }, _retried: '503 → waited 10 ms' });
    // The pseudo-header of retries is not a header the server sent.
    expect(entry.response.headers.map((h) => h.name)).toEqual(['content-type', 'x-subject-token']);
    expect(entry.timings).toEqual({ send: 0, wait: 3.5, receive: 0 });
    expect({ scenario: entry._scenario, casePath: entry._casePath, seed: entry._seed, requirements: entry._requirements, kind: entry._kind }).toEqual({
      ...tags,
      requirements: ['CI-031', 'CI-071'],
    });
  });

  test('redacted exactly as a report redacts the same record', () => {
    const asInReport = redactDeep(record, secrets);
    expect(entry.request.url).toBe(asInReport.request.url);
    expect(entry.request.postData?.text).toBe(asInReport.request.body);
    expect(entry.response.content.text).toBe(asInReport.response?.body);
    expect(Object.fromEntries(entry.request.headers.map((h) => [h.name, h.value]))).toEqual(asInReport.request.headers);
    const text = JSON.stringify(entry);
    for (const secret of ['real-token-should-vanish', 'hunter2hunter2', ENV_SECRET, FERNET, 'abcdefgh12345']) expect(text, secret).not.toContain(secret);
  });

  test('a part file streams into a HAR that JSON.parse reads, and readHarEntries reads back entry by entry', async () => {
    const dir = scratchDir('har');
    const part = join(dir, 'exchanges.har.part');
    const entries: HarEntry[] = [entry, { ...entry, _casePath: null, response: { ...entry.response, status: 0, _error: 'no answer within 10 ms' } }, entry];
    writeFileSync(part, `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const har = join(dir, 'exchanges.har');
    expect(await writeHarFile(part, har, '0.1.0', 'a test run')).toBe(3);
    const parsed = JSON.parse(readFileSync(har, 'utf8')) as { log: { version: string; creator: { name: string }; entries: HarEntry[]; comment: string } };
    expect(parsed.log.version).toBe('1.2');
    expect(parsed.log.creator.name).toBe('os-interface-conformance');
    expect(parsed.log.entries).toEqual(entries);
    const read: HarEntry[] = [];
    for await (const e of readHarEntries(har)) read.push(e);
    expect(read).toEqual(entries);
    // A HAR written by another tool (pretty-printed) is read whole.
    const foreign = join(dir, 'foreign.har');
    writeFileSync(foreign, JSON.stringify(parsed, null, 2));
    const readForeign: HarEntry[] = [];
    for await (const e of readHarEntries(foreign)) readForeign.push(e);
    expect(readForeign).toEqual(entries);
  });

  test('no part file (a run that sent nothing) gives an empty, valid HAR', async () => {
    const dir = scratchDir('har-empty');
    const har = join(dir, 'exchanges.har');
    expect(await writeHarFile(join(dir, 'missing.part'), har, '0.1.0', 'empty')).toBe(0);
    expect((JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: unknown[] } }).log.entries).toEqual([]);
  });
});
