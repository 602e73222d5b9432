/** Name and version of this suite, from its package.json (the report names what judged the target). */
import { readFileSync } from 'node:fs';
import { isObject } from './shapes.ts';

export interface SuiteInfo {
  readonly name: string;
  readonly version: string;
}

let cached: SuiteInfo | undefined;

export function suiteInfo(): SuiteInfo {
  if (cached === undefined) {
    let name = 'os-interface-conformance';
    let version = '0.0.0-unknown';
    try {
      const parsed: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
      if (isObject(parsed) && typeof parsed.name === 'string') name = parsed.name;
      if (isObject(parsed) && typeof parsed.version === 'string') version = parsed.version;
    } catch {
      // A report without a known version is still a report; the fallback says it is unknown.
    }
    cached = { name, version };
  }
  return cached;
}
