/**
 * The reporter's commands, shared by reporters/cli.ts and the suite's CLI
 * (`npm run conformance -- verify FILE`, `npm run conformance -- matrix A.json B.json ...`).
 * Each prints what a person needs and returns the exit code.
 *
 * verify: 0 verified; 1 tampered or invalid (one line on stderr); 2 unreadable.
 * matrix: 0 written; 1 an input does not verify; 2 an input is unreadable.
 */
import { mergeReports } from './merge.ts';
import { verifyReport } from './verify.ts';

export interface CommandOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const STD: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function verifyCommand(file: string, io: CommandOutput = STD): number {
  const result = verifyReport(file);
  if (result.ok) {
    io.out(`${file}: ok (${result.reason})`);
    return 0;
  }
  io.err(`${file}: ${result.problem ?? 'invalid'}: ${result.reason}`);
  return result.problem === 'unreadable' ? 2 : 1;
}

export function matrixCommand(files: readonly string[], outDir: string, io: CommandOutput = STD): number {
  for (const file of files) {
    const result = verifyReport(file);
    if (!result.ok) {
      io.err(`${file}: ${result.problem ?? 'invalid'}: ${result.reason}`);
      return result.problem === 'unreadable' ? 2 : 1;
    }
  }
  let written;
  try {
    written = mergeReports(files, outDir);
  } catch (error) {
    io.err(`matrix: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  io.out(`matrix of ${written.matrix.columns.length} reports written: ${written.files.markdown}, ${written.files.html}, ${written.files.json}, ${written.files.junit}`);
  return 0;
}
