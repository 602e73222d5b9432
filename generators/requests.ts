/**
 * Request generators for Create Interface, derived from the request schemas and the mutual-exclusion
 * rules in specs/generated/schemas.json, with the target's real resources put in where a valid
 * request needs them (ports, the network, free addresses of its subnet).
 *
 * Valid cases come in every shape the ledger names. Invalid cases break exactly one thing each, and
 * each is classified by validating it: invalid under the lenient reading of the document → the MUST
 * requirement of the field; valid under it but invalid under Nova's stricter schema → the SHOULD one.
 * A generated case that validates under both is discarded (fc.pre), so shrinking can never turn a
 * negative case into a valid one that the suite would then blame the target for accepting.
 */
import type { RequirementId } from '../specs/ledger-types.ts';
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../specs/derive/ajv.ts';
import type { JsonSchema } from '../specs/derive/json-schema.ts';
import { compareMicroversions, requestSchemaFor, schemas } from '../specs/index.ts';
import { TAG_IN_REQUEST, TAG_MAX_LENGTH } from '../specs/formats/tag.ts';
import { arbitraryFor, breakagesOf, unknownKey, type Breakage } from './json-schema-arbitrary.ts';
import { fakerText, realisticTag } from './realistic.ts';
import { faker } from '@faker-js/faker';

/** What the target offers for valid requests. */
export interface Resources {
  readonly portIds: readonly string[];
  readonly netId: string | null;
  /** Free addresses on the network's subnet, when the network endpoint is known. */
  readonly freeAddresses: readonly string[];
}

export type Shape = 'port' | 'network' | 'network-fixed-ip' | 'allocate';

export interface ValidCase {
  readonly shape: Shape;
  readonly body: { readonly interfaceAttachment: Record<string, unknown> };
  readonly asked: { portId?: string; netId?: string; ip?: string; tag: string | null };
}

const WRAPPER = '/interfaceAttachment';

const ajv = createAjv();
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

function requestValidator(microversion: string, reading: 'lenient' | 'strict'): ValidateFunction {
  // Looked up before the schema is: finding the schema's microversion range parses versions, and
  // this runs twice for every generated case.
  return compiled.get(`request:${reading}:${microversion}`) ?? validator(`request:${reading}:${microversion}`, requestSchemaFor(microversion, reading));
}

let rules: ReadonlyArray<{ readonly requirement: RequirementId; readonly validate: ValidateFunction }> | undefined;

/** The rules (mutual exclusion) hold over the interfaceAttachment object; compiled once. */
function ruleValidators(): ReadonlyArray<{ readonly requirement: RequirementId; readonly validate: ValidateFunction }> {
  rules ??= schemas.rules.map((rule) => ({ requirement: rule.requirement, validate: validator(`rule:${rule.requirement}`, rule.schema) }));
  return rules;
}

export function brokenRules(body: unknown): RequirementId[] {
  const wrapper = (body as { interfaceAttachment?: unknown } | null)?.interfaceAttachment;
  if (typeof wrapper !== 'object' || wrapper === null || Array.isArray(wrapper)) return [];
  return ruleValidators()
    .filter((r) => !r.validate(wrapper))
    .map((r) => r.requirement);
}

export function isValidRequest(body: unknown, microversion: string, reading: 'lenient' | 'strict'): boolean {
  return requestValidator(microversion, reading)(body) && brokenRules(body).length === 0;
}

function supportsTag(microversion: string): boolean {
  return compareMicroversions(microversion, TAG_IN_REQUEST) >= 0;
}

// ---- valid cases ---------------------------------------------------------------------------------

const SHAPE_KEYS: Readonly<Record<Shape, readonly string[]>> = {
  port: ['port_id'],
  network: ['net_id'],
  'network-fixed-ip': ['net_id', 'fixed_ips'],
  allocate: [],
};

/** Which shapes the resources allow; the others are "not exercisable" for the target. */
export function shapesAvailable(resources: Resources): Shape[] {
  return (Object.keys(SHAPE_KEYS) as Shape[]).filter((shape) => {
    if (shape === 'port') return resources.portIds.length > 0;
    if (shape === 'network') return resources.netId !== null;
    if (shape === 'network-fixed-ip') return resources.netId !== null && resources.freeAddresses.length > 0;
    return true;
  });
}

function overridesFor(resources: Resources): Record<string, fc.Arbitrary<unknown>> {
  const overrides: Record<string, fc.Arbitrary<unknown>> = {};
  if (resources.portIds.length > 0) overrides[`${WRAPPER}/port_id`] = fc.constantFrom(...resources.portIds);
  if (resources.netId !== null) overrides[`${WRAPPER}/net_id`] = fc.constant(resources.netId);
  if (resources.freeAddresses.length > 0) overrides[`${WRAPPER}/fixed_ips/0/ip_address`] = fc.constantFrom(...resources.freeAddresses);
  return overrides;
}

/**
 * Valid bodies of one shape, from Nova's (strict) schema: valid under every reading. With a
 * microversion of 2.49 or later, a tag is added half of the time.
 */
export function validCase(shape: Shape, microversion: string, resources: Resources): fc.Arbitrary<ValidCase> {
  const schema = requestSchemaFor(microversion, 'strict');
  const withTag = supportsTag(microversion);
  const keyChoices = withTag ? [SHAPE_KEYS[shape], [...SHAPE_KEYS[shape], 'tag']] : [SHAPE_KEYS[shape]];
  return fc
    .constantFrom(...keyChoices)
    .chain((keys) => arbitraryFor(schema, { overrides: overridesFor(resources), keys: { '': ['interfaceAttachment'], [WRAPPER]: keys } }))
    .map((value) => {
      const body = value as ValidCase['body'];
      const a = body.interfaceAttachment;
      const ip = (a.fixed_ips as Array<{ ip_address: string }> | undefined)?.[0]?.ip_address;
      const asked: ValidCase['asked'] = {
        ...(typeof a.port_id === 'string' ? { portId: a.port_id } : {}),
        ...(typeof a.net_id === 'string' ? { netId: a.net_id } : {}),
        ...(ip !== undefined ? { ip } : {}),
        tag: typeof a.tag === 'string' ? a.tag : null,
      };
      return { shape, body, asked };
    });
}

// ---- invalid cases ---------------------------------------------------------------------------------

export interface InvalidCase {
  /** What is broken, for the report: "port_id: malformed uuid". */
  readonly violation: string;
  /** The requirement the case is judged under (by classification, see the file comment). */
  readonly requirement: RequirementId;
  /** JSON value to send, or raw text when `raw` is set. */
  readonly body?: unknown;
  readonly raw?: string;
}

/** Where each field's breakage is judged: the one place this mapping lives. */
const FIELD_REQUIREMENTS: ReadonlyArray<{
  readonly path: string;
  readonly whenLenientInvalid: RequirementId;
  readonly whenOnlyStrictInvalid: RequirementId;
  readonly baseKeys: readonly string[];
}> = [
  { path: WRAPPER, whenLenientInvalid: 'CI-031', whenOnlyStrictInvalid: 'CI-035', baseKeys: [] },
  { path: `${WRAPPER}/port_id`, whenLenientInvalid: 'CI-032', whenOnlyStrictInvalid: 'CI-032', baseKeys: [] },
  { path: `${WRAPPER}/net_id`, whenLenientInvalid: 'CI-032', whenOnlyStrictInvalid: 'CI-032', baseKeys: [] },
  { path: `${WRAPPER}/fixed_ips`, whenLenientInvalid: 'CI-033', whenOnlyStrictInvalid: 'CI-034', baseKeys: ['net_id'] },
  { path: `${WRAPPER}/fixed_ips/0`, whenLenientInvalid: 'CI-033', whenOnlyStrictInvalid: 'CI-034', baseKeys: ['net_id', 'fixed_ips'] },
  { path: `${WRAPPER}/fixed_ips/0/ip_address`, whenLenientInvalid: 'CI-033', whenOnlyStrictInvalid: 'CI-033', baseKeys: ['net_id', 'fixed_ips'] },
  { path: `${WRAPPER}/tag`, whenLenientInvalid: 'CI-092', whenOnlyStrictInvalid: 'CI-092', baseKeys: ['port_id'] },
];

/** The schema fields with generated breakages, and the requirements their cases may be judged under. */
export function breakableFields(): ReadonlyArray<{ readonly path: string; readonly requirements: readonly RequirementId[] }> {
  return FIELD_REQUIREMENTS.map((f) => ({ path: f.path, requirements: [...new Set([f.whenLenientInvalid, f.whenOnlyStrictInvalid])] }));
}

export interface FieldProperty {
  readonly path: string;
  readonly requirements: readonly RequirementId[];
  readonly cases: fc.Arbitrary<InvalidCase>;
  /** One case per breakage, so that a run with few --runs still tries every kind of break once. */
  readonly firstCases: (seed: number) => InvalidCase[];
}

function nodeAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const segment of path.split('/').slice(1)) {
    if (!node) return undefined;
    node = segment === '0' ? node.items : node.properties?.[segment];
  }
  return node;
}

/**
 * The body with the value at `path` replaced. Only the objects and arrays on the path are copied
 * (the generated value itself is never changed: fast-check may hand it out again while
 * shrinking); the rest is shared, which is safe because nothing downstream mutates a body, and
 * much cheaper than a deep clone for every generated case.
 */
function setAt(body: unknown, path: string, value: unknown): unknown {
  const copyAlong = (node: unknown, segments: readonly string[]): unknown => {
    const [segment, ...rest] = segments;
    if (segment === undefined) return value;
    if (Array.isArray(node)) {
      const copy = [...node];
      copy[Number(segment)] = copyAlong(node[Number(segment)], rest);
      return copy;
    }
    const record = node as Record<string, unknown>;
    return { ...record, [segment]: copyAlong(record[segment], rest) };
  };
  return copyAlong(body, path.split('/').slice(1));
}

/** Classifies a broken body; null when it is not broken after all (discard it). */
export function classify(body: unknown, microversion: string, lenientRequirement: RequirementId, strictRequirement: RequirementId): RequirementId | null {
  if (!isValidRequest(body, microversion, 'lenient')) return lenientRequirement;
  if (!isValidRequest(body, microversion, 'strict')) return strictRequirement;
  return null;
}

/**
 * One property per schema field: every breakage the field's schema node allows (wrong types,
 * malformed formats, lengths, patterns, item counts), in an otherwise valid body.
 * Fields the resources cannot give a valid base for (fixed_ips without a network) are left out.
 */
export function fieldProperties(microversion: string, resources: Resources): FieldProperty[] {
  const strict = requestSchemaFor(microversion, 'strict');
  const out: FieldProperty[] = [];
  for (const field of FIELD_REQUIREMENTS) {
    const node = nodeAt(strict, field.path);
    if (!node) continue; // e.g. tag below 2.49: the schema has no such field
    if (field.baseKeys.includes('net_id') && resources.netId === null) continue;
    if (field.baseKeys.includes('port_id') && resources.portIds.length === 0) continue;
    const base = arbitraryFor(strict, { overrides: overridesFor(resources), keys: { '': ['interfaceAttachment'], [WRAPPER]: field.baseKeys } });
    const breakages = breakagesOf(node);
    if (breakages.length === 0) continue;
    const casesOf = (breakage: Breakage): fc.Arbitrary<InvalidCase> =>
      fc
        .tuple(base, breakage.value)
        .map(([body, value]) => setAt(body, field.path, value))
        .map((bodyBroken) => ({
          violation: `${field.path.slice(1).replace(/\//g, '.')}: ${breakage.name}`,
          requirement: classify(bodyBroken, microversion, field.whenLenientInvalid, field.whenOnlyStrictInvalid),
          body: bodyBroken,
        }))
        .filter((c): c is typeof c & InvalidCase => c.requirement !== null);
    const perBreakage = breakages.map(casesOf);
    out.push({
      path: field.path,
      requirements: breakableFields().find((f) => f.path === field.path)?.requirements ?? [],
      cases: fc.oneof(...perBreakage),
      firstCases: (seed) => perBreakage.flatMap((arbitrary) => fc.sample(arbitrary, { numRuns: 1, seed })),
    });
  }
  return out;
}

/** Bodies with one unknown key, at the top level or inside interfaceAttachment (CI-035). */
export function unknownKeyCases(microversion: string, resources: Resources): fc.Arbitrary<InvalidCase> | null {
  if (resources.portIds.length === 0) return null;
  const strict = requestSchemaFor(microversion, 'strict');
  const wrapperKeys = Object.keys(strict.properties?.interfaceAttachment?.properties ?? {});
  return fc
    .tuple(
      validCase('port', microversion, resources),
      fc.boolean(),
      unknownKey([...wrapperKeys, 'interfaceAttachment']),
      fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.uuid()),
    )
    .map(([valid, atTop, key, value]) => {
      const body = atTop ? { ...valid.body, [key]: value } : { interfaceAttachment: { ...valid.body.interfaceAttachment, [key]: value } };
      return {
        violation: `unknown key "${key}" ${atTop ? 'at the top level' : 'in interfaceAttachment'}`,
        requirement: classify(body, microversion, 'CI-035', 'CI-035'),
        body,
      };
    })
    .filter((c): c is typeof c & InvalidCase => c.requirement !== null);
}

/** The fields without the wrapper, or under a misspelt wrapper (CI-045). */
export function wrapperCases(microversion: string, resources: Resources): fc.Arbitrary<InvalidCase> | null {
  if (resources.portIds.length === 0) return null;
  const misspelt = fc.constantFrom('interfaceattachment', 'interface_attachment', 'InterfaceAttachment', 'interfaceAttachments', 'attachment');
  return fc.tuple(validCase('port', microversion, resources), fc.option(misspelt, { nil: null })).map(([valid, name]) => {
    const fields = { ...valid.body.interfaceAttachment };
    return name === null
      ? { violation: 'fields at the top level, no interfaceAttachment', requirement: 'CI-045' as const, body: fields }
      : { violation: `fields under "${name}"`, requirement: 'CI-045' as const, body: { [name]: fields } };
  });
}

/** Bodies that are not JSON, or JSON that is not an object (CI-036). */
export function notAnObjectCases(): fc.Arbitrary<InvalidCase> {
  const jsonNonObject = fc
    .oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null))
    .map((value) => ({
      violation: `JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`,
      requirement: 'CI-036' as const,
      raw: JSON.stringify(value),
    }));
  const notJson = fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 40 }),
      fakerText(() => faker.lorem.sentence()),
      fc.uuid().map((id) => `{"interfaceAttachment": {"port_id": "${id}"}`), // truncated
      fc.uuid().map((id) => `{'interfaceAttachment': {'port_id': '${id}'}}`), // Python repr, not JSON
      fc.uint8Array({ minLength: 1, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    )
    .filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return text.trim().length > 0;
      }
    })
    .map((raw) => ({ violation: 'not JSON', requirement: 'CI-036' as const, raw }));
  return fc.oneof(jsonNonObject, notJson);
}

/** Generated cases of one rule, with the plain combinations tried first whatever --runs says. */
export interface CaseFamily {
  readonly cases: fc.Arbitrary<InvalidCase>;
  readonly firstCases: readonly InvalidCase[];
}

/** Mutual exclusion (CI-020): both ids, each real, with or without fixed_ips and tag. */
export function bothIdsCases(microversion: string, resources: Resources): CaseFamily | null {
  const [portId] = resources.portIds;
  if (portId === undefined || resources.netId === null) return null;
  const netId = resources.netId;
  const [ip] = resources.freeAddresses;
  const firstCases: InvalidCase[] = [
    { violation: 'net_id and port_id together', requirement: 'CI-020' as const, body: { interfaceAttachment: { port_id: portId, net_id: netId } } },
    ...(ip
      ? [
          {
            violation: 'net_id and port_id together with fixed_ips',
            requirement: 'CI-020' as const,
            body: { interfaceAttachment: { port_id: portId, net_id: netId, fixed_ips: [{ ip_address: ip }] } },
          },
        ]
      : []),
  ];
  return { cases: bothIdsArbitrary(microversion, resources, netId), firstCases };
}

function bothIdsArbitrary(microversion: string, resources: Resources, netId: string): fc.Arbitrary<InvalidCase> {
  const withFixed = resources.freeAddresses.length > 0 ? fc.option(fc.constantFrom(...resources.freeAddresses), { nil: null }) : fc.constant(null);
  return fc.tuple(validCase('port', microversion, resources), withFixed).map(([valid, ip]) => {
    const body = { interfaceAttachment: { ...valid.body.interfaceAttachment, net_id: netId, ...(ip ? { fixed_ips: [{ ip_address: ip }] } : {}) } };
    return {
      violation: `net_id and port_id together${ip ? ' with fixed_ips' : ''}${valid.asked.tag ? ' and a tag' : ''}`,
      requirement: 'CI-020' as const,
      body,
    };
  });
}

/** fixed_ips without net_id (CI-021): alone, or with port_id. */
export function fixedIpsWithoutNetCases(microversion: string, resources: Resources): CaseFamily {
  const ip = resources.freeAddresses[0] ?? '192.0.2.10';
  const [portId] = resources.portIds;
  const firstCases: InvalidCase[] = [
    { violation: 'fixed_ips without net_id', requirement: 'CI-021' as const, body: { interfaceAttachment: { fixed_ips: [{ ip_address: ip }] } } },
    ...(portId
      ? [
          {
            violation: 'fixed_ips without net_id, with port_id',
            requirement: 'CI-021' as const,
            body: { interfaceAttachment: { port_id: portId, fixed_ips: [{ ip_address: ip }] } },
          },
        ]
      : []),
  ];
  return { cases: fixedIpsWithoutNetArbitrary(microversion, resources), firstCases };
}

function fixedIpsWithoutNetArbitrary(microversion: string, resources: Resources): fc.Arbitrary<InvalidCase> {
  const address = resources.freeAddresses.length > 0 ? fc.constantFrom(...resources.freeAddresses) : fc.ipV4();
  const port = resources.portIds.length > 0 ? fc.option(fc.constantFrom(...resources.portIds), { nil: null }) : fc.constant(null);
  const tag = supportsTag(microversion) ? fc.option(realisticTag(TAG_MAX_LENGTH), { nil: null }) : fc.constant(null);
  return fc.tuple(address, port, tag).map(([ip, portId, t]) => {
    const body = { interfaceAttachment: { ...(portId ? { port_id: portId } : {}), fixed_ips: [{ ip_address: ip }], ...(t ? { tag: t } : {}) } };
    return { violation: `fixed_ips without net_id${portId ? ', with port_id' : ''}`, requirement: 'CI-021' as const, body };
  });
}

/** Well-formed ids that name nothing (CI-040). */
export function unknownIdCases(): fc.Arbitrary<InvalidCase> {
  return fc.tuple(fc.uuid({ version: 4 }), fc.constantFrom('port_id', 'net_id')).map(([id, field]) => ({
    violation: `${field} names no ${field === 'port_id' ? 'port' : 'network'}`,
    requirement: 'CI-040' as const,
    body: { interfaceAttachment: { [field]: id } },
  }));
}
