/**
 * The subset of JSON Schema (draft-07, as ajv's default class reads it) that the derivation writes.
 * Typed so the derivation and its consumers cannot misspell a keyword; everything here is plain JSON.
 */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

export interface JsonSchema {
  type?: JsonType | JsonType[];
  description?: string;
  /** Ids of the interpretations (specs/interpretations.ts) whose corrections changed this node. */
  'x-interpretation'?: string[];
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxProperties?: number;
  additionalProperties?: boolean;
  /** draft-07 property dependencies: when the key is present, the listed keys must be too. */
  dependencies?: Record<string, string[]>;
  anyOf?: JsonSchema[];
  not?: JsonSchema;
}
