/**
 * The report digest: SHA-256 (lower-case hex) over the canonical JSON of the report without its
 * `digest` field. Canonical JSON is JSON with object keys sorted by code unit order at every depth
 * and no whitespace; arrays keep their order. Anyone can recompute it with a few lines in any
 * language (e.g. `jq -cS 'del(.digest, .signature)' conformance.json | tr -d '\n' | sha256sum` for ASCII-only
 * reports), so it proves the file was not edited after it was written, not who wrote it.
 */
import { createHash } from 'node:crypto';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    // undefined is not JSON: drop it here so the digest equals the one computed from the parsed file.
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}

/**
 * Digest of a report or matrix object; its own `digest` field, if any, is left out, and so is a
 * report's `signature` (sign.ts), which is made over the digest.
 */
export function computeDigest(document: object): string {
  const { digest: _ignored, signature: _signature, ...body } = document as { digest?: unknown; signature?: unknown };
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
