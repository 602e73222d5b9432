/**
 * IP addresses: valid ones (anywhere, or free inside the target's subnet) and strings that are not
 * an address for any reader (node's net.isIP, ajv-formats, Python's ipaddress as Nova uses it).
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { faker } from '@faker-js/faker';
import { fakerText } from './realistic.ts';

export function ipAddress(version: 4 | 6): fc.Arbitrary<string> {
  return version === 4 ? fc.ipV4() : fc.ipV6();
}

/** Not an address: CIDRs, out-of-range octets, MACs, words, empty and random strings. */
export function malformedIpAddress(): fc.Arbitrary<string> {
  const octet = fc.integer({ min: 0, max: 255 });
  return fc
    .oneof(
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`),
      fc.tuple(fc.integer({ min: 256, max: 999 }), octet, octet, octet).map((parts) => parts.join('.')),
      fc.tuple(octet, octet, octet).map((parts) => parts.join('.')),
      fakerText(() => faker.helpers.arrayElement([faker.internet.mac(), faker.word.noun(), faker.internet.domainName()])),
      fc.string({ maxLength: 20 }),
      fc.constant(''),
    )
    // Leading zeros ("01.2.3.4") are read differently by different libraries: never use them.
    .filter((s) => isIP(s) === 0 && !/(^|\.)0\d/.test(s));
}

export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

export function parseIpv4Cidr(cidr: string): Ipv4Cidr {
  const [address, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!address || isIP(address) !== 4 || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`not an IPv4 CIDR the suite can allocate in: ${cidr}`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (ipv4ToInt(address) & mask) >>> 0, prefix };
}

export function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) + Number(part)) >>> 0, 0);
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

/**
 * A free host address in the subnet, picked by `pick` (a fast-check integer, so runs replay).
 * Skips the network address, the first host (the usual gateway) and the broadcast address.
 */
export function freeAddressIn(cidr: string, used: ReadonlySet<string>, pick: number): string | null {
  const { network, prefix } = parseIpv4Cidr(cidr);
  const hosts = 2 ** (32 - prefix) - 3;
  for (let i = 0; i < Math.min(hosts, 4096); i++) {
    const candidate = intToIpv4(network + 2 + ((pick + i) % hosts));
    if (!used.has(candidate)) return candidate;
  }
  return null;
}
