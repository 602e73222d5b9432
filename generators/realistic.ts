/**
 * Realistic values from faker, driven by fast-check so that a run's seed replays them and
 * shrinking stays possible (faker is reseeded from a generated integer for every value).
 */
import fc from 'fast-check';
import { faker } from '@faker-js/faker';

export function fakerText<T>(make: () => T): fc.Arbitrary<T> {
  return fc.integer({ min: 0, max: 0x7fffffff }).map((seed) => {
    faker.seed(seed);
    return make();
  });
}

/** A device tag a person would write: "public", "storage-nic", "mgmt-eth1". */
export function realisticTag(maxLength: number): fc.Arbitrary<string> {
  return fakerText(() =>
    faker.helpers
      .slugify(
        faker.helpers.arrayElement([faker.word.noun(), `${faker.word.adjective()}-${faker.word.noun()}`, `${faker.word.noun()}-eth${faker.number.int(9)}`]),
      )
      .slice(0, maxLength),
  ).filter((t) => t.length > 0);
}
