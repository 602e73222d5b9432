/**
 * The CLI as a user meets it: --help, usage errors, an unreachable target, verify. Each error is one
 * line on stderr with exit 2, never a stack trace, and even a run that cannot start leaves a report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPTIONS } from '../../suites/harness/options.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'bin/os-interface-conformance.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'osi-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: readonly string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectOneLineError(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('conformance CLI', () => {
  it('--help documents every option with its environment variable', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    for (const option of OPTIONS) {
      expect(stdout).toContain(`--${option.flag}`);
      expect(stdout).toContain(option.env);
    }
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--runs', 'lots'], /--runs must be a whole number/],
    [['--target', 'ftp://example'], /http or https/],
    [['--fault', 'no-such-fault'], /not a fault of the fake cloud/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j is a usage error: one line, exit 2', (args, message) => {
    const { code, stderr } = cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expectOneLineError(stderr);
  });

  it('an unreachable target is one line, exit 2, and still leaves a report with verdict error and why', () => {
    const reportDir = path.join(work, 'down');
    const started = Date.now();
    const { code, stderr } = cli(['--target', 'http://127.0.0.1:9/v2.1', '--server-id', 'ce531f90-199f-48c0-816c-13e38010b442', '--report-dir', reportDir], {
      OSI_TOKEN: 'secret-token-must-not-leak',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/target unreachable/);
    expectOneLineError(stderr);
    expect(Date.now() - started).toBeLessThan(30_000);
    const report = JSON.parse(readFileSync(path.join(reportDir, 'conformance.json'), 'utf8')) as { verdict: { value: string; reason: string } };
    expect(report.verdict.value).toBe('error');
    expect(report.verdict.reason).toMatch(/unreachable/);
    for (const file of ['conformance.json', 'conformance.md', 'conformance.html', 'junit.xml']) {
      expect(readFileSync(path.join(reportDir, file), 'utf8')).not.toContain('secret-token-must-not-leak');
    }
  });

  it('verify accepts its own report and refuses an edited one', () => {
    const reportDir = path.join(work, 'run');
    const run = cli(['--runs', '3', '--report-dir', reportDir]);
    expect(run.code).toBe(0);
    const file = path.join(reportDir, 'conformance.json');
    expect(cli(['verify', file]).code).toBe(0);
    const edited = readFileSync(file, 'utf8')
      .replace('"verdict":{', '"verdict":{"x":1,')
      .replace(/"value": ?"conformant"/, '"value":"nonconformant"');
    const tampered = path.join(work, 'tampered.json');
    writeFileSync(tampered, edited);
    const verdict = cli(['verify', tampered]);
    expect(verdict.code).toBe(1);
    expectOneLineError(verdict.stderr);
  });
});
