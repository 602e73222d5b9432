/**
 * Differential mode (reporters/diff.ts) on hand-made runs: alignment by test, case path and
 * position (not by ids), each compared field, grouping by requirement (passed ones included), and
 * the refusals with exit 2. The self-test (tests/selftest/faulty-variants.test.ts) checks it on real
 * runs of the fake cloud, its profiles and its faulty variants.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { diffCommand, verifyCommand, type CommandOutput } from '../../reporters/cli-commands.ts';
import { readStoredRun, type DiffReport } from '../../reporters/diff.ts';
import { harEntryOf } from '../../contract/har-entry.ts';
import { writeHarFile } from '../../reporters/har.ts';
import { verifyReport } from '../../reporters/verify.ts';
import { writeReportFiles } from '../../reporters/write.ts';
import type { ExchangeRecord, OutcomeStatus } from '../../contract/outcome-types.ts';
import { REFERENCE_RUNS_DIR, adoptReferenceSettings, resolveReference, shippedReferenceRuns } from '../../cli/certify.ts';
import { ConfigError } from '../../suites/harness/config.ts';
import { scratchDir } from './helpers.ts';
import { sampleReportBody } from './sample-report.ts';

beforeEach(() => {
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
});

interface Exchange {
  readonly scenario: string;
  readonly casePath: string | null;
  readonly requirements: readonly string[];
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  readonly kind?: string;
}

function record(server: string, e: Exchange): ExchangeRecord {
  return {
    request: {
      method: 'POST',
      url: `http://127.0.0.1:8774/v2.1/servers/${server}/os-interface`,
      headers: { 'Content-Type': 'application/json' },
      body: '{"interfaceAttachment":{}}',
    },
    response: {
      status: e.status,
      headers: { 'content-type': 'application/json', 'x-openstack-request-id': `req-${server}`, ...(e.headers ?? {}) },
      body: JSON.stringify(e.body),
    },
    durationMs: 1,
    curl: 'curl',
  };
}

/** A run on disk: a sealed report (seed, statuses) and a HAR of the given exchanges. */
async function run(
  name: string,
  exchanges: readonly Exchange[],
  options: { seed?: number; statuses?: Record<string, OutcomeStatus>; version?: string } = {},
): Promise<string> {
  const dir = scratchDir(`diff-${name}`);
  const body = sampleReportBody({
    runInfo: { seed: options.seed ?? 7, target: `http://${name}.example/v2.1` },
    ...(options.statuses ? { statuses: options.statuses } : {}),
  });
  writeReportFiles(options.version ? { ...body, suite: { ...body.suite, version: options.version } } : body, dir);
  const part = join(dir, 'part');
  // Each run has its own resource ids and request ids: alignment must not depend on them.
  const lines = exchanges.map((e) =>
    JSON.stringify(
      harEntryOf(
        record(`${name}-server`, e),
        new Date(),
        { scenario: e.scenario, casePath: e.casePath, seed: options.seed ?? 7, requirements: e.requirements, kind: e.kind ?? 'create' },
        [],
      ),
    ),
  );
  writeFileSync(part, `${lines.join('\n')}\n`);
  await writeHarFile(part, join(dir, 'exchanges.har'), '0.1.0', name);
  return dir;
}

function capture(): CommandOutput & { lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, out: (line) => lines.out.push(line), err: (line) => lines.err.push(line) };
}

const BAD = (message: string) => ({ badRequest: { code: 400, message } });
const ATTACHED = {
  interfaceAttachment: {
    port_id: 'p',
    net_id: 'n',
    mac_addr: 'fa:16:3e:00:00:01',
    port_state: 'ACTIVE',
    fixed_ips: [{ ip_address: '10.0.0.5', subnet_id: 's' }],
  },
};

const base: Exchange[] = [
  { scenario: 'validation > port_id [CI-032]', casePath: '0', requirements: ['CI-032', 'CI-071'], status: 400, body: BAD('Invalid input') },
  { scenario: 'validation > port_id [CI-032]', casePath: '1', requirements: ['CI-032', 'CI-071'], status: 400, body: BAD('Invalid input') },
  { scenario: 'success > attach [CI-001]', casePath: null, requirements: ['CI-001', 'CI-002'], status: 200, body: ATTACHED },
  {
    scenario: 'codes > wrong method [CI-055]',
    casePath: null,
    requirements: ['CI-055'],
    status: 405,
    body: { badMethod: { code: 405, message: 'no' } },
    headers: { allow: 'GET, POST' },
    kind: 'collection-other-method',
  },
  // Bookkeeping that was judged for nothing is not aligned (its count follows the cloud's speed).
  { scenario: 'success > attach [CI-001]', casePath: null, requirements: [], status: 200, body: { interfaceAttachments: [] }, kind: 'support' },
];

async function diff(a: string, b: string): Promise<{ code: number; diff: DiffReport; out: string[] }> {
  const out = scratchDir('diff-out');
  const io = capture();
  const code = await diffCommand(a, b, out, io);
  expect(io.lines.err).toEqual([]);
  // Every diff.json written is sealed and matches its schema, as conformance.json does.
  const verified = verifyReport(join(out, 'diff.json'));
  expect(verified.reason).toMatch(/^diff verified/);
  return { code, diff: JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8')) as DiffReport, out: io.lines.out };
}

describe('diff', () => {
  test('two clouds that answer alike (other ids, other request ids, other messages): nothing differs, exit 0', async () => {
    const other = base.map((e) => (e.status === 400 ? { ...e, body: BAD('another wording') } : e));
    const result = await diff(await run('a', base), await run('b', [...other, base[4] as Exchange, base[4] as Exchange]));
    expect(result.code).toBe(0);
    expect(result.diff.summary).toMatchObject({ compared: 4, differing: 0, onlyInA: 0, onlyInB: 0, requirementStatusChanges: 0 });
    expect(result.out.at(-2)).toBe('diff: nothing differs');
    // Every requirement is listed, passed in both runs included.
    const row = result.diff.requirements.find((r) => r.id === 'CI-032');
    expect(row).toMatchObject({ statusA: 'pass', statusB: 'pass', compared: 2, differing: [] });
  });

  test('status, error class, body fields and listed headers differ: grouped by requirement, exit 1', async () => {
    const changed: Exchange[] = [
      base[0] as Exchange,
      { ...(base[1] as Exchange), status: 404, body: { itemNotFound: { code: 404, message: 'Port not found' } } },
      { ...(base[2] as Exchange), body: { interfaceAttachment: { ...ATTACHED.interfaceAttachment, tag: null } } },
      { ...(base[3] as Exchange), status: 404, body: { message: 'The resource could not be found.', code: '404 Not Found', title: 'Not Found' }, headers: {} },
    ];
    const result = await diff(await run('a', base), await run('b', changed, { statuses: { 'CI-055': 'pass', 'CI-056': 'fail' } }));
    expect(result.code).toBe(1);
    const { diff: d } = result;
    expect(d.summary).toMatchObject({ compared: 4, differing: 3, onlyInA: 0, onlyInB: 0 });
    const byScenario = new Map(d.cases.map((c) => [`${c.scenario}#${c.casePath ?? '-'}`, c.differences]));
    expect(byScenario.get('validation > port_id [CI-032]#1')).toEqual([
      { field: 'status', a: '400', b: '404' },
      { field: 'error class', a: 'badRequest', b: 'itemNotFound' },
      {
        field: 'body fields',
        a: 'only here: badRequest, badRequest.code, badRequest.message',
        b: 'only here: itemNotFound, itemNotFound.code, itemNotFound.message',
      },
    ]);
    expect(byScenario.get('success > attach [CI-001]#-')).toEqual([{ field: 'body fields', a: '(none missing)', b: 'only here: interfaceAttachment.tag' }]);
    expect(byScenario.get('codes > wrong method [CI-055]#-')?.map((x) => x.field)).toEqual(['status', 'error class', 'body fields', 'header allow']);
    const rows = new Map(d.requirements.map((r) => [r.id, r]));
    expect(rows.get('CI-032')?.differing).toHaveLength(1);
    expect(rows.get('CI-071')?.differing).toHaveLength(1);
    expect(rows.get('CI-002')).toMatchObject({ statusA: 'pass', statusB: 'pass', compared: 1 });
    expect(rows.get('CI-002')?.differing).toHaveLength(1);
    expect(rows.get('CI-056')).toMatchObject({ statusA: 'pass', statusB: 'fail' });
    expect(d.summary.requirementStatusChanges).toBe(1);
  });

  test('a diff.json changed after it was written fails verify: exit 1', async () => {
    const out = scratchDir('diff-tampered');
    await diffCommand(await run('a', base), await run('b', base), out, capture());
    const file = join(out, 'diff.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { summary: { differing: number } };
    json.summary.differing = 0;
    writeFileSync(file, JSON.stringify({ ...json, summary: { ...json.summary, differing: 5 } }));
    const io = capture();
    expect(verifyCommand(file, io)).toBe(1);
    expect(io.lines.err[0]).toMatch(/tampered: digest mismatch/);
  });

  test('a case sent by one run only is a difference', async () => {
    const result = await diff(
      await run('a', base),
      await run(
        'b',
        base.filter((e) => e.casePath !== '1'),
      ),
    );
    expect(result.code).toBe(1);
    expect(result.diff.summary).toMatchObject({ differing: 1, onlyInA: 1, onlyInB: 0 });
    expect(result.diff.cases[0]?.differences).toEqual([{ field: 'exchange', a: 'POST → 400', b: '(not sent)' }]);
  });

  test('diff.md and diff.html are written beside, escaped, with the requirement table', async () => {
    const hostile: Exchange[] = base.map((e, i) =>
      i === 0 ? { ...e, scenario: 'validation > <script>alert(1)</script> [CI-032]', status: 500, body: {} } : e,
    );
    const out = scratchDir('diff-render');
    expect(
      await diffCommand(
        await run(
          'a',
          base.map((e, i) => (i === 0 ? { ...e, scenario: hostile[0]?.scenario ?? '' } : e)),
        ),
        await run('b', hostile),
        out,
        capture(),
      ),
    ).toBe(1);
    const html = readFileSync(join(out, 'diff.html'), 'utf8');
    const markdown = readFileSync(join(out, 'diff.md'), 'utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;');
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('| CI-032 | MUST |');
  });

  test('refused with one line and exit 2: another seed, another suite version, no HAR, a tampered report', async () => {
    const a = await run('a', base);
    const cases: Array<[string, RegExp]> = [
      [await run('b', base, { seed: 8 }), /^diff: refused: the runs used different seeds \(7 and 8\), so they sent different cases: rerun one with --seed 7$/],
      [await run('c', base, { version: '9.9.9' }), /^diff: refused: the runs come from different suite versions \(0\.1\.0 and 9\.9\.9\)/],
      [scratchDir('empty'), /^diff: refused: .*: no conformance\.json there/],
    ];
    const noHar = await run('d', base);
    rmSync(join(noHar, 'exchanges.har'));
    cases.push([noHar, /^diff: refused: .*: no exchanges\.har beside conformance\.json/]);
    const tampered = await run('e', base);
    const report = JSON.parse(readFileSync(join(tampered, 'conformance.json'), 'utf8')) as { seed: number };
    report.seed = 7000;
    writeFileSync(join(tampered, 'conformance.json'), JSON.stringify(report));
    cases.push([tampered, /^diff: refused: .*conformance\.json: digest mismatch/]);
    for (const [b, message] of cases) {
      const io = capture();
      expect(await diffCommand(a, b, scratchDir('diff-refused'), io), b).toBe(2);
      expect(io.lines.out).toEqual([]);
      expect(io.lines.err).toHaveLength(1);
      expect(io.lines.err[0]).toMatch(message);
    }
  });
});

describe('--reference', () => {
  test('a directory, its conformance.json, or a shipped name; anything else is one line naming the shipped runs', async () => {
    const dir = await run('ref', base);
    expect(resolveReference(dir)).toBe(dir);
    expect(resolveReference(join(dir, 'conformance.json'))).toBe(dir);
    const shipped = shippedReferenceRuns();
    for (const name of shipped) {
      const found = resolveReference(name);
      expect(found).toBe(join(REFERENCE_RUNS_DIR, name));
      // A shipped run is complete and intact: it can be diffed against.
      expect(readStoredRun(found).report.kind).toBe('conformance-report');
    }
    expect(() => resolveReference('no-such-run')).toThrow(ConfigError);
    expect(() => resolveReference('no-such-run')).toThrow(
      `--reference no-such-run: no such reference run (neither a directory with conformance.json nor a shipped name; shipped: ${shipped.length > 0 ? shipped.join(', ') : 'none yet'})`,
    );
  });

  test("the run takes the reference's seed and runs unless they are given", async () => {
    const dir = await run('ref-settings', base, { seed: 4242 });
    const env: NodeJS.ProcessEnv = { OSI_REFERENCE: dir };
    adoptReferenceSettings(env);
    expect(env.OSI_SEED).toBe('4242');
    expect(env.OSI_RUNS).toBe(String(JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')).runs));
    const given: NodeJS.ProcessEnv = { OSI_REFERENCE: dir, OSI_SEED: '1', OSI_RUNS: '3' };
    adoptReferenceSettings(given);
    expect([given.OSI_SEED, given.OSI_RUNS]).toEqual(['1', '3']);
  });
});
