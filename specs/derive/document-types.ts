/**
 * The document's parameter types (WADL/XSD names as wadl2rst printed them) as JSON Schema.
 * Only the type cell is read here; the "(Required)" mark and the description are the caller's.
 */
import type { ParameterRow } from '../model.ts';
import { CsapiParseError } from '../parser/errors.ts';
import type { JsonSchema } from './json-schema.ts';

const DOCUMENT_TYPES: Readonly<Record<string, JsonSchema>> = {
  'csapi:UUID': { type: 'string', format: 'uuid' },
  'xsd:string': { type: 'string' },
  'xsd:token': { type: 'string' },
  'xsd:anyURI': { type: 'string', format: 'uri' },
  'xsd:dateTime': { type: 'string', format: 'date-time' },
  'xsd:date': { type: 'string', format: 'date' },
  'xsd:list': { type: 'array' },
  'xsd:boolean': { type: 'boolean' },
  'xsd:int': { type: 'integer' },
  'xsd:integer': { type: 'integer' },
  'xsd:long': { type: 'integer' },
  'xsd:short': { type: 'integer' },
  'xsd:unsignedInt': { type: 'integer', minimum: 0 },
  'xsd:float': { type: 'number' },
  'xsd:double': { type: 'number' },
  'xsd:decimal': { type: 'number' },
};

/** The schema a parameter's type cell stands for, with the parameter's description kept. */
export function schemaForParameter(row: ParameterRow, sourceName: string): JsonSchema {
  const typeSchema = DOCUMENT_TYPES[row.type];
  if (typeSchema === undefined) {
    // Guessing would hide a document the derivation does not understand; say where it is instead.
    throw new CsapiParseError(sourceName, row.span.startLine, `parameter ${row.name} has type '${row.type}', which has no JSON Schema mapping`);
  }
  return { description: row.description, ...structuredClone(typeSchema) };
}
