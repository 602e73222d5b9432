/**
 * Checking a written conformance.json (or matrix.json): the digest must match the content, and the
 * content must match its JSON Schema. A mismatching digest means the file was edited after it was
 * written ("tampered"); a schema failure means it is not a report this suite could have written.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { computeDigest } from './digest.ts';
import type { ConformanceReport } from './report-types.ts';
import { isObject } from './shapes.ts';

export type VerifyProblem = 'unreadable' | 'not-json' | 'tampered' | 'invalid';

export interface VerifyResult {
  readonly ok: boolean;
  /** One line for a person: what is wrong, or what was verified. */
  readonly reason: string;
  readonly problem?: VerifyProblem;
  readonly kind?: 'conformance-report' | 'matrix' | 'diff';
}

const SCHEMA_FILES = {
  'conformance-report': new URL('./conformance-report.schema.json', import.meta.url),
  matrix: new URL('./matrix-report.schema.json', import.meta.url),
  diff: new URL('./diff-report.schema.json', import.meta.url),
} as const;

type Kind = keyof typeof SCHEMA_FILES;

const validators = new Map<Kind, ValidateFunction>();

/** The compiled validator for a kind of file; compiled once per process. */
export function schemaValidator(kind: Kind): ValidateFunction {
  let validate = validators.get(kind);
  if (validate === undefined) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILES[kind], 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    validators.set(kind, validate);
  }
  return validate;
}

/** The first few schema errors as one line. */
export function schemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

function fail(problem: VerifyProblem, reason: string, kind?: Kind): VerifyResult {
  return kind === undefined ? { ok: false, problem, reason } : { ok: false, problem, reason, kind };
}

/** Verifies a parsed report or matrix object. */
export function verifyDocument(document: unknown): VerifyResult {
  if (!isObject(document)) return fail('invalid', 'not a JSON object');
  const { kind, formatVersion } = document;
  if (kind !== 'conformance-report' && kind !== 'matrix' && kind !== 'diff')
    return fail('invalid', `unknown kind ${JSON.stringify(kind)} (expected "conformance-report", "matrix" or "diff")`);
  if (typeof document.digest !== 'string') return fail('invalid', 'no digest field', kind);
  const expected = computeDigest(document);
  if (expected !== document.digest) {
    return fail('tampered', `digest mismatch: the file says ${document.digest.slice(0, 16)}…, its content hashes to ${expected.slice(0, 16)}…`, kind);
  }
  const validate = schemaValidator(kind);
  if (!validate(document)) return fail('invalid', `does not match ${kind} schema format ${String(formatVersion)}: ${schemaErrors(validate)}`, kind);
  return { ok: true, reason: `${kind} verified: digest ${expected} matches, schema valid`, kind };
}

/** Verifies a file by path, or an already parsed object. */
export function verifyReport(input: string | object): VerifyResult {
  if (typeof input !== 'string') return verifyDocument(input);
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (error) {
    return fail('unreadable', `cannot read ${input}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail('not-json', `${input} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return verifyDocument(parsed);
}

/** Reads and verifies a conformance.json, throwing with the reason when it does not verify. */
export function readVerifiedReport(input: string | object): ConformanceReport {
  const result = verifyReport(input);
  const label = typeof input === 'string' ? input : 'report';
  if (!result.ok) throw new Error(`${label}: ${result.reason}`);
  if (result.kind !== 'conformance-report') throw new Error(`${label}: is a ${result.kind ?? 'unknown'} file, not a conformance report`);
  return (typeof input === 'string' ? JSON.parse(readFileSync(input, 'utf8')) : input) as ConformanceReport;
}
