/**
 * What counts as a UUID, in the two senses the project needs: what Nova takes for one (oslo's
 * is_uuid_like, the `uuid` format of its schemas), and the plain shape of the ids a cloud hands
 * out and a user passes on the command line (hex digits in 8-4-4-4-12 groups, dashes optional).
 */

/**
 * oslo_utils.uuidutils.is_uuid_like: "urn:" and "uuid:" are dropped, braces stripped from both
 * ends, dashes removed; what is left must be 32 hex digits. So dashless, upper-case, braced and
 * urn:uuid: forms pass.
 */
export function isUuidLike(value: string): boolean {
  let text = value;
  if (text.includes(':')) text = text.replaceAll('urn:', '').replaceAll('uuid:', '');
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '{' || text[start] === '}')) start++;
  while (end > start && (text[end - 1] === '{' || text[end - 1] === '}')) end--;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2d) continue;
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
    if (!hex || ++digits > 32) return false;
  }
  return digits === 32;
}

const UUID_SHAPE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * An id as Neutron and Nova hand them out (and Keystone, without dashes): 32 hex digits in 8-4-4-4-12
 * groups, dashes optional. No braces or urn: forms, so the value can go into a URL path as it is.
 */
export function isUuidShaped(value: string): boolean {
  return UUID_SHAPE.test(value);
}
