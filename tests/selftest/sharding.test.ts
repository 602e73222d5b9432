/**
 * Sharding on the real suites: the conformance project run whole, and run as two shards with the
 * blob reporter then merged with the conformance reporter, against the same fake cloud with the same
 * seed, give the same matrix (statuses, counts, verdict). The cloud is started here, so both shards
 * test one target, as CI machines testing one cloud would.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import type { ConformanceReport } from '../../reporters/report-types.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VITEST = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
const REPORTER = path.join(ROOT, 'reporters/conformance-reporter.ts');
const work = mkdtempSync(path.join(tmpdir(), 'osi-shards-'));
let cloud: RunningFakeCloud;
let whole: ConformanceReport;
let merged: ConformanceReport;

function vitest(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VITEST, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const readReport = (dir: string): ConformanceReport => JSON.parse(readFileSync(path.join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
const statusById = (report: ConformanceReport) => Object.fromEntries(report.requirements.map((r) => [r.id, r.status]));

beforeAll(async () => {
  cloud = await startFakeCloud({ port: 0, host: '127.0.0.1' });
  const seed = cloud.seed;
  const env = {
    OSI_TARGET: seed.compute_url_with_project,
    OSI_TOKEN: seed.token,
    OSI_SERVER_ID: seed.server_id,
    OSI_PORT_IDS: seed.port_ids.join(','),
    OSI_NET_ID: seed.network_id,
    OSI_NETWORK_URL: seed.network_url,
    OSI_ALT_TOKEN: seed.alt_token,
    OSI_READER_TOKEN: seed.reader_token,
    OSI_CONTROL_URL: seed.control_url,
    OSI_CONTROL_TOKEN: seed.control_token,
    OSI_SEED: '20261127',
    OSI_RUNS: '5',
  };
  const wholeDir = path.join(work, 'whole');
  const run = await vitest(['run', '--project', 'conformance', `--reporter=${REPORTER}`], { ...env, OSI_REPORT_DIR: wholeDir });
  expect(run.code, run.output).toBe(0);
  whole = readReport(wholeDir);
  const blobs = path.join(work, 'blobs');
  for (const index of [1, 2]) {
    const shard = await vitest(
      ['run', '--project', 'conformance', `--shard=${index}/2`, '--reporter=blob', `--outputFile.blob=${path.join(blobs, `blob-${index}.json`)}`],
      env,
    );
    expect(shard.code, shard.output).toBe(0);
  }
  const mergedDir = path.join(work, 'merged');
  const merge = await vitest(['--project', 'conformance', `--merge-reports=${blobs}`, `--reporter=${REPORTER}`], { OSI_REPORT_DIR: mergedDir });
  merged = readReport(mergedDir);
  expect(merge.code, merge.output).toBe(0);
}, 240_000);

afterAll(async () => {
  await cloud?.close();
  rmSync(work, { recursive: true, force: true });
});

it('the merged shards give the same matrix as the whole run', () => {
  expect(merged.source.mode).toBe('merged');
  expect(statusById(merged)).toEqual(statusById(whole));
  expect(merged.counts).toEqual(whole.counts);
  expect(merged.verdict).toEqual(whole.verdict);
  expect(merged.verdict.value).toBe('conformant');
  expect({ target: merged.target, seed: merged.seed, runs: merged.runs }).toEqual({ target: whole.target, seed: whole.seed, runs: whole.runs });
});
