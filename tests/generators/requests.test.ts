/**
 * The generators against the derived schemas: valid cases are valid under every reading, invalid
 * cases break exactly what they say, and the value generators never produce what they must not.
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAjv, requestSchemaFor } from '../../specs/index.ts';
import {
  bothIdsCases,
  brokenRules,
  fieldProperties,
  fixedIpsWithoutNetCases,
  isValidRequest,
  notAnObjectCases,
  unknownIdCases,
  unknownKeyCases,
  validCase,
  wrapperCases,
  type Resources,
  type Shape,
} from '../../generators/requests.ts';
import { arbitraryFor } from '../../generators/json-schema-arbitrary.ts';
import { freeAddressIn, malformedIpAddress } from '../../generators/ip.ts';
import { malformedUuid } from '../../generators/uuid.ts';
import { isUuidLike } from '../../specs/formats/uuid.ts';

const resources: Resources = {
  portIds: ['ce531f90-199f-48c0-816c-13e38010b442', '0dde1598-b374-474e-986f-5b8dd1df1d4e'],
  netId: '3cb9bc59-5699-4588-a4b1-b87f96708bc6',
  freeAddresses: ['10.20.0.5', '10.20.0.6'],
};
const SHAPES: Shape[] = ['port', 'network', 'network-fixed-ip', 'allocate'];
const RUNS = { numRuns: 200, seed: 20261127 };

describe('valid cases', () => {
  for (const microversion of ['2.1', '2.49', '2.70']) {
    for (const shape of SHAPES) {
      it(`${shape} at ${microversion} is valid under the lenient and strict readings and breaks no rule`, () => {
        fc.assert(
          fc.property(validCase(shape, microversion, resources), (valid) => {
            expect(isValidRequest(valid.body, microversion, 'strict')).toBe(true);
            expect(isValidRequest(valid.body, microversion, 'lenient')).toBe(true);
            const keys = Object.keys(valid.body.interfaceAttachment)
              .filter((k) => k !== 'tag')
              .sort();
            expect(keys).toEqual({ port: ['port_id'], network: ['net_id'], 'network-fixed-ip': ['fixed_ips', 'net_id'], allocate: [] }[shape]);
            if (valid.asked.portId) expect(resources.portIds).toContain(valid.asked.portId);
            if (valid.asked.ip) expect(resources.freeAddresses).toContain(valid.asked.ip);
          }),
          RUNS,
        );
      });
    }
  }

  it('adds a tag only from 2.49', () => {
    const tags = fc.sample(validCase('port', '2.1', resources), { numRuns: 100, seed: 1 }).map((c) => c.asked.tag);
    expect(tags.every((t) => t === null)).toBe(true);
    const later = fc.sample(validCase('port', '2.49', resources), { numRuns: 100, seed: 1 }).map((c) => c.asked.tag);
    expect(later.some((t) => t !== null)).toBe(true);
  });
});

describe('invalid cases', () => {
  for (const microversion of ['2.1', '2.49']) {
    it(`every field breakage at ${microversion} is invalid under the reading its requirement says`, () => {
      const properties = fieldProperties(microversion, resources);
      expect(properties.map((p) => p.path)).toContain('/interfaceAttachment/port_id');
      for (const property of properties) {
        fc.assert(
          fc.property(property.cases, (c) => {
            expect(property.requirements).toContain(c.requirement);
            expect(isValidRequest(c.body, microversion, 'strict')).toBe(false);
            const lenientInvalid = !isValidRequest(c.body, microversion, 'lenient');
            // The first requirement of a property is its MUST (lenient) one; a SHOULD one only when lenient-valid.
            if (!lenientInvalid) expect(['CI-034', 'CI-035', 'CI-092', 'CI-032', 'CI-033']).toContain(c.requirement);
          }),
          { numRuns: 100, seed: 7 },
        );
      }
    });
  }

  it('fixed_ips breakages cover both the MUST (not a list of addresses) and the SHOULD (Nova shape)', () => {
    const property = fieldProperties('2.1', resources).find((p) => p.path === '/interfaceAttachment/fixed_ips');
    expect(property).toBeDefined();
    const seen = new Set(fc.sample(property!.cases, { numRuns: 300, seed: 3 }).map((c) => c.requirement));
    expect([...seen].sort()).toEqual(['CI-033', 'CI-034']);
  });

  it('both-ids cases break only the mutual exclusion', () => {
    fc.assert(
      fc.property(bothIdsCases('2.49', resources)!.cases, (c) => {
        expect(brokenRules(c.body)).toEqual(['CI-020']);
        expect(isValidRequest(c.body, '2.49', 'strict') || brokenRules(c.body).length > 0).toBe(true);
        expect(createAjv().validate(requestSchemaFor('2.49', 'strict'), c.body)).toBe(true);
      }),
      RUNS,
    );
  });

  it('the first cases of each rule are the plain combinations, breaking only that rule', () => {
    for (const c of [...bothIdsCases('2.1', resources)!.firstCases, ...fixedIpsWithoutNetCases('2.1', resources).firstCases]) {
      expect(brokenRules(c.body)).toEqual([c.requirement]);
      expect(createAjv().validate(requestSchemaFor('2.1', 'strict'), c.body)).toBe(true);
    }
    expect(bothIdsCases('2.1', resources)!.firstCases[0]?.body).toEqual({ interfaceAttachment: { port_id: resources.portIds[0], net_id: resources.netId } });
  });

  it('fixed_ips-without-net_id cases break only that rule', () => {
    fc.assert(
      fc.property(fixedIpsWithoutNetCases('2.49', resources).cases, (c) => {
        expect(brokenRules(c.body)).toEqual(['CI-021']);
        expect(createAjv().validate(requestSchemaFor('2.49', 'strict'), c.body)).toBe(true);
      }),
      RUNS,
    );
  });

  it('unknown keys are valid under the lenient reading only', () => {
    fc.assert(
      fc.property(unknownKeyCases('2.1', resources)!, (c) => {
        expect(c.requirement).toBe('CI-035');
        expect(isValidRequest(c.body, '2.1', 'lenient')).toBe(true);
        expect(isValidRequest(c.body, '2.1', 'strict')).toBe(false);
      }),
      RUNS,
    );
  });

  it('wrapper cases never carry an interfaceAttachment key', () => {
    fc.assert(
      fc.property(wrapperCases('2.1', resources)!, (c) => {
        expect(Object.keys(c.body as object)).not.toContain('interfaceAttachment');
      }),
      RUNS,
    );
  });

  it('not-an-object cases are never a JSON object', () => {
    fc.assert(
      fc.property(notAnObjectCases(), (c) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(c.raw ?? '');
        } catch {
          return;
        }
        expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(false);
      }),
      RUNS,
    );
  });

  it('unknown ids are well-formed UUIDs', () => {
    fc.assert(
      fc.property(unknownIdCases(), (c) => {
        expect(isValidRequest(c.body, '2.1', 'strict')).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('value generators', () => {
  it('malformed UUIDs are malformed even for oslo is_uuid_like', () => {
    fc.assert(
      fc.property(malformedUuid(), (s) => {
        expect(isUuidLike(s)).toBe(false);
      }),
      { numRuns: 1000, seed: 5 },
    );
  });

  it('is_uuid_like forgives case, dashes, braces and urn prefixes, like oslo', () => {
    for (const ok of [
      'CE531F90-199F-48C0-816C-13E38010B442',
      'ce531f90199f48c0816c13e38010b442',
      '{ce531f90-199f-48c0-816c-13e38010b442}',
      'urn:uuid:ce531f90-199f-48c0-816c-13e38010b442',
    ])
      expect(isUuidLike(ok)).toBe(true);
    for (const bad of ['', 'ce531f90', 'ce531f90-199f-48c0-816c-13e38010b44g']) expect(isUuidLike(bad)).toBe(false);
  });

  it('malformed IP addresses are no address for node or ajv', () => {
    const ajv = createAjv();
    const schema = { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] };
    fc.assert(
      fc.property(malformedIpAddress(), (s) => {
        expect(isIP(s)).toBe(0);
        expect(ajv.validate(schema, s)).toBe(false);
      }),
      { numRuns: 1000, seed: 6 },
    );
  });

  it('free addresses stay inside the subnet and skip network, gateway and used ones', () => {
    const used = new Set(['10.20.0.2', '10.20.0.3']);
    for (let pick = 0; pick < 600; pick += 37) {
      const address = freeAddressIn('10.20.0.0/24', used, pick);
      expect(address).not.toBeNull();
      expect(address!.startsWith('10.20.0.')).toBe(true);
      const last = Number(address!.split('.')[3]);
      expect(last).toBeGreaterThanOrEqual(2);
      expect(last).toBeLessThanOrEqual(254);
      expect(used.has(address!)).toBe(false);
    }
  });

  it('refuses schema keywords it does not know, so a schema change cannot be silently ignored', () => {
    expect(() => arbitraryFor({ type: 'string', contentEncoding: 'base64' } as never)).toThrow(/not supported/);
  });
});
