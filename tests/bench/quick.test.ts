/**
 * `npm run bench -- --quick` runs every section at a token size, ends with the ratio line in its
 * fixed format, and leaves nothing behind: its work directory (in the temp dir given to it) is
 * gone, and the places in the checkout it could write to are as they were. Timings are never
 * asserted here: they depend on the machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIGURES_END, FIGURES_START } from '../../bench/render.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tempDir = mkdtempSync(path.join(tmpdir(), 'osi-bench-test-'));

/** Files (path → size and mtime) below the places a careless bench would write to. */
function snapshot(): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string, depth: number): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth > 0 && entry.name !== 'node_modules' && entry.name !== '.git') visit(full, depth - 1);
        continue;
      }
      const stat = statSync(full);
      out.set(path.relative(ROOT, full), `${stat.size}:${stat.mtimeMs}`);
    }
  };
  // The checkout's top level (where node writes .cpuprofile files by default), the CLI's default
  // report files (reports/ itself, not the screenshots other tests keep below it), and the bench's
  // own folders. (tmp/ is left out: it is the developers' scratch space.)
  visit(ROOT, 0);
  visit(path.join(ROOT, 'reports'), 0);
  for (const dir of ['bench', 'tests/bench']) visit(path.join(ROOT, dir), 4);
  return out;
}

function runQuickBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/main.ts'), '--quick'], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tempDir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('runs every section, prints the ratio line last, and writes nothing outside its temp dir', async () => {
    const before = snapshot();
    const { code, stdout, stderr } = await runQuickBench();
    expect(code, stderr).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^suite\/raw exchanges-per-second ratio: \d+\.\d\d$/);
    for (const heading of [
      'Suite against a bare keep-alive loop',
      'Cost per case in the exchange loop',
      'Whole CLI runs by --runs',
      'Where the wall time of a default run goes',
      '--concurrency',
      'The fake cloud against a bare node:http server',
    ]) {
      expect(stdout).toContain(heading);
    }
    expect(readdirSync(tempDir).filter((name) => name.startsWith('osi-bench-'))).toEqual([]);
    expect(snapshot()).toEqual(before);
  }, 300_000);
});

describe('BENCHMARKS.md', () => {
  it('has its method sections and a generated figures block with the ratio', () => {
    const text = readFileSync(path.join(ROOT, 'BENCHMARKS.md'), 'utf8');
    for (const heading of ['## Reproducing', '## Method', '## Findings']) expect(text).toContain(heading);
    const start = text.indexOf(FIGURES_START);
    const end = text.indexOf(FIGURES_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(text.slice(start, end)).toMatch(/Suite against a bare keep-alive loop/);
  });
});
