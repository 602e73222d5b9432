/**
 * IP addresses: valid ones (anywhere, or free inside the target's subnet) and strings that are not
 * an address for any reader (node's net.isIP, ajv-formats, Python's ipaddress as Nova uses it).
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { faker } from '@faker-js/faker';
import { FIRST_POOL_OFFSET, numberToIpv4, parseIpv4Cidr } from '../specs/formats/ipv4.ts';
import { fakerText } from './realistic.ts';

export function ipAddress(version: 4 | 6): fc.Arbitrary<string> {
  return version === 4 ? fc.ipV4() : fc.ipV6();
}

/** Not an address: CIDRs, out-of-range octets, MACs, words, empty and random strings. */
export function malformedIpAddress(): fc.Arbitrary<string> {
  const octet = fc.integer({ min: 0, max: 255 });
  return (
    fc
      .oneof(
        fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`),
        fc.tuple(fc.integer({ min: 256, max: 999 }), octet, octet, octet).map((parts) => parts.join('.')),
        fc.tuple(octet, octet, octet).map((parts) => parts.join('.')),
        fakerText(() => faker.helpers.arrayElement([faker.internet.mac(), faker.word.noun(), faker.internet.domainName()])),
        fc.string({ maxLength: 20 }),
        fc.constant(''),
      )
      // Leading zeros ("01.2.3.4") are read differently by different libraries: never use them.
      .filter((s) => isIP(s) === 0 && !/(^|\.)0\d/.test(s))
  );
}

/**
 * The first free address at or after the `pick`-th host of the subnet, going round to its start;
 * null when none of the first 4096 hosts tried is free. Hosts are the addresses Neutron hands out by
 * default: not the network address, not the first host (the usual gateway), not the broadcast address.
 * Deterministic: the same `pick` and `used` give the same address.
 */
export function freeAddressIn(cidr: string, used: ReadonlySet<string>, pick: number): string | null {
  const parsed = parseIpv4Cidr(cidr);
  if (parsed === undefined) throw new Error(`not an IPv4 CIDR the suite can allocate in: ${cidr}`);
  const hosts = parsed.size - FIRST_POOL_OFFSET - 1;
  for (let i = 0; i < Math.min(hosts, 4096); i++) {
    const candidate = numberToIpv4(parsed.base + FIRST_POOL_OFFSET + ((pick + i) % hosts));
    if (!used.has(candidate)) return candidate;
  }
  return null;
}
