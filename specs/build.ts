/**
 * `npm run specs`: regenerates specs/generated/ (operation.json, schemas.json, ledger.json, ledger.md)
 * from the source document, specs/interpretations.ts and specs/requirements.ts.
 *
 *   tsx specs/build.ts            write the files (only those whose bytes change)
 *   tsx specs/build.ts --check    write nothing; exit 1 naming the files that are stale
 *   --source FILE / --out DIR     another document / another output folder (tests, trials)
 *
 * Exit codes: 0 done or up to date, 1 stale (--check), 2 bad arguments or unreadable source. Errors
 * are one line on stderr, `specs: <file>:<line>: <message>` for the document, never a stack trace.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GENERATED_DIR_URL, generateSpecFiles, SOURCE_DOCUMENT_URL, type GeneratedFile } from './derive/generated-files.ts';
import { CsapiParseError } from './parser/errors.ts';

const USAGE = 'usage: tsx specs/build.ts [--check] [--source FILE] [--out DIR]';

export interface BuildIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

interface BuildOptions {
  readonly check: boolean;
  readonly source: string;
  readonly outDir: string;
}

/** Runs the build as the command line would; returns the exit code. */
export function runBuild(argv: readonly string[], io: BuildIo): number {
  const options = parseArguments(argv);
  if (typeof options === 'string') {
    io.err(`specs: ${options} (${USAGE})`);
    return 2;
  }

  let text: string;
  try {
    text = readFileSync(options.source, 'utf8');
  } catch (error) {
    io.err(`specs: ${display(options.source)}: cannot read the source document (${describe(error)})`);
    return 2;
  }

  let files: GeneratedFile[];
  try {
    files = generateSpecFiles(text, basename(options.source));
  } catch (error) {
    if (!(error instanceof CsapiParseError)) throw error; // a bug, not a bad document: keep the stack
    io.err(`specs: ${display(options.source)}:${error.line}: ${error.detail}`);
    return 2;
  }

  const changed = files.filter((file) => readOrNull(join(options.outDir, file.name)) !== file.content);
  if (options.check) {
    if (changed.length === 0) {
      io.out(`specs: ${display(options.outDir)} is up to date`);
      return 0;
    }
    const names = changed.map((file) => display(join(options.outDir, file.name))).join(', ');
    io.err(`specs: stale: ${names} (run npm run specs)`);
    return 1;
  }

  mkdirSync(options.outDir, { recursive: true });
  for (const file of changed) writeFileSync(join(options.outDir, file.name), file.content);
  io.out(`specs: ${changed.length === 0 ? 'nothing to write' : `wrote ${changed.map((file) => file.name).join(', ')}`} in ${display(options.outDir)}`);
  return 0;
}

/** The options, or the reason the arguments are wrong. */
function parseArguments(argv: readonly string[]): BuildOptions | string {
  let check = false;
  let source = fileURLToPath(SOURCE_DOCUMENT_URL);
  let outDir = fileURLToPath(GENERATED_DIR_URL);
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--check') {
      check = true;
    } else if (argument === '--source' || argument === '--out') {
      const value = argv[++index];
      if (value === undefined || value.startsWith('--')) return `${argument} needs a value`;
      if (argument === '--source') source = value;
      else outDir = value;
    } else {
      return `unknown argument '${argument}'`;
    }
  }
  return { check, source, outDir };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function display(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' ? '.' : shown;
}

function describe(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : String(error);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runBuild(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
