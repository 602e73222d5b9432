/**
 * JSON text that depends only on the data: object keys sorted, two-space indent, one trailing
 * newline. The generated files are compared byte for byte to detect staleness, so the order in which
 * code happened to build an object must not show in the output.
 */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(value, sortKeys, 2)}\n`;
}

function sortKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
