/**
 * Sharded runs: two shards with the blob reporter, then `vitest --merge-reports` with the
 * conformance reporter, must give the same matrix as one unsharded run of the same suite. The merge
 * runs without the global setup (as in CI), so RunInfo must come out of the blobs' module meta.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import type { ConformanceReport } from '../../reporters/report-types.ts';
import { verifyReport } from '../../reporters/verify.ts';
import { ENV_TOKEN, readTree, runScenario, runVitest, scratchDir, statusById, writeFixtureConfig, type RunResult, type ScenarioRun } from './helpers.ts';
import { expectNoSecrets } from './secrets.ts';

const REPORTER = join(import.meta.dirname, '../../reporters/conformance-reporter.ts');

let unsharded: ScenarioRun;
let merged: ConformanceReport;
let mergedDir: string;
let mergeRun: RunResult;
let shardRuns: RunResult[];
let blobsDir: string;

beforeAll(async () => {
  const dir = scratchDir('shards');
  const blobs = join(dir, 'blobs');
  blobsDir = blobs;
  const runConfig = writeFixtureConfig(dir, {});
  const mergeConfig = writeFixtureConfig(dir, { globalSetup: false });
  const env = { REPORTER_FIXTURE_SCENARIO: 'nonconformant', OSI_TOKEN: ENV_TOKEN };
  const shard = (index: number) =>
    runVitest(['run', '--config', runConfig, `--shard=${index}/2`, '--reporter=blob', `--outputFile.blob=${join(blobs, `blob-${index}.json`)}`], env);
  [unsharded, ...shardRuns] = await Promise.all([runScenario('nonconformant'), shard(1), shard(2)]);
  mergedDir = join(dir, 'merged-report');
  // No scenario, no RunInfo in the environment: only what the blobs carry.
  mergeRun = await runVitest(['--config', mergeConfig, `--merge-reports=${blobs}`, `--reporter=${REPORTER}`], {
    OSI_REPORT_DIR: mergedDir,
    OSI_TOKEN: ENV_TOKEN,
  });
  try {
    merged = JSON.parse(readFileSync(join(mergedDir, 'conformance.json'), 'utf8')) as ConformanceReport;
  } catch (error) {
    throw new Error(`merge wrote no report (exit ${mergeRun.code}): ${String(error)}\n${mergeRun.stdout}\n${mergeRun.stderr}`);
  }
}, 180_000);

test('each shard ran only part of the files, and the merge saw them all', () => {
  const filesIn = (blob: string) => new Set(readFileSync(blob, 'utf8').match(/suite\/[a-z]+\.fixture-test\.ts/g));
  const perShard = [1, 2].map((i) => filesIn(join(blobsDir, `blob-${i}.json`)));
  for (const files of perShard) expect(files.size).toBeGreaterThan(0);
  expect(perShard.reduce((n, files) => n + files.size, 0)).toBe(3);
  for (const run of shardRuns) expect(run.code, run.stderr).not.toBe(0); // the fixture suite has failing tests
  expect(merged.source).toMatchObject({ mode: 'merged', testFiles: 3, tests: unsharded.report.source.tests });
});

test('the merged matrix equals the unsharded one: statuses, counts, verdict, messages, evidence', () => {
  expect(statusById(merged)).toEqual(statusById(unsharded.report));
  expect(merged.counts).toEqual(unsharded.report.counts);
  expect(merged.verdict).toEqual(unsharded.report.verdict);
  expect(merged.requirements).toEqual(unsharded.report.requirements);
  expect(merged.notes).toEqual(unsharded.report.notes);
});

test('RunInfo came through the blobs: target, microversion, seed and runs are known', () => {
  const facts = (r: ConformanceReport) => ({
    target: r.target,
    microversion: r.microversion,
    seed: r.seed,
    runs: r.runs,
    startedAt: r.startedAt,
    document: r.document,
  });
  expect(facts(merged)).toEqual(facts(unsharded.report));
  expect(merged.verdict.problems).toEqual([]);
});

test('the merged report verifies, and no secret reached it', () => {
  expect(verifyReport(join(mergedDir, 'conformance.json'))).toMatchObject({ ok: true });
  expectNoSecrets(readTree(mergedDir));
  expect(mergeRun.stdout).toMatch(/^verdict: nonconformant, \d+ of \d+ MUSTs judged$/m);
});
