/**
 * UUIDs as Nova reads them, and values that are not UUIDs under any reading.
 *
 * Nova checks the uuid format with oslo's is_uuid_like, which forgives case, missing dashes, braces
 * and "urn:uuid:" prefixes. A negative case must be malformed for Nova as well as for a strict
 * reader, or the suite would blame a faithful cloud for accepting it.
 */
import fc from 'fast-check';
import { faker } from '@faker-js/faker';
import { isUuidLike } from '../specs/formats/uuid.ts';
import { fakerText } from './realistic.ts';

/** Strings that no reader takes for a UUID: near misses, other identifiers, junk. */
export function malformedUuid(): fc.Arbitrary<string> {
  const nearMiss = fc.uuid().chain((uuid) =>
    fc.oneof(
      fc.constant(uuid.slice(0, -1)), // one digit short
      fc.constant(`${uuid}0`), // one digit long
      fc.constant(`${uuid.slice(0, 9)}g${uuid.slice(10)}`), // a non-hex digit
      fc.constant(`${uuid} `),
      fc.constant(uuid.replace(/-/g, '_')),
    ),
  );
  const otherIdentifiers = fakerText(() =>
    faker.helpers.arrayElement([faker.internet.mac(), faker.internet.ipv4(), faker.word.noun(), faker.string.alphanumeric(12), faker.internet.domainName()]),
  );
  const junk = fc.string({ maxLength: 40 });
  return fc.oneof(nearMiss, otherIdentifiers, junk, fc.constant('')).filter((s) => !isUuidLike(s));
}
