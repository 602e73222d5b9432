/**
 * The one way this project builds an ajv instance, so every consumer (tests, generators, suites,
 * fake cloud) validates with the same dialect, formats and keywords as the schemas were written for.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** ajv-formats is CommonJS; under NodeNext its default import is the module object. */
const addFormats = addFormatsModule.default;

export const INTERPRETATION_KEYWORD = 'x-interpretation';

export function createAjv(): Ajv {
  // strict: unknown keywords and ambiguous schemas are errors, not silently ignored.
  // allowUnionTypes: the response schemas need ["array", "null"] and ["string", "null"].
  // allErrors: a report lists every violation of a body, not only the first.
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  // An annotation only: it names the interpretations behind a node and never affects validation.
  ajv.addKeyword({
    keyword: INTERPRETATION_KEYWORD,
    metaSchema: { type: 'array', items: { type: 'string', pattern: '^INT-\\d{2}$' }, minItems: 1 },
  });
  return ajv;
}
