import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  compareMicroversions,
  operation,
  parseMicroversion,
  requestRangeFor,
  requestSchemaFor,
  responseRangeFor,
  responseSchemaFor,
  schemas,
} from '../../specs/index.ts';
import { TAG_IN_REQUEST, TAG_IN_RESPONSE, TAG_MAX_LENGTH, TAG_MIN_LENGTH } from '../../specs/formats/tag.ts';
import { seedText } from './support/reference-data.ts';

describe('specs/index.ts loaders', () => {
  it('load the model of the checked-in source document', () => {
    expect(operation.sourceSha256).toBe(createHash('sha256').update(seedText(), 'utf8').digest('hex'));
    expect(operation.method).toBe('POST');
  });

  it.each([
    ['2.1', '2.1'],
    ['2.48', '2.1'],
    ['2.49', '2.49'],
    ['2.70', '2.49'],
    ['2.104', '2.49'],
  ])('requestSchemaFor(%s) is the schema of the range starting at %s, for both readings', (microversion, start) => {
    for (const reading of ['lenient', 'strict'] as const) {
      const range = requestRangeFor(microversion, reading);
      expect(range.minMicroversion).toBe(start);
      expect(requestSchemaFor(microversion, reading)).toBe(range.schema);
      expect(schemas.request[reading]).toContain(range);
    }
  });

  it.each([
    ['2.1', '2.1'],
    ['2.69', '2.1'],
    ['2.70', '2.70'],
    ['3.0', '2.70'],
  ])('responseSchemaFor(%s) is the schema of the range starting at %s', (microversion, start) => {
    expect(responseRangeFor(microversion).minMicroversion).toBe(start);
    expect(responseSchemaFor(microversion)).toBe(responseRangeFor(microversion).schema);
  });

  it('refuse a microversion below 2.1 and a malformed one', () => {
    expect(() => responseSchemaFor('2.0')).toThrow('no response schema covers microversion 2.0');
    expect(() => requestSchemaFor('latest', 'strict')).toThrow("'latest' is not a microversion");
  });
});

describe('microversions', () => {
  it('parse MAJOR.MINOR as Nova does', () => {
    expect(parseMicroversion('2.49')).toEqual({ major: 2, minor: 49 });
    expect(parseMicroversion('3.0')).toEqual({ major: 3, minor: 0 });
    for (const bad of ['2', '2.', '.1', '2.01', '02.1', '0.1', '2.1.1', 'v2.1', ' 2.1', 'latest', '']) {
      expect(() => parseMicroversion(bad), bad).toThrow(/is not a microversion/);
    }
  });

  it('compare numerically, not as text', () => {
    expect(compareMicroversions('2.9', '2.10')).toBeLessThan(0);
    expect(compareMicroversions('2.70', '2.70')).toBe(0);
    expect(compareMicroversions('3.0', '2.104')).toBeGreaterThan(0);
    expect(['2.70', '2.1', '2.49', '2.10', '2.9'].sort(compareMicroversions)).toEqual(['2.1', '2.9', '2.10', '2.49', '2.70']);
  });
});

describe('the device tag facts (INT-17), read from the derived schemas', () => {
  it("are Nova's: a tag in requests from 2.49, in the 200 body from 2.70, 1 to 60 characters", () => {
    expect({ TAG_IN_REQUEST, TAG_IN_RESPONSE, TAG_MIN_LENGTH, TAG_MAX_LENGTH }).toEqual({
      TAG_IN_REQUEST: '2.49',
      TAG_IN_RESPONSE: '2.70',
      TAG_MIN_LENGTH: 1,
      TAG_MAX_LENGTH: 60,
    });
  });

  it('match the schema in force just below and at each microversion', () => {
    const below = (v: string) => `${parseMicroversion(v).major}.${parseMicroversion(v).minor - 1}`;
    const tagIn = (schema: ReturnType<typeof responseSchemaFor>) => schema.properties?.interfaceAttachment?.properties?.tag;
    expect(tagIn(requestSchemaFor(below(TAG_IN_REQUEST), 'strict'))).toBeUndefined();
    expect(tagIn(requestSchemaFor(TAG_IN_REQUEST, 'lenient'))?.maxLength).toBe(TAG_MAX_LENGTH);
    expect(tagIn(responseSchemaFor(below(TAG_IN_RESPONSE)))).toBeUndefined();
    expect(tagIn(responseSchemaFor(TAG_IN_RESPONSE))).toBeDefined();
  });
});
