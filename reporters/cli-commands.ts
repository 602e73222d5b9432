/**
 * The reporter's commands, shared by reporters/cli.ts and the suite's CLI
 * (`npm run conformance -- verify FILE`, `npm run conformance -- matrix A.json B.json ...`).
 * Each prints what a person needs and returns the exit code.
 *
 * verify: 0 verified; 1 tampered or invalid (one line on stderr); 2 unreadable.
 * matrix: 0 written; 1 an input does not verify; 2 an input is unreadable.
 */
import { readFileSync } from 'node:fs';
import { checkComparable, diffRuns, DiffRefusal, readStoredRun, somethingDiffers } from './diff.ts';
import { mergeReports } from './merge.ts';
import { diffSummaryLines } from './render-diff.ts';
import { checkSignature, generateKeyPair, readPublicKey, SigningKeyError } from './sign.ts';
import type { ConformanceReport } from './report-types.ts';
import { verifyReport } from './verify.ts';
import { writeDiffFiles } from './write.ts';

export interface CommandOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const STD: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Said with every verify without a key: anyone can edit a report and recompute its digest, so a
 * matching digest shows the file arrived as it was sealed, not who sealed it or that a run of this
 * suite produced those statuses (a signature, --public-key, does).
 */
export const DIGEST_PROVES =
  'the digest proves the file was not changed after it was sealed (integrity in transport), not who wrote it: anyone can edit a report and recompute it; --public-key checks a signature';

/**
 * Checks a report's digest and format; with a public key (PEM file) also its signature. Exit 0
 * verified; 1 tampered, invalid, unsigned or signed with another key; 2 unreadable report or key
 * file, or a key that is not Ed25519. Always one line.
 */
export function verifyCommand(file: string, io: CommandOutput = STD, publicKeyFile: string | null = null): number {
  let publicKey;
  try {
    publicKey = publicKeyFile === null ? null : readPublicKey(publicKeyFile);
  } catch (error) {
    if (!(error instanceof SigningKeyError)) throw error;
    io.err(`${file}: not checked: ${error.message}`);
    return 2;
  }
  const result = verifyReport(file);
  if (!result.ok) {
    io.err(`${file}: ${result.problem ?? 'invalid'}: ${result.reason}`);
    return result.problem === 'unreadable' ? 2 : 1;
  }
  if (publicKey === null) {
    const signer = result.kind === 'conformance-report' ? (JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport).signature?.keyFingerprint : undefined;
    io.out(`${file}: ok (${result.reason}); note: ${DIGEST_PROVES}${signer === undefined ? '' : ` (this report says it was signed by ${signer})`}`);
    return 0;
  }
  if (result.kind !== 'conformance-report') {
    io.err(`${file}: not signed: a ${result.kind ?? 'file'} carries no signature; only conformance.json is signed`);
    return 1;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
  const signature = checkSignature(report, publicKey);
  if (!signature.ok) {
    io.err(`${file}: signature not valid: ${signature.reason}`);
    return 1;
  }
  io.out(`${file}: ok, signature valid: ${signature.reason}`);
  return 0;
}

/** Writes a new Ed25519 key pair into dir. 0 written; 2 not written (exists, not writable). */
export function keygenCommand(dir: string, io: CommandOutput = STD): number {
  try {
    const pair = generateKeyPair(dir);
    io.out(
      `Ed25519 key pair written: ${pair.privateKey} (private: keep it secret; sign with --sign-key ${pair.privateKey}) and ${pair.publicKey} (public: hand it to whoever checks your reports); fingerprint ${pair.fingerprint}`,
    );
    return 0;
  } catch (error) {
    io.err(`keygen: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
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
  io.out(
    `matrix of ${written.matrix.columns.length} reports written: ${written.files.markdown}, ${written.files.html}, ${written.files.json}, ${written.files.junit}`,
  );
  return 0;
}

/**
 * Compares two runs (directories holding conformance.json and exchanges.har) and writes
 * diff.{json,md,html} into outDir. 0 nothing differs; 1 something does; 2 the runs cannot be
 * compared (unreadable, tampered, no HAR, another seed or suite version), one line.
 */
export async function diffCommand(a: string, b: string, outDir: string, io: CommandOutput = STD): Promise<number> {
  let written;
  try {
    const runA = readStoredRun(a);
    const runB = readStoredRun(b);
    checkComparable(runA, runB);
    written = writeDiffFiles(await diffRuns(runA, runB), outDir);
  } catch (error) {
    if (!(error instanceof DiffRefusal)) throw error;
    io.err(`diff: refused: ${error.message}`);
    return 2;
  }
  for (const line of diffSummaryLines(written.diff, written.files)) io.out(line);
  return somethingDiffers(written.diff) ? 1 : 0;
}
