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
