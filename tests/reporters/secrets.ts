/** The planted secrets (tests/reporters/fixtures/support.ts), and a check that none is in any text. */
import { expect } from 'vitest';
import { PLANTED } from './fixtures/support.ts';

export const PLANTED_VALUES: readonly string[] = Object.values(PLANTED);

export function expectNoSecrets(files: ReadonlyMap<string, string>): void {
  expect(files.size).toBeGreaterThan(0);
  for (const [path, text] of files) {
    for (const secret of PLANTED_VALUES) {
      expect(text.includes(secret), `${secret} found in ${path}`).toBe(false);
    }
  }
}
