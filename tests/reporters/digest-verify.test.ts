import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { verifyCommand } from '../../reporters/cli-commands.ts';
import { canonicalJson, computeDigest } from '../../reporters/digest.ts';
import { verifyReport } from '../../reporters/verify.ts';
import { sealReport, writeReportFiles } from '../../reporters/write.ts';
import { PROJECT_ROOT, scratchDir } from './helpers.ts';
import { sampleReportBody } from './sample-report.ts';

// Reports written here are samples: keep them out of a real CI job summary.
beforeEach(() => {
  vi.stubEnv('GITHUB_STEP_SUMMARY', '');
});

function writtenReport(): { path: string; json: Record<string, unknown> } {
  const dir = scratchDir('verify');
  const { files } = writeReportFiles(sampleReportBody({ statuses: { 'CI-001': 'fail' } }), dir);
  return { path: files.json, json: JSON.parse(readFileSync(files.json, 'utf8')) as Record<string, unknown> };
}

function rewrite(path: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, JSON.stringify(json, null, 2));
}

describe('canonical JSON and digest', () => {
  test('keys sorted at every depth, no whitespace, arrays in order, undefined dropped', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, é: 'ü' })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"é":"ü"}');
  });

  test('the digest leaves out its own field and changes with any content', () => {
    const base = { kind: 'x', list: [1, 2] };
    expect(computeDigest({ ...base, digest: 'anything' })).toBe(computeDigest(base));
    expect(computeDigest({ ...base, list: [2, 1] })).not.toBe(computeDigest(base));
  });

  test('sealing is idempotent: a sealed report keeps its digest', () => {
    const sealed = sealReport(sampleReportBody());
    expect(sealReport(sealed).digest).toBe(sealed.digest);
  });

  test.skipIf(!existsJq())('the documented jq recipe gives the same digest', async () => {
    const { path, json } = writtenReport();
    const hash = await new Promise<string>((resolve, reject) => {
      execFile('sh', ['-c', `jq -cS 'del(.digest)' "$1" | tr -d '\\n' | sha256sum`, 'sh', path], (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    expect(hash.split(' ')[0]).toBe(json.digest);
  });
});

function existsJq(): boolean {
  try {
    return readFileSync('/usr/bin/jq').length > 0;
  } catch {
    return false;
  }
}

describe('verifyReport', () => {
  test('a written report verifies', () => {
    expect(verifyReport(writtenReport().path)).toMatchObject({ ok: true, kind: 'conformance-report' });
  });

  test('an edited status is tampering', () => {
    const { path } = writtenReport();
    rewrite(path, (json) => {
      const requirements = json.requirements as { status: string }[];
      if (requirements[0]) requirements[0].status = 'pass';
    });
    expect(verifyReport(path)).toMatchObject({ ok: false, problem: 'tampered' });
  });

  test('an edited verdict with a recomputed digest still fails the schema if it breaks the format', () => {
    const { path } = writtenReport();
    rewrite(path, (json) => {
      json.verdict = { value: 'perfect', reason: 'trust me', warnings: [], problems: [] };
      json.digest = computeDigest(json);
    });
    expect(verifyReport(path)).toMatchObject({ ok: false, problem: 'invalid' });
    expect(verifyReport(path).reason).toContain('/verdict/value');
  });

  test('not JSON, unreadable, not a report', () => {
    const dir = scratchDir('verify-bad');
    writeFileSync(join(dir, 'x.json'), '{ not json');
    writeFileSync(join(dir, 'y.json'), '{"kind": "something-else"}');
    expect(verifyReport(join(dir, 'x.json'))).toMatchObject({ ok: false, problem: 'not-json' });
    expect(verifyReport(join(dir, 'missing.json'))).toMatchObject({ ok: false, problem: 'unreadable' });
    expect(verifyReport(join(dir, 'y.json'))).toMatchObject({ ok: false, problem: 'invalid' });
  });
});

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(PROJECT_ROOT, 'reporters/cli.ts'), ...args],
      { cwd: PROJECT_ROOT },
      (error, stdout, stderr) => resolve({ code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr }),
    );
  });
}

describe('CLI: tsx reporters/cli.ts verify FILE', () => {
  test('exit 0 when it verifies, 1 with one line when tampered, 2 when unreadable or misused', async () => {
    const good = writtenReport().path;
    const edited = writtenReport().path;
    rewrite(edited, (json) => {
      json.seed = 1;
    });
    const [ok, tampered, unreadable, misused] = await Promise.all([
      runCli(['verify', good]),
      runCli(['verify', edited]),
      runCli(['verify', join(scratchDir('cli'), 'nope.json')]),
      runCli(['verify']),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(': ok');
    expect(tampered.code).toBe(1);
    expect(tampered.stderr.trim().split('\n')).toHaveLength(1);
    expect(tampered.stderr).toContain('tampered: digest mismatch');
    expect(unreadable.code).toBe(2);
    expect(misused.code).toBe(2);
    expect(misused.stderr).toContain('usage:');
  }, 60_000);

  test('verifyCommand prints through the given output and returns the exit code', () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(`out ${l}`), err: (l: string) => lines.push(`err ${l}`) };
    expect(verifyCommand(writtenReport().path, io)).toBe(0);
    expect(lines[0]).toMatch(/^out .*: ok/);
    // Issue 12, item 10: an ok says what a digest proves and what it does not.
    expect(lines[0]).toMatch(/; note: the digest proves .*integrity in transport.*, not who wrote it: anyone can edit a report and recompute it/);
  });
});
