/**
 * The literal derivation: each table of the document read as a flat JSON object, with the types the
 * type cells name and "(Required)" read as required. Nothing is corrected here; the document's
 * mistakes (a string-typed wrapper, fields at the wrong level, impossible required marks) survive
 * on purpose, so each correction in corrections.ts is a visible, named step away from the text.
 */
import type { OperationModel, ParameterRow } from '../model.ts';
import { schemaForParameter } from './document-types.ts';
import type { JsonSchema } from './json-schema.ts';

export interface RawSchemas {
  readonly uriParameters: JsonSchema;
  readonly requestBody: JsonSchema;
  readonly responseBody: JsonSchema;
}

export function deriveRawSchemas(model: OperationModel): RawSchemas {
  return {
    // A path template cannot be filled without every parameter in it, whatever the marks say.
    uriParameters: { ...objectOfRows(model.uriParameters, model.sourceName, () => true), additionalProperties: false },
    requestBody: objectOfRows(model.requestBodyParameters, model.sourceName, (row) => row.requiredMark),
    responseBody: objectOfRows(model.responseBodyParameters, model.sourceName, (row) => row.requiredMark),
  };
}

function objectOfRows(rows: readonly ParameterRow[], sourceName: string, isRequired: (row: ParameterRow) => boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const row of rows) properties[row.name] = schemaForParameter(row, sourceName);
  const required = rows.filter(isRequired).map((row) => row.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}
