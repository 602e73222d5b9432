/**
 * The derived schemas: they compile in ajv's strict mode, the document's own examples satisfy them,
 * every correction is visible (annotated with an interpretation that exists), and the literal
 * derivation shows why the corrections are needed.
 */
import { describe, expect, it } from 'vitest';
import { interpretations } from '../../specs/interpretations.ts';
import { createAjv } from '../../specs/derive/ajv.ts';
import { corrections } from '../../specs/derive/corrections.ts';
import type { JsonSchema } from '../../specs/derive/json-schema.ts';
import { deriveRawSchemas } from '../../specs/derive/raw-schemas.ts';
import { buildSchemasFile } from '../../specs/derive/schemas-file.ts';
import { operation, requestSchemaFor, responseSchemaFor, schemas } from '../../specs/index.ts';
import { requirements } from '../../specs/requirements.ts';

const ajv = createAjv();
const validate = (schema: JsonSchema, value: unknown): boolean => ajv.validate(schema, value);

/** Every schema in schemas.json with a name saying where it is. */
function allSchemas(): Array<[string, JsonSchema]> {
  return [
    ['uriParameters', schemas.uriParameters],
    ...(['lenient', 'strict'] as const).flatMap((reading) =>
      schemas.request[reading].map((range): [string, JsonSchema] => [`request ${reading} ${range.minMicroversion}`, range.schema]),
    ),
    ...schemas.response.map((range): [string, JsonSchema] => [`response ${range.minMicroversion}`, range.schema]),
    ...schemas.rules.map((rule): [string, JsonSchema] => [`rule ${rule.requirement}`, rule.schema]),
  ];
}

/** Every x-interpretation id in a schema, depth first. */
function annotations(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(annotations);
  if (typeof node !== 'object' || node === null) return [];
  const own = (node as JsonSchema)['x-interpretation'] ?? [];
  return [
    ...own,
    ...Object.entries(node)
      .filter(([key]) => key !== 'x-interpretation')
      .flatMap(([, child]) => annotations(child)),
  ];
}

describe('schemas.json', () => {
  it('has the agreed shape: document, two request readings over 2.1-2.48 and 2.49+, responses over 2.1-2.69 and 2.70+', () => {
    expect(schemas.document).toEqual({ name: operation.sourceName, sha256: operation.sourceSha256, title: operation.title });
    for (const reading of ['lenient', 'strict'] as const) {
      expect(schemas.request[reading].map(({ minMicroversion, maxMicroversion }) => [minMicroversion, maxMicroversion])).toEqual([
        ['2.1', '2.48'],
        ['2.49', null],
      ]);
    }
    expect(schemas.response.map(({ minMicroversion, maxMicroversion }) => [minMicroversion, maxMicroversion])).toEqual([
      ['2.1', '2.69'],
      ['2.70', null],
    ]);
    expect(schemas.documentedResponseCodes).toEqual([200, 503, 400, 401, 403, 405, 415]);
    expect(schemas.documentedResponseCodeRows).toEqual([200, 503, 400, 401, 403, 405, 415, 400].map((code, index) => ({ row: index + 1, code })));
  });

  it.each(allSchemas())('%s compiles with createAjv() in strict mode', (_name, schema) => {
    expect(() => createAjv().compile(schema)).not.toThrow();
  });

  it('keeps every documented parameter description', () => {
    const wrapper = requestSchemaFor('2.1', 'strict').properties?.interfaceAttachment;
    for (const row of operation.requestBodyParameters) {
      const node = row.name === 'interfaceAttachment' ? wrapper : wrapper?.properties?.[row.name];
      expect(node?.description, row.name).toBe(row.description);
    }
    const fields = responseSchemaFor('2.1').properties?.interfaceAttachment?.properties;
    for (const row of operation.responseBodyParameters) expect(fields?.[row.name]?.description, row.name).toBe(row.description);
    expect(schemas.uriParameters.properties?.server_id?.description).toBe('The UUID of the server.');
  });

  it('maps the URI parameters to required UUID strings', () => {
    expect(schemas.uriParameters.required).toEqual(['tenant_id', 'server_id']);
    expect(validate(schemas.uriParameters, { tenant_id: 'c4d4b5e0-53d6-4b2c-9c4e-1a2b3c4d5e6f', server_id: '0dde1598-b374-474e-986f-5b8dd1df1d4e' })).toBe(
      true,
    );
    expect(validate(schemas.uriParameters, { tenant_id: 'c4d4b5e0-53d6-4b2c-9c4e-1a2b3c4d5e6f', server_id: 'not-a-uuid' })).toBe(false);
    expect(validate(schemas.uriParameters, { server_id: '0dde1598-b374-474e-986f-5b8dd1df1d4e' })).toBe(false);
  });
});

describe("the document's own examples", () => {
  const [requestExample, responseExample] = operation.examples;

  it.each(['2.1', '2.49', '2.93'])('the request example satisfies both request readings at %s and every rule', (microversion) => {
    expect(validate(requestSchemaFor(microversion, 'lenient'), requestExample?.json)).toBe(true);
    expect(validate(requestSchemaFor(microversion, 'strict'), requestExample?.json)).toBe(true);
    const wrapper = (requestExample?.json as { interfaceAttachment: unknown } | undefined)?.interfaceAttachment;
    for (const rule of schemas.rules) expect(validate(rule.schema, wrapper), rule.requirement).toBe(true);
  });

  it('the response example satisfies the 2.1 response schema (and, lacking tag, not the 2.70 one)', () => {
    expect(validate(responseSchemaFor('2.1'), responseExample?.json)).toBe(true);
    expect(validate(responseSchemaFor('2.70'), responseExample?.json)).toBe(false);
  });
});

describe('corrections', () => {
  const raw = deriveRawSchemas(operation);

  it("are needed: the literal derivation refuses the document's own examples", () => {
    expect(validate(raw.requestBody, operation.examples[0]?.json)).toBe(false);
    expect(validate(raw.responseBody, operation.examples[1]?.json)).toBe(false);
  });

  it('the literal derivation follows the tables: flat objects, "(Required)" read as required', () => {
    expect(raw.requestBody.required).toEqual(['interfaceAttachment', 'port_id', 'net_id', 'fixed_ips']);
    expect(raw.requestBody.properties?.interfaceAttachment?.type).toBe('string');
    expect(raw.requestBody.properties?.fixed_ips).toEqual({ description: operation.requestBodyParameters[3]?.description, type: 'array' });
    expect(raw.responseBody.required).toEqual(['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state']);
  });

  it('each cite an interpretation that exists, and each such id is stamped in schemas.json', () => {
    const known = new Set<string>(interpretations.map((interpretation) => interpretation.id));
    const stamped = new Set(allSchemas().flatMap(([, schema]) => annotations(schema)));
    for (const correction of corrections) {
      expect(known.has(correction.interpretation), correction.name).toBe(true);
      expect(stamped.has(correction.interpretation), correction.name).toBe(true);
    }
    for (const id of stamped) expect(known.has(id), id).toBe(true);
  });

  it('stamp the nodes they change', () => {
    const strict = requestSchemaFor('2.49', 'strict');
    const wrapper = strict.properties?.interfaceAttachment;
    expect(strict['x-interpretation']).toEqual(['INT-02', 'INT-03', 'INT-18']);
    expect(wrapper?.['x-interpretation']).toEqual(['INT-02', 'INT-01', 'INT-17', 'INT-18']);
    expect(wrapper?.properties?.fixed_ips?.['x-interpretation']).toEqual(['INT-07']);
    expect(wrapper?.properties?.tag?.['x-interpretation']).toEqual(['INT-17']);
    expect(wrapper?.properties?.port_id?.['x-interpretation']).toBeUndefined();
    const response = responseSchemaFor('2.70').properties?.interfaceAttachment;
    expect(response?.properties?.mac_addr?.['x-interpretation']).toEqual(['INT-08']);
    expect(response?.properties?.tag?.['x-interpretation']).toEqual(['INT-17']);
  });

  it("are the only difference between the readings: strict adds exactly Nova's narrower rules", () => {
    const lenient = requestSchemaFor('2.1', 'lenient');
    const strict = requestSchemaFor('2.1', 'strict');
    expect(lenient.additionalProperties).toBeUndefined();
    expect(strict.additionalProperties).toBe(false);
    expect(strict.properties?.interfaceAttachment?.additionalProperties).toBe(false);
    expect(lenient.properties?.interfaceAttachment?.properties?.fixed_ips?.minItems).toBeUndefined();
    expect(strict.properties?.interfaceAttachment?.properties?.fixed_ips).toMatchObject({ minItems: 1, maxItems: 1 });
  });

  it('rebuild the same file from the model (no hidden state between builds)', () => {
    expect(buildSchemasFile(operation)).toEqual(buildSchemasFile(operation));
    expect(JSON.parse(JSON.stringify(buildSchemasFile(operation)))).toEqual(schemas);
  });
});

describe('rules kept out of the request schemas', () => {
  const rule = (id: string) => schemas.rules.find((candidate) => candidate.requirement === id)?.schema ?? {};
  const PORT = 'ce531f90-199f-48c0-816c-13e38010b442';
  const NET = '3cb9bc59-5699-4588-a4b1-b87f96708bc6';
  const FIXED = [{ ip_address: '192.168.1.3' }];

  it("name requirements that exist and cite the rule's interpretation", () => {
    for (const { requirement, interpretation } of schemas.rules) {
      const found = requirements.find((candidate) => candidate.id === requirement);
      expect(found?.interpretations, requirement).toContain(interpretation);
    }
  });

  it('CI-020: net_id with port_id breaks mutual exclusion, and the request schemas still accept it', () => {
    const both = { net_id: NET, port_id: PORT };
    expect(validate(rule('CI-020'), both)).toBe(false);
    expect(validate(rule('CI-020'), { net_id: NET })).toBe(true);
    expect(validate(rule('CI-020'), { port_id: PORT })).toBe(true);
    expect(validate(rule('CI-020'), {})).toBe(true);
    expect(validate(requestSchemaFor('2.1', 'strict'), { interfaceAttachment: both })).toBe(true);
  });

  it('CI-021: fixed_ips needs net_id, also beside port_id, and the request schemas still accept it', () => {
    expect(validate(rule('CI-021'), { fixed_ips: FIXED })).toBe(false);
    expect(validate(rule('CI-021'), { fixed_ips: FIXED, port_id: PORT })).toBe(false);
    expect(validate(rule('CI-021'), { fixed_ips: FIXED, net_id: NET })).toBe(true);
    expect(validate(requestSchemaFor('2.1', 'strict'), { interfaceAttachment: { fixed_ips: FIXED } })).toBe(true);
  });
});

describe('request readings on the edge cases the ledger names', () => {
  const PORT = 'ce531f90-199f-48c0-816c-13e38010b442';
  const readings = ['lenient', 'strict'] as const;
  const accepts = (reading: 'lenient' | 'strict', body: unknown, microversion = '2.1') => validate(requestSchemaFor(microversion, reading), body);

  it('{} and an empty interfaceAttachment are valid under both (INT-03, INT-04 leave them to the ledger)', () => {
    for (const reading of readings) {
      expect(accepts(reading, {}), reading).toBe(true);
      expect(accepts(reading, { interfaceAttachment: {} }), reading).toBe(true);
    }
  });

  it('fields outside the wrapper, or a misspelt wrapper, are invalid under both (CI-045)', () => {
    for (const reading of readings) {
      expect(accepts(reading, { port_id: PORT }), reading).toBe(false);
      expect(accepts(reading, { interfaceattachment: { port_id: PORT } }), reading).toBe(false);
    }
  });

  it('an interfaceAttachment that is not an object is invalid under both (INT-02)', () => {
    for (const reading of readings) {
      for (const value of ['port', 1, true, null, [{ port_id: PORT }]])
        expect(accepts(reading, { interfaceAttachment: value }), `${reading} ${JSON.stringify(value)}`).toBe(false);
    }
  });

  it('unknown keys are accepted by the lenient reading and refused by the strict one (INT-18)', () => {
    const bodies = [{ interfaceAttachment: { port_id: PORT }, extra: 1 }, { interfaceAttachment: { port_id: PORT, extra: 1 } }];
    for (const body of bodies) {
      expect(accepts('lenient', body)).toBe(true);
      expect(accepts('strict', body)).toBe(false);
    }
  });

  it('fixed_ips: any list of {ip_address} is lenient; exactly one item with ip_address only is strict (INT-07)', () => {
    const withFixedIps = (fixedIps: unknown) => ({ interfaceAttachment: { net_id: PORT, fixed_ips: fixedIps } });
    const cases: Array<[unknown, boolean, boolean]> = [
      [[{ ip_address: '10.0.0.5' }], true, true],
      [[{ ip_address: 'fe80::1' }], true, true],
      [[], true, false],
      [[{ ip_address: '10.0.0.5' }, { ip_address: '10.0.0.6' }], true, false],
      [[{ ip_address: '10.0.0.5', subnet_id: PORT }], true, false],
      [[{ subnet_id: PORT }], false, false],
      [[{ ip_address: '10.0.0.5/24' }], false, false],
      [[{ ip_address: 10 }], false, false],
      [['10.0.0.5'], false, false],
      ['10.0.0.5', false, false],
    ];
    for (const [fixedIps, lenient, strict] of cases) {
      expect(accepts('lenient', withFixedIps(fixedIps)), `lenient ${JSON.stringify(fixedIps)}`).toBe(lenient);
      expect(accepts('strict', withFixedIps(fixedIps)), `strict ${JSON.stringify(fixedIps)}`).toBe(strict);
    }
  });

  it('tag from 2.49: 1 to 60 characters without , or / (INT-17)', () => {
    const withTag = (tag: unknown) => ({ interfaceAttachment: { port_id: PORT, tag } });
    for (const reading of readings) {
      expect(accepts(reading, withTag('a'.repeat(60)), '2.49'), reading).toBe(true);
      for (const bad of ['', 'a,b', 'a/b', 'a'.repeat(61), null, 7]) expect(accepts(reading, withTag(bad), '2.49'), `${reading} ${String(bad)}`).toBe(false);
    }
    expect(accepts('strict', withTag('foo'), '2.48')).toBe(false);
  });
});
