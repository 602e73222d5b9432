/**
 * Is the target a compute endpoint? Its version document says so (GET on the compute URL without
 * the project segment): `{"version": {"id": "v2.1", "min_version", "version", "media-types":
 * [{"type": "application/vnd.openstack.compute+json;version=2.1"}]}}`. Anything else (Keystone's
 * /v3, a service root listing versions, Neutron's /v2.0, a redirect) is a configuration mistake,
 * refused before the run with what was found: judging the wrong service would blame the vendor
 * for a typo.
 */

export interface VersionRange {
  readonly min: string | null;
  readonly max: string | null;
}

export interface VersionAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly json: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(answer: VersionAnswer, name: string): string | undefined {
  const entry = Object.entries(answer.headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/** The media types and id of one version entry, lower-cased. */
function describeEntry(entry: unknown): { id: string; types: string } {
  if (!isObject(entry)) return { id: '', types: '' };
  const media = Array.isArray(entry['media-types']) ? entry['media-types'] : [];
  const types = media
    .map((m) => (isObject(m) && typeof m.type === 'string' ? m.type : ''))
    .join(' ')
    .toLowerCase();
  return { id: typeof entry.id === 'string' ? entry.id.toLowerCase() : '', types };
}

const COMPUTE_ID = /^v2(\.[01])?$/;

function serviceOf(entry: { id: string; types: string }): 'compute' | 'identity' | 'network' | 'other' {
  if (entry.types.includes('compute')) return 'compute';
  if (entry.types.includes('identity') || entry.id.startsWith('v3')) return 'identity';
  if (entry.types.includes('network')) return 'network';
  return 'other';
}

/** The microversion range of a compute endpoint, or one line saying what the target is instead. */
export function judgeVersionDocument(answer: VersionAnswer, url: string): VersionRange | string {
  const location = header(answer, 'location');
  // 300 Multiple Choices without a Location is how Keystone's root lists its versions: judged by its body.
  if (answer.status >= 300 && answer.status < 400 && (answer.status !== 300 || location !== undefined)) {
    return `the target redirects (${answer.status}) to ${location ?? 'nowhere (no Location)'}: give the compute endpoint itself as --target (the suite never follows a redirect with the token)`;
  }
  if (answer.status === 401) return `the target refused the token (401 on ${url})`;
  // A 503 is a cloud that is briefly unavailable: the run's own retries and judgements deal with it.
  if (answer.status === 503) return { min: null, max: null };
  if (answer.status >= 500) return `the target answered ${answer.status} to GET ${url}: not a working compute endpoint`;
  const doc = answer.json;
  if (!isObject(doc))
    return `the target answered ${answer.status} to GET ${url} without a JSON version document: not a compute endpoint (it ends in /v2.1 or /v2.1/{project_id})`;
  if (isObject(doc.version)) {
    const entry = describeEntry(doc.version);
    const service = serviceOf(entry);
    if (service === 'identity')
      return `${url} is an identity (Keystone) endpoint (version ${entry.id}), not compute: take the compute URL from the catalog (openstack endpoint list --service compute)`;
    if (service === 'network') return `${url} is a network (Neutron) endpoint, not compute`;
    if (service !== 'compute' && !COMPUTE_ID.test(entry.id)) return `${url} serves version ${entry.id || '(no id)'}, not a compute version (v2.1)`;
    const version = doc.version;
    return {
      min: typeof version.min_version === 'string' && version.min_version !== '' ? version.min_version : null,
      max: typeof version.version === 'string' && version.version !== '' ? version.version : null,
    };
  }
  const versions = Array.isArray(doc.versions) ? doc.versions : isObject(doc.versions) && Array.isArray(doc.versions.values) ? doc.versions.values : null;
  if (versions !== null) {
    const entries = versions.map(describeEntry);
    const ids = entries
      .map((e) => e.id)
      .filter((id) => id !== '')
      .join(', ');
    if (entries.some((e) => serviceOf(e) === 'identity'))
      return `${url} is the root of an identity (Keystone) service (versions ${ids}), not a compute endpoint`;
    if (entries.some((e) => e.id === 'v2.1')) return `${url} is the root of a compute service (it lists versions ${ids}): add /v2.1 to --target`;
    return `${url} lists versions ${ids || '(none)'} of a service that is not compute (Neutron's root lists v2.0)`;
  }
  if (Array.isArray(doc.resources)) return `${url} is a network (Neutron) API (it lists resources), not compute`;
  return `the target answered ${answer.status} to GET ${url} without a compute version document ({"version": {"id": "v2.1", …}}): not a compute endpoint`;
}
