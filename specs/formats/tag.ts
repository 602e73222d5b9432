/**
 * The device tag (INT-17) as the derived schemas have it: from which microversion a request may
 * carry one and the 200 body carries one, and how long it may be. corrections.ts is where these are
 * written; everything else reads them here, so no file restates "2.49", "2.70" or 60.
 */
import { schemas, type JsonSchema, type VersionedSchema } from '../index.ts';

function tagSchemaIn(range: VersionedSchema): JsonSchema | undefined {
  return range.schema.properties?.interfaceAttachment?.properties?.tag;
}

function firstWithTag(ranges: readonly VersionedSchema[], what: string): VersionedSchema {
  const found = ranges.find((range) => tagSchemaIn(range) !== undefined);
  if (found === undefined) throw new Error(`no ${what} schema has interfaceAttachment.tag`);
  return found;
}

const taggedRequest = firstWithTag(schemas.request.strict, 'request');

/** The first microversion at which a request may carry interfaceAttachment.tag. */
export const TAG_IN_REQUEST: string = taggedRequest.minMicroversion;
/** The first microversion at which the 200 body carries interfaceAttachment.tag. */
export const TAG_IN_RESPONSE: string = firstWithTag(schemas.response, 'response').minMicroversion;

function tagLimit(key: 'minLength' | 'maxLength'): number {
  const limit = tagSchemaIn(taggedRequest)?.[key];
  if (limit === undefined) throw new Error(`the request schema's tag has no ${key}`);
  return limit;
}

/** The shortest and longest tag a request may carry, in characters. */
export const TAG_MIN_LENGTH: number = tagLimit('minLength');
export const TAG_MAX_LENGTH: number = tagLimit('maxLength');
