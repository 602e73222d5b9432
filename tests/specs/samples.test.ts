/**
 * The derived schemas against bodies real clients and servers exchange: Nova's API samples (2.1,
 * 2.49, 2.70), gophercloud's test bodies and Tempest's response schema, then responses broken one
 * field at a time.
 */
import { describe, expect, it } from 'vitest';
import { createAjv } from '../../specs/derive/ajv.ts';
import type { JsonSchema } from '../../specs/derive/json-schema.ts';
import { requestSchemaFor, responseSchemaFor, schemas } from '../../specs/index.ts';
import { referenceFiles, referenceJson } from './support/reference-data.ts';

const ajv = createAjv();
const validate = (schema: JsonSchema, value: unknown): boolean => ajv.validate(schema, value);

type Attachment = Record<string, unknown>;

/** The microversion a sample file belongs to: its v2.49__/v2.70__ prefix, else 2.1. */
function microversionOf(file: string): string {
  return /^v(\d+\.\d+)__/.exec(file)?.[1] ?? '2.1';
}

/** Each attachment a response sample holds, wrapped as a create/show response (list items included). */
function asShowResponses(body: unknown): Array<{ interfaceAttachment: Attachment }> {
  const { interfaceAttachment, interfaceAttachments } = body as { interfaceAttachment?: Attachment; interfaceAttachments?: Attachment[] };
  if (interfaceAttachment !== undefined) return [{ interfaceAttachment }];
  return (interfaceAttachments ?? []).map((item) => ({ interfaceAttachment: item }));
}

const samples = referenceFiles('nova-api-samples', '.json');
const requestSamples = samples.filter((file) => file.endsWith('-req.json'));
const responseSamples = samples.filter((file) => file.endsWith('-resp.json'));

describe('Nova API samples', () => {
  it('are all here: 5 requests and 7 responses over 2.1, 2.49 and 2.70', () => {
    expect(requestSamples).toHaveLength(5);
    expect(responseSamples).toHaveLength(7);
    expect(new Set(samples.map(microversionOf))).toEqual(new Set(['2.1', '2.49', '2.70']));
  });

  it.each(requestSamples)('%s satisfies both request readings and every rule at its microversion', (file) => {
    const body = referenceJson(`nova-api-samples/${file}`);
    const microversion = microversionOf(file);
    expect(validate(requestSchemaFor(microversion, 'lenient'), body)).toBe(true);
    expect(validate(requestSchemaFor(microversion, 'strict'), body)).toBe(true);
    const wrapper = (body as { interfaceAttachment: unknown }).interfaceAttachment;
    for (const rule of schemas.rules) expect(validate(rule.schema, wrapper), rule.requirement).toBe(true);
  });

  it.each(responseSamples)('%s satisfies the response schema of its microversion', (file) => {
    const responses = asShowResponses(referenceJson(`nova-api-samples/${file}`));
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) expect(validate(responseSchemaFor(microversionOf(file)), response)).toBe(true);
  });

  it.each(requestSamples.filter((file) => microversionOf(file) !== '2.1'))('%s (with a tag) fails the 2.1 strict request schema', (file) => {
    expect(validate(requestSchemaFor('2.1', 'strict'), referenceJson(`nova-api-samples/${file}`))).toBe(false);
  });

  it('the 2.1 response fails the 2.70 schema (tag is required there) and the 2.70 one fails 2.1 (no tag yet)', () => {
    expect(validate(responseSchemaFor('2.70'), referenceJson('nova-api-samples/attach-interfaces-create-resp.json'))).toBe(false);
    expect(validate(responseSchemaFor('2.1'), referenceJson('nova-api-samples/v2.70__attach-interfaces-create-resp.json'))).toBe(false);
  });
});

describe('gophercloud bodies', () => {
  it('the create request and response satisfy the 2.1 schemas', () => {
    expect(validate(requestSchemaFor('2.1', 'strict'), referenceJson('gophercloud/create-interface-req.json'))).toBe(true);
    expect(validate(responseSchemaFor('2.1'), referenceJson('gophercloud/create-interface-resp.json'))).toBe(true);
  });

  it.each(['get-interface-resp.json', 'list-interfaces-resp.json'])('%s fails: its subnet_id 45906d64-a548-4276-h1f8-kcffa80fjbnl is not a UUID', (file) => {
    const [response] = asShowResponses(referenceJson(`gophercloud/${file}`));
    expect(validate(responseSchemaFor('2.1'), response)).toBe(false);
    expect(ajv.errors?.map((error) => error.instancePath)).toContain('/interfaceAttachment/fixed_ips/1/subnet_id');
    const repaired = structuredClone(response) as { interfaceAttachment: { fixed_ips: Array<{ subnet_id: string }> } };
    for (const item of repaired.interfaceAttachment.fixed_ips) item.subnet_id = 'd7906db4-a566-4546-b1f4-5c7fa70f0bf3';
    expect(validate(responseSchemaFor('2.1'), repaired)).toBe(true);
  });
});

describe("Tempest's response schema", () => {
  const tempest = referenceJson('tempest-interfaces-schema.json') as Record<string, { get_create_interfaces: { response_body: object } }>;

  it.each(responseSamples)('agrees with ours on %s', (file) => {
    const microversion = microversionOf(file);
    const theirs = tempest[microversion === '2.70' ? 'v2_70' : 'v2_1']?.get_create_interfaces.response_body ?? {};
    for (const response of asShowResponses(referenceJson(`nova-api-samples/${file}`))) {
      expect(ajv.validate(theirs, response)).toBe(true);
      expect(validate(responseSchemaFor(microversion), response)).toBe(true);
    }
  });
});

// ---- responses broken one field at a time ---------------------------------------------------------

const GOOD_2_1 = referenceJson('nova-api-samples/attach-interfaces-create-resp.json') as { interfaceAttachment: Attachment };
const GOOD_2_70 = referenceJson('nova-api-samples/v2.70__attach-interfaces-create-resp.json') as { interfaceAttachment: Attachment };
const FIELDS = ['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state'];

function withField(good: { interfaceAttachment: Attachment }, field: string, value: unknown): unknown {
  return { interfaceAttachment: { ...good.interfaceAttachment, [field]: value } };
}

function withFixedIp(item: Record<string, unknown>): unknown {
  return withField(GOOD_2_1, 'fixed_ips', [item]);
}

describe('a 200 body broken in one place fails the response schema', () => {
  it.each([
    ['2.1', GOOD_2_1, FIELDS],
    ['2.70', GOOD_2_70, [...FIELDS, 'tag']],
  ] as const)('at %s, a body missing any one field fails', (microversion, good, fields) => {
    expect(validate(responseSchemaFor(microversion), good)).toBe(true);
    for (const field of fields) {
      const { [field]: _dropped, ...rest } = good.interfaceAttachment;
      expect(validate(responseSchemaFor(microversion), { interfaceAttachment: rest }), field).toBe(false);
    }
  });

  const WRONG_TYPES: ReadonlyArray<[string, readonly unknown[]]> = [
    ['fixed_ips', ['192.168.1.3', 1, {}, true, [null], ['192.168.1.3']]],
    ['mac_addr', [1, null, true, [], {}]],
    ['net_id', [1, null, true, [], {}]],
    ['port_id', [1, null, true, [], {}]],
    ['port_state', [1, null, true, [], {}, '']],
  ];

  it.each(WRONG_TYPES)('%s with a value of the wrong type fails', (field, values) => {
    for (const value of values) expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, field, value)), JSON.stringify(value)).toBe(false);
  });

  it('tag at 2.70 is a string or null, nothing else', () => {
    expect(validate(responseSchemaFor('2.70'), withField(GOOD_2_70, 'tag', null))).toBe(true);
    for (const value of [1, true, [], {}]) expect(validate(responseSchemaFor('2.70'), withField(GOOD_2_70, 'tag', value))).toBe(false);
  });

  it('fixed_ips may be null or empty', () => {
    expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, 'fixed_ips', null))).toBe(true);
    expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, 'fixed_ips', []))).toBe(true);
  });

  it('a malformed MAC fails', () => {
    for (const mac of ['fa:16:3e:4c:2c', 'fa:16:3e:4c:2c:30:00', 'fa-16-3e-4c-2c-30', 'fa163e4c2c30', 'zz:16:3e:4c:2c:30', 'fa:16:3e:4c:2c:3', '']) {
      expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, 'mac_addr', mac)), mac).toBe(false);
    }
    expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, 'mac_addr', 'FA:16:3E:4C:2C:30'))).toBe(true);
  });

  it('a malformed IP address fails, in the response and in a request', () => {
    const subnet = 'f8a6e8f8-c2ec-497c-9f23-da9616de54ef';
    for (const ip of ['192.168.1.300', '192.168.1', '10.0.0.5/24', 'fe80::1::2', 'localhost', '', null]) {
      expect(validate(responseSchemaFor('2.1'), withFixedIp({ ip_address: ip, subnet_id: subnet })), String(ip)).toBe(false);
      const request = { interfaceAttachment: { net_id: subnet, fixed_ips: [{ ip_address: ip }] } };
      expect(validate(requestSchemaFor('2.1', 'lenient'), request), String(ip)).toBe(false);
      expect(validate(requestSchemaFor('2.1', 'strict'), request), String(ip)).toBe(false);
    }
    expect(validate(responseSchemaFor('2.1'), withFixedIp({ ip_address: '2001:db8::7', subnet_id: subnet }))).toBe(true);
  });

  const MALFORMED_UUIDS = [
    '3cb9bc59-5699-4588-a4b1-b87f96708bc',
    '3cb9bc59-5699-4588-a4b1-b87f96708bc6x',
    'gcb9bc59-5699-4588-a4b1-b87f96708bc6',
    'not-a-uuid',
    '',
  ];

  it.each(['port_id', 'net_id'])('a malformed UUID in %s fails, in the response and in a request', (field) => {
    for (const uuid of MALFORMED_UUIDS) {
      expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, field, uuid)), uuid).toBe(false);
      for (const reading of ['lenient', 'strict'] as const) {
        expect(validate(requestSchemaFor('2.1', reading), { interfaceAttachment: { [field]: uuid } }), `${reading} ${uuid}`).toBe(false);
      }
    }
  });

  it('a malformed UUID in subnet_id fails, as does an item missing either key or carrying another', () => {
    for (const uuid of MALFORMED_UUIDS) {
      expect(validate(responseSchemaFor('2.1'), withFixedIp({ ip_address: '192.168.1.3', subnet_id: uuid })), uuid).toBe(false);
    }
    expect(validate(responseSchemaFor('2.1'), withFixedIp({ ip_address: '192.168.1.3' }))).toBe(false);
    expect(validate(responseSchemaFor('2.1'), withFixedIp({ subnet_id: 'f8a6e8f8-c2ec-497c-9f23-da9616de54ef' }))).toBe(false);
    expect(validate(responseSchemaFor('2.1'), withFixedIp({ ip_address: '192.168.1.3', subnet_id: 'f8a6e8f8-c2ec-497c-9f23-da9616de54ef', extra: 1 }))).toBe(
      false,
    );
  });

  it('a body with fields outside the wrapper, or extra keys anywhere, fails', () => {
    expect(validate(responseSchemaFor('2.1'), GOOD_2_1.interfaceAttachment)).toBe(false);
    expect(validate(responseSchemaFor('2.1'), { ...GOOD_2_1, extra: 1 })).toBe(false);
    expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, 'extra', 1))).toBe(false);
    expect(validate(responseSchemaFor('2.1'), withField(GOOD_2_1, 'tag', 'public'))).toBe(false);
  });
});
