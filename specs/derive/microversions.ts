/**
 * Compute API microversions ("2.49"): parsing and ordering. The syntax is Nova's
 * (nova/api/openstack/api_version_request.py: major and minor without leading zeros, minor may be 0).
 */
export interface Microversion {
  readonly major: number;
  readonly minor: number;
}

const MICROVERSION = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** Whether `text` is a microversion in Nova's syntax ("2.1", "2.70"; not "2.01" or "latest"). */
export function isMicroversion(text: string): boolean {
  return MICROVERSION.test(text);
}

export function parseMicroversion(text: string): Microversion {
  const match = MICROVERSION.exec(text);
  if (match === null) throw new Error(`'${text}' is not a microversion (expected MAJOR.MINOR, e.g. 2.49)`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Negative when a is older than b, 0 when equal, positive when newer (a sort comparator). */
export function compareMicroversions(a: string, b: string): number {
  const left = parseMicroversion(a);
  const right = parseMicroversion(b);
  return left.major - right.major || left.minor - right.minor;
}

/** The microversion just before `text` ("2.49" → "2.48"); used to close a range below a change. */
export function previousMicroversion(text: string): string {
  const { major, minor } = parseMicroversion(text);
  if (minor === 0) throw new Error(`no microversion precedes ${text} within major version ${major}`);
  return `${major}.${minor - 1}`;
}
