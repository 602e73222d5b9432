/**
 * What the rest of the project reads from specs/: the generated ledger, schemas and operation model,
 * typed, plus lookups by id and by microversion. Generators, suites, the fake cloud and the reporter
 * import from here, never from specs/generated/*.json directly, so the file layout can change in
 * one place.
 *
 * The JSON is read with fs relative to this module (not imported as JSON modules), which works the
 * same under tsx, vitest and plain node with type stripping.
 */
import { readFileSync } from 'node:fs';
import type { Ledger, Requirement, RequirementId } from './ledger-types.ts';
import { buildLedger } from './derive/ledger.ts';
import type { OperationModel } from './model.ts';
import type { Reading } from './derive/corrections.ts';
import type { JsonSchema } from './derive/json-schema.ts';
import { GENERATED_DIR_URL } from './derive/generated-files.ts';
import { compareMicroversions } from './derive/microversions.ts';
import type { SchemasFile, VersionedSchema } from './derive/schemas-file.ts';

export type { Reading } from './derive/corrections.ts';
export type { JsonSchema, JsonType } from './derive/json-schema.ts';
export type { SchemaRule } from './derive/rules.ts';
export type { DocumentedCodeRow, SchemasFile, VersionedSchema } from './derive/schemas-file.ts';
export { BASE_MICROVERSION } from './derive/schemas-file.ts';
export { compareMicroversions, parseMicroversion, type Microversion } from './derive/microversions.ts';
export { createAjv } from './derive/ajv.ts';

function readGenerated<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, GENERATED_DIR_URL), 'utf8')) as T;
}

export const schemas: SchemasFile = readGenerated<SchemasFile>('schemas.json');
export const operation: OperationModel = readGenerated<OperationModel>('operation.json');
/**
 * The ledger comes from the typed modules (requirements.ts, interpretations.ts), never back from
 * ledger.json: the JSON is an output for reports and outside tools, kept in step by a test.
 */
export const ledger: Ledger = buildLedger(operation);

const requirementsById = new Map<string, Requirement>(ledger.requirements.map((requirement) => [requirement.id, requirement]));

/** The requirement with this id (ids are a literal type: an unknown one is a type error). */
export function requirementById(id: RequirementId): Requirement {
  const requirement = requirementsById.get(id);
  if (requirement === undefined) throw new Error(`no requirement ${id} in the ledger`);
  return requirement;
}

/** Whether text read at run time (a report, an option, a test's meta) names a requirement of the ledger. */
export function isRequirementId(text: string): text is RequirementId {
  return requirementsById.has(text);
}

/** The request body schema in force at `microversion` under `reading`. */
export function requestSchemaFor(microversion: string, reading: Reading): JsonSchema {
  return requestRangeFor(microversion, reading).schema;
}

/** The 200 response body schema in force at `microversion`. */
export function responseSchemaFor(microversion: string): JsonSchema {
  return responseRangeFor(microversion).schema;
}

/** The request schema in force at `microversion`, with the microversion range it covers. */
export function requestRangeFor(microversion: string, reading: Reading): VersionedSchema {
  return inRange(schemas.request[reading], microversion, `request (${reading})`);
}

/** The response schema in force at `microversion`, with the microversion range it covers. */
export function responseRangeFor(microversion: string): VersionedSchema {
  return inRange(schemas.response, microversion, 'response');
}

function inRange(ranges: readonly VersionedSchema[], microversion: string, what: string): VersionedSchema {
  const found = ranges.find(
    (range) =>
      compareMicroversions(range.minMicroversion, microversion) <= 0 &&
      (range.maxMicroversion === null || compareMicroversions(microversion, range.maxMicroversion) <= 0),
  );
  if (found === undefined) throw new Error(`no ${what} schema covers microversion ${microversion}`);
  return found;
}
