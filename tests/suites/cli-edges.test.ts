/**
 * The command line at its edges (issue 12): what a new user tries first (--version, list, --json,
 * --only), and bad input that must end in one line and exit 2 before anything is sent (a report
 * directory that cannot take the reports, negative numbers, a secret on the command line).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ConformanceReporter from '../../reporters/conformance-reporter.ts';
import { ledger } from '../../specs/index.ts';
import { makeDirectory, reportDirProblem } from '../../contract/report-dir.ts';
import { RUN_INFO_ENV } from '../../contract/outcome-types.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/os-interface-conformance.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'osi-cli-edges-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: readonly string[], env: Record<string, string> = {}) {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('OSI_') && !name.startsWith('OS_')) clean[name] = value;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...clean, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0] ?? '';
}

describe('what a new user tries first (item 11)', () => {
  it('--version prints the name and version', () => {
    const { code, stdout } = cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^os-interface-conformance \d+\.\d+\.\d+/);
  });

  it('list shows every requirement without running anything; --json and --only narrow and shape it', () => {
    const text = cli(['list']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter((l) => /^CI-\d{3} {2}(MUST|SHOULD|MAY)/.test(l))).toHaveLength(ledger.requirements.length);
    const json = cli(['list', '--json', '--only', 'MAY,CI-020']);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as Array<{ id: string; level: string; title: string }>;
    expect(listed.map((r) => r.id)).toEqual(ledger.requirements.filter((r) => r.level === 'MAY' || r.id === 'CI-020').map((r) => r.id));
  });

  it('an unknown requirement in --only is one line, exit 2', () => {
    const { code, stderr } = cli(['--only', 'CI-999']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/not known: CI-999/);
  });

  it('--only with --json: a run of the selection, its summary as JSON on stdout, the rest on stderr', () => {
    const reportDir = path.join(work, 'only');
    const { code, stdout, stderr } = cli(['--only', 'CI-020,CI-058', '--runs', '2', '--json', '--report-dir', reportDir]);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout) as {
      verdict: string;
      coverage: { judged: number; total: number };
      selection: { selected: number };
      exitCode: number;
      reportDir: string;
    };
    expect(summary).toMatchObject({ verdict: 'conformant', coverage: { judged: 1, total: 1 }, selection: { selected: 2 }, exitCode: 0, reportDir });
    expect(stderr).toContain('verdict: conformant, 1 of 1 MUSTs judged');
    const report = JSON.parse(readFileSync(path.join(reportDir, 'conformance.json'), 'utf8')) as { requirements: Array<{ id: string }> };
    expect(report.requirements.map((r) => r.id)).toEqual(['CI-020', 'CI-058']);
  });

  it("--skip of a test's own requirements skips the test, though cross-cutting ones could be judged on what it sends; --only of a cross-cutting one runs every test", () => {
    const stateful = ['CI-100', 'CI-101', 'CI-102', 'CI-103', 'CI-104'].join(',');
    const skipped = cli(['--skip', stateful, '--runs', '2', '--report-dir', path.join(work, 'skip-stateful')]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/○ suites\/conformance\/stateful\.test\.ts \(1 tests, 1 skipped/);
    const crossCutting = cli(['--only', 'CI-037', '--runs', '2', '--report-dir', path.join(work, 'only-cross-cutting')]);
    expect(crossCutting.code, crossCutting.stderr).toBe(0);
    expect(crossCutting.stdout).toMatch(/✓ suites\/conformance\/stateful\.test\.ts \(1 tests;/);
  });
});

describe('bad input: one line, exit 2, nothing sent (items 1, 2, 9, 14)', () => {
  it('--runs -1 names the allowed range instead of "ambiguous"', () => {
    const { code, stderr } = cli(['--runs', '-1']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toBe('conformance: --runs must be between 1 and 1000000, got -1');
  });

  it('--token on the command line warns that other processes can see it, without printing it', () => {
    const { code, stderr } = cli(['--token', 'tok-must-not-show', '--target', 'http://127.0.0.1:9/v2.1', '--runs', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^conformance: warning: --token \(set OSI_TOKEN instead\): a secret on the command line is visible to other processes/);
    expect(stderr).not.toContain('tok-must-not-show');
  });

  it.each([
    [
      'a file',
      (dir: string) => {
        writeFileSync(dir, 'x');
      },
      /a file is in the way/,
    ],
    [
      'a folder whose conformance.json is a folder',
      (dir: string) => {
        mkdirSync(path.join(dir, 'conformance.json'), { recursive: true });
      },
      /conformance\.json in it is not a plain file/,
    ],
    [
      'a folder whose junit.xml is a folder, beside an older conformant report',
      (dir: string) => {
        mkdirSync(path.join(dir, 'junit.xml'), { recursive: true });
        writeFileSync(path.join(dir, 'conformance.json'), JSON.stringify({ verdict: { value: 'conformant' } }));
      },
      /junit\.xml in it is not a plain file/,
    ],
  ])('--report-dir naming %s is refused before the run', (name, make, message) => {
    const dir = path.join(work, name.replace(/\W+/g, '-'));
    make(dir);
    const { code, stderr } = cli(['--report-dir', dir, '--runs', '2']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(message);
  });

  it("--report-dir under /proc ends at once (node's recursive mkdir spins there)", () => {
    expect(reportDirProblem('/proc/nope/deeper')).toMatch(/cannot be created \(ENOENT\)/);
    expect(() => makeDirectory('/proc/nope/deeper')).toThrow(/ENOENT/);
    const { code, stderr } = cli(['--report-dir', '/proc/nope', '--runs', '2']);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/--report-dir \/proc\/nope cannot be created/);
  });

  it.skipIf(process.getuid?.() === 0)('an unwritable folder is refused', () => {
    const dir = path.join(work, 'readonly');
    mkdirSync(dir, { mode: 0o500 });
    expect(reportDirProblem(dir)).toMatch(/is not writable \(EACCES\)/);
  });
});

describe('the verdict comes from memory, never from a file on disk (item 1)', () => {
  it('a report that cannot be written leaves the verdict in memory and says why in one line, without throwing', async () => {
    const dir = path.join(work, 'unwritable-late');
    mkdirSync(path.join(dir, 'conformance.md'), { recursive: true });
    writeFileSync(path.join(dir, 'conformance.json'), JSON.stringify({ verdict: { value: 'conformant' } }));
    const saved = process.env[RUN_INFO_ENV];
    delete process.env[RUN_INFO_ENV];
    try {
      const reporter = new ConformanceReporter({ reportDir: dir, terminal: 'quiet' });
      await reporter.onTestRunEnd([], [], 'passed');
      expect(reporter.lastReport?.verdict.value).toBe('error');
      expect(reporter.writeError).toMatch(/could not be written/);
    } finally {
      if (saved !== undefined) process.env[RUN_INFO_ENV] = saved;
    }
  });
});

describe('plain vitest with the conformance project reports by default (item 13)', () => {
  it('the shared config names the conformance reporter for the conformance project, beside the default one', async () => {
    const { default: config } = (await import('../../vitest.config.ts')) as { default: { test?: { reporters?: unknown } } };
    expect(config.test?.reporters).toEqual(['default', ['./reporters/conformance-reporter.ts', { project: 'conformance' }]]);
  });

  it('a run of other projects (npm test) gets nothing from it: no report, no output', async () => {
    const dir = path.join(work, 'self-only');
    const reporter = new ConformanceReporter({ reportDir: dir, project: 'conformance' });
    await reporter.onTestRunEnd([], [], 'passed');
    expect(reporter.lastReport).toBeUndefined();
    expect(() => readFileSync(path.join(dir, 'conformance.json'))).toThrow(/ENOENT/);
  });
});
