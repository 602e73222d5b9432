/**
 * A small compiler from the JSON Schema keywords the derived request schemas use to fast-check
 * arbitraries, and the catalogue of ways to break each keyword.
 *
 * Why our own: no maintained JSON-Schema → fast-check library covers what is needed (the one that
 * existed is archived and a declared subset), and the negative side — "break exactly this keyword"
 * — is not offered by any. Only the keywords present in specs/generated/schemas.json are handled;
 * an unknown keyword is an error, so a schema change cannot be silently ignored.
 */
import fc from 'fast-check';
import { faker } from '@faker-js/faker';
import type { JsonSchema, JsonType } from '../specs/derive/json-schema.ts';
import { malformedIpAddress, ipAddress } from './ip.ts';
import { fakerText, realisticTag } from './realistic.ts';
import { malformedUuid } from './uuid.ts';

export type { JsonSchema };

const KNOWN_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'anyOf',
  'description',
  'x-interpretation',
  'dependencies',
  'not',
  'minimum',
]);

function assertKnown(schema: JsonSchema, path: string): void {
  for (const key of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(key)) throw new Error(`json-schema-arbitrary: keyword "${key}" at ${path || '/'} is not supported; extend the compiler`);
  }
}

function typesOf(schema: JsonSchema): JsonType[] {
  if (schema.type === undefined) return [];
  return typeof schema.type === 'string' ? [schema.type] : [...schema.type];
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'ipv4') return ipAddress(4);
  if (schema.format === 'ipv6') return ipAddress(6);
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, 40);
  const pattern = schema.pattern !== undefined ? new RegExp(schema.pattern, 'u') : null;
  const fits = (s: string): boolean => s.length >= minLength && s.length <= maxLength && (pattern === null || pattern.test(s));
  const realistic = realisticTag(maxLength);
  const edgy = fc.string({ minLength, maxLength, unit: 'grapheme' });
  return fc.oneof({ arbitrary: realistic, weight: 3 }, { arbitrary: edgy, weight: 1 }).filter(fits);
}

/**
 * An arbitrary of values valid under `schema`. `overrides` replaces the arbitrary at a JSON
 * pointer (e.g. "/interfaceAttachment/port_id" → the target's real ports), and `keys` picks which
 * optional properties of an object at a pointer are present (all given keys must exist in the schema).
 */
export function arbitraryFor(
  schema: JsonSchema,
  options: { readonly overrides?: Readonly<Record<string, fc.Arbitrary<unknown>>>; readonly keys?: Readonly<Record<string, readonly string[]>> } = {},
  path = '',
): fc.Arbitrary<unknown> {
  assertKnown(schema, path);
  const override = options.overrides?.[path];
  if (override) return override;
  const alternatives = schema.anyOf;
  if (alternatives) {
    const base = typesOf(schema);
    return fc.oneof(...alternatives.map((alt) => arbitraryFor({ ...(base.length ? { type: schema.type } : {}), ...alt }, options, path)));
  }
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((t) => arbitraryFor({ ...schema, type: t }, options, path)));
  switch (types[0]) {
    case 'object': {
      const properties = schema.properties ?? {};
      const chosen = options.keys?.[path];
      if (chosen) for (const key of chosen) if (!(key in properties)) throw new Error(`json-schema-arbitrary: ${path}/${key} is not in the schema`);
      const keys = chosen ?? Object.keys(properties).filter((k) => schema.required?.includes(k));
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const key of keys) {
        const property = properties[key];
        if (property) model[key] = arbitraryFor(property, options, `${path}/${key}`);
      }
      return fc.record(model);
    }
    case 'array': {
      const item = schema.items ?? {};
      return fc.array(arbitraryFor(item, options, `${path}/0`), {
        minLength: schema.minItems ?? 0,
        maxLength: schema.maxItems ?? Math.max(schema.minItems ?? 0, 3),
      });
    }
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer();
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      if (schema.format !== undefined) return stringArbitrary(schema);
      throw new Error(`json-schema-arbitrary: no type at ${path || '/'}`);
  }
}

// ---- breaking one keyword at a time ------------------------------------------------------------

/** A way to make a value invalid at one node of the schema, named for the report. */
export interface Breakage {
  /** e.g. "wrong type (number)", "malformed uuid", "too long (61)". */
  readonly name: string;
  readonly value: fc.Arbitrary<unknown>;
}

const VALUES_OF_TYPE: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  string: fakerText(() => faker.word.noun()),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  integer: fc.integer(),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.integer(), fc.string()), { maxKeys: 3 }),
};

/** Breakages of the node's own value (not of its children; unknown keys are added by the caller). */
export function breakagesOf(schema: JsonSchema): Breakage[] {
  const out: Breakage[] = [];
  const alternatives = schema.anyOf ?? [];
  const formats = [schema.format, ...alternatives.map((a) => a.format)].filter((f): f is string => f !== undefined);
  const allowed = new Set<string>(typesOf(schema));
  // "integer" values are numbers too: a schema that allows numbers allows them.
  if (allowed.has('number')) allowed.add('integer');
  if (allowed.size > 0) {
    for (const [type, value] of Object.entries(VALUES_OF_TYPE)) if (!allowed.has(type)) out.push({ name: `wrong type (${type})`, value });
  }
  if (formats.includes('uuid')) out.push({ name: 'malformed uuid', value: malformedUuid() });
  if (formats.includes('ipv4') || formats.includes('ipv6')) out.push({ name: 'malformed ip address', value: malformedIpAddress() });
  const { minLength, maxLength } = schema;
  if (minLength !== undefined && minLength > 0)
    out.push({
      name: `too short (${minLength - 1})`,
      value: fc.string({ minLength: minLength - 1, maxLength: minLength - 1 }).filter((s) => s.length === minLength - 1),
    });
  if (maxLength !== undefined) {
    const n = maxLength + 1;
    out.push({
      name: `too long (${n}+)`,
      value: fc.string({ minLength: n, maxLength: n + 20, unit: 'grapheme-ascii' }).filter((s) => s.length > maxLength && !/[,/]/.test(s)),
    });
  }
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern, 'u');
    out.push({
      name: `not matching ${schema.pattern}`,
      value: fc
        .tuple(
          fakerText(() => faker.word.noun()),
          fc.constantFrom(',', '/'),
          fakerText(() => faker.word.noun()),
        )
        .map(([a, sep, b]) => `${a}${sep}${b}`.slice(0, schema.maxLength ?? 60))
        .filter((s) => !pattern.test(s) && s.length >= (schema.minLength ?? 0)),
    });
  }
  if (typesOf(schema).includes('array')) {
    const item = schema.items ?? {};
    if (schema.minItems !== undefined && schema.minItems > 0) out.push({ name: `fewer than ${schema.minItems} items`, value: fc.constant([]) });
    if (schema.maxItems !== undefined)
      out.push({
        name: `more than ${schema.maxItems} items`,
        value: fc.array(arbitraryFor(item), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 2 }),
      });
  }
  return out;
}

/** A key that no schema here declares, realistic enough to look like a client's typo. */
export function unknownKey(known: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fakerText(() => faker.helpers.slugify(faker.word.noun()).replace(/-/g, '_')),
      fc.constantFrom('subnet_id', 'ip', 'network_id', 'portId', 'device_id', 'interface'),
    )
    .filter((k) => k.length > 0 && !known.includes(k));
}
