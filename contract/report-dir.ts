/**
 * The report directory, made ready before anything is sent: a run whose reports cannot be written
 * must stop at the start with one line (exit 2), never run, fail to write, and leave an older
 * report on disk that reads as this run's verdict.
 *
 * Directories are made one level at a time: node's `mkdirSync(…, { recursive: true })` spins
 * forever under /proc (it keeps retrying an ENOENT it cannot fix), and ignores SIGTERM meanwhile.
 */
import { lstatSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The files a run writes into its report directory; each must be a file (or absent). */
export const REPORT_DIR_FILES = ['conformance.json', 'conformance.md', 'conformance.html', 'junit.xml', 'resources.jsonl'] as const;

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/** `mkdir -p` that always ends: each missing level is made once, and the first failure is thrown. */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if (code(error) !== 'ENOENT') throw error;
      const parent = path.dirname(current);
      missing.unshift(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
    }
  }
}

/**
 * Makes the directory if needed and proves a file can be written in it; returns null when it can
 * take the reports, or one line saying why not.
 */
export function reportDirProblem(dir: string): string | null {
  const resolved = path.resolve(dir);
  try {
    makeDirectory(resolved);
  } catch (error) {
    const why = code(error);
    return why === 'ENOTDIR' || why === 'EEXIST'
      ? `--report-dir ${dir}: a file is in the way (${why}); name a directory`
      : `--report-dir ${dir} cannot be created (${why})`;
  }
  for (const name of REPORT_DIR_FILES) {
    try {
      if (!lstatSync(path.join(resolved, name)).isFile())
        return `--report-dir ${dir}: ${name} in it is not a plain file, so the report cannot be written; remove it or choose another directory`;
    } catch (error) {
      if (code(error) !== 'ENOENT') return `--report-dir ${dir}: ${name} cannot be checked (${code(error)})`;
    }
  }
  const probe = path.join(resolved, `.write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    return `--report-dir ${dir} is not writable (${code(error)}); choose another directory`;
  }
  return null;
}
