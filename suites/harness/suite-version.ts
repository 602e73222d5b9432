/** The suite's version, from package.json: every report names the suite that produced it. */
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
export const suiteVersion: string = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
