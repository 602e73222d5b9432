/**
 * specs/generated/schemas.json: the schemas every other part of the project validates with.
 * Built from the operation model by the literal derivation plus the named corrections.
 */
import type { OperationModel } from '../model.ts';
import { applyCorrections, corrections, type Direction, type Reading } from './corrections.ts';
import type { JsonSchema } from './json-schema.ts';
import { compareMicroversions, previousMicroversion } from './microversions.ts';
import { deriveRawSchemas } from './raw-schemas.ts';
import { rules, type SchemaRule } from './rules.ts';

/** The microversion the document was written for, and the oldest any schema applies to. */
export const BASE_MICROVERSION = '2.1';

export interface VersionedSchema {
  readonly minMicroversion: string;
  /** Last microversion it applies to; null: every later one. */
  readonly maxMicroversion: string | null;
  readonly schema: JsonSchema;
}

export interface DocumentedCodeRow {
  /** 1-based position in the document's response-code table. */
  readonly row: number;
  readonly code: number | null;
}

export interface SchemasFile {
  readonly document: { readonly name: string; readonly sha256: string; readonly title: string };
  readonly uriParameters: JsonSchema;
  readonly request: { readonly lenient: readonly VersionedSchema[]; readonly strict: readonly VersionedSchema[] };
  readonly response: readonly VersionedSchema[];
  readonly rules: readonly SchemaRule[];
  /** Each documented code once, in document order. */
  readonly documentedResponseCodes: readonly number[];
  /** Every row of the table, duplicates included. */
  readonly documentedResponseCodeRows: readonly DocumentedCodeRow[];
}

export function buildSchemasFile(model: OperationModel): SchemasFile {
  const raw = deriveRawSchemas(model);
  const versioned = (direction: Direction, body: JsonSchema, reading: Reading | null): VersionedSchema[] =>
    microversionRanges(direction).map((range) => ({
      ...range,
      schema: applyCorrections(body, direction, range.minMicroversion, reading),
    }));
  const codes = model.responseCodes.map((row) => row.code).filter((code): code is number => code !== null);

  return {
    document: documentIdentity(model),
    uriParameters: applyCorrections(raw.uriParameters, 'uri', BASE_MICROVERSION, null),
    request: {
      lenient: versioned('request', raw.requestBody, 'lenient'),
      strict: versioned('request', raw.requestBody, 'strict'),
    },
    response: versioned('response', raw.responseBody, null),
    rules,
    documentedResponseCodes: [...new Set(codes)],
    documentedResponseCodeRows: model.responseCodes.map((row, index) => ({ row: index + 1, code: row.code })),
  };
}

export function documentIdentity(model: OperationModel): SchemasFile['document'] {
  return { name: model.sourceName, sha256: model.sourceSha256, title: model.title };
}

/** The schema changes where a correction starts to apply: one range per such microversion. */
function microversionRanges(direction: Direction): Array<Omit<VersionedSchema, 'schema'>> {
  const starts = [BASE_MICROVERSION];
  for (const correction of corrections) {
    if (correction.direction === direction && correction.since !== undefined && !starts.includes(correction.since)) {
      starts.push(correction.since);
    }
  }
  starts.sort(compareMicroversions);
  return starts.map((start, index) => {
    const next = starts[index + 1];
    return { minMicroversion: start, maxMicroversion: next === undefined ? null : previousMicroversion(next) };
  });
}
