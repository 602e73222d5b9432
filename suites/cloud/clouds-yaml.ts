/**
 * Finding a cloud's settings the way OpenStack users already write them: clouds.yaml (with
 * secure.yaml merged in) or the OS_* environment variables, read as openstacksdk reads them.
 *
 * - Files: OS_CLIENT_CONFIG_FILE first, then clouds.{yaml,yml,json} in the current directory,
 *   ~/.config/openstack and /etc/openstack; the first one that exists wins. secure.* likewise
 *   (OS_CLIENT_SECURE_FILE first), deep-merged over it, so passwords can live apart.
 * - OS_* variables (other than selectors such as OS_CLOUD and OS_REGION_NAME) form a cloud named
 *   "envvars", as in openstacksdk. They are not mixed into a cloud named from a file.
 * - Which cloud: --os-cloud / OS_CLOUD; else "envvars" when OS_* variables describe one; else the
 *   file's only cloud.
 * - Region, interface, CA bundle and insecure given as flags (or their OS_* variables) override the
 *   cloud's own, as the openstack client's --os-region-name and friends do.
 *
 * Errors name the file, the cloud and the missing key; they never quote a value, since values may
 * be secrets.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CloudConfigError } from './errors.ts';

/** A project to scope the token to: by id, or by name within a domain. */
export type ProjectScope = { readonly id: string } | { readonly name: string; readonly domain: DomainRef };
export type DomainRef = { readonly id: string } | { readonly name: string };
export type UserRef = { readonly id: string } | { readonly name: string; readonly domain: DomainRef };

/** Keystone v3 methods the suite speaks. Holds secrets: never printed, never written to a report. */
export type AuthMethod =
  | { readonly kind: 'password'; readonly user: UserRef; readonly password: string; readonly scope: ProjectScope }
  | { readonly kind: 'token'; readonly token: string; readonly scope: ProjectScope }
  | {
      readonly kind: 'application-credential';
      readonly credential: { readonly id: string } | { readonly name: string; readonly user: UserRef };
      readonly secret: string;
    };

export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface CloudProfile {
  /** The cloud's name in clouds.yaml, or "envvars". */
  readonly name: string;
  /** Where it was read from: a file path or "the OS_* environment". For messages. */
  readonly source: string;
  readonly authUrl: string;
  readonly auth: AuthMethod;
  readonly regionName: string | null;
  readonly interface: EndpointInterface;
  /** PEM bundle to trust instead of the system's. */
  readonly cacert: string | null;
  readonly insecure: boolean;
}

/** Settings given on the command line (or their variables), which win over the cloud's. */
export interface ProfileOverrides {
  readonly cloud: string | null;
  readonly regionName: string | null;
  readonly interface: string | null;
  readonly cacert: string | null;
  readonly insecure: boolean | null;
}

type Env = Readonly<Record<string, string | undefined>>;
type Dict = Record<string, unknown>;

const FILE_SUFFIXES = ['.yaml', '.yml', '.json'];
/** OS_* variables that only select or locate a cloud: alone they do not describe one. */
const SELECTORS = new Set([
  'OS_CLOUD',
  'OS_REGION_NAME',
  'OS_CLIENT_CONFIG_FILE',
  'OS_CLIENT_SECURE_FILE',
  'OS_CLOUD_NAME',
  'OS_INTERFACE',
  'OS_CACERT',
  'OS_INSECURE',
]);
/** Variables of test tools that share the prefix (openstacksdk skips them too). */
const NOT_OURS = /^OS_(TEST|STD|LOG)/;
const ENVVARS_CLOUD = 'envvars';

export function searchDirectories(cwd: string, home: string, siteDir = '/etc/openstack'): string[] {
  return [cwd, path.join(home, '.config', 'openstack'), siteDir];
}

function candidates(base: 'clouds' | 'secure', override: string | undefined, dirs: readonly string[]): string[] {
  const files = dirs.flatMap((dir) => FILE_SUFFIXES.map((suffix) => path.join(dir, `${base}${suffix}`)));
  return override ? [override, ...files] : files;
}

/** The first readable file of the list, parsed; null when none exists. */
function loadFirst(files: readonly string[]): { file: string; data: Dict } | null {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Missing or unreadable: try the next place, as openstacksdk does.
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') continue;
      throw new CloudConfigError(`cannot read ${file}: ${code ?? 'error'}`);
    }
    let data: unknown;
    try {
      data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (error) {
      // The parser's first line names line and column; it quotes YAML text only around a syntax error.
      const where = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
      throw new CloudConfigError(
        `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}${where ? ` (line ${where.line}, column ${where.col})` : ''}`,
      );
    }
    if (!isDict(data)) throw new CloudConfigError(`${file} is empty or not a mapping`);
    return { file, data };
  }
  return null;
}

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** openstacksdk's merge_clouds: nested mappings merged key by key, the second side winning. */
export function mergeDeep(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isDict(current) && isDict(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

/** Keys with "-" are the same as with "_" (openstacksdk normalises them). */
function normalizeKeys(dict: Dict): Dict {
  const out: Dict = {};
  for (const [key, value] of Object.entries(dict)) out[key.replaceAll('-', '_')] = isDict(value) ? normalizeKeys(value) : value;
  return out;
}

/** The "envvars" cloud: every OS_* variable that is not a selector, as a lower-case key. */
export function environmentCloud(env: Env): Dict | null {
  const cloud: Dict = {};
  let describes = false;
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('OS_') || NOT_OURS.test(name) || value === undefined || value === '') continue;
    cloud[name.slice(3).toLowerCase()] = value;
    if (!SELECTORS.has(name)) describes = true;
  }
  return describes ? cloud : null;
}

export interface LoadOptions {
  readonly env: Env;
  readonly overrides: ProfileOverrides;
  readonly cwd?: string;
  readonly home?: string;
  /** The system-wide directory (tests point it away from the host's /etc/openstack). */
  readonly siteDir?: string;
}

/** Reads the selected cloud's profile, or throws CloudConfigError with one line that says why. */
export function loadCloudProfile(options: LoadOptions): CloudProfile {
  const { env, overrides } = options;
  const dirs = searchDirectories(options.cwd ?? process.cwd(), options.home ?? homedir(), options.siteDir);
  const clouds = loadFirst(candidates('clouds', env.OS_CLIENT_CONFIG_FILE, dirs));
  const secure = loadFirst(candidates('secure', env.OS_CLIENT_SECURE_FILE, dirs));
  const fileClouds = isDict(clouds?.data.clouds) ? (clouds?.data.clouds as Dict) : {};
  const merged = secure && isDict(secure.data.clouds) ? mergeDeep(fileClouds, secure.data.clouds as Dict) : fileClouds;
  const fromEnv = environmentCloud(env);
  const fileName = clouds?.file ?? 'clouds.yaml';
  const names = Object.keys(merged);

  let name: string;
  let raw: unknown;
  let source: string;
  if (overrides.cloud !== null) {
    name = overrides.cloud;
    if (!clouds)
      throw new CloudConfigError(
        `cloud "${name}" asked for, but no clouds.yaml was found (looked in ${dirs.join(', ')}${env.OS_CLIENT_CONFIG_FILE ? ` and ${env.OS_CLIENT_CONFIG_FILE}` : ''})`,
      );
    if (!Object.hasOwn(merged, name)) throw new CloudConfigError(`cloud "${name}" is not in ${fileName} (clouds there: ${names.join(', ') || 'none'})`);
    raw = merged[name];
    source = fileName;
  } else if (fromEnv) {
    name = ENVVARS_CLOUD;
    raw = fromEnv;
    source = 'the OS_* environment';
  } else if (names.length === 1) {
    name = names[0] as string;
    raw = merged[name];
    source = fileName;
  } else {
    throw new CloudConfigError(
      names.length > 1
        ? `several clouds in ${fileName} (${names.join(', ')}): choose one with --os-cloud NAME`
        : 'no cloud configured: give --os-cloud NAME (clouds.yaml) or set OS_AUTH_URL and the other OS_* variables',
    );
  }
  if (!isDict(raw)) throw new CloudConfigError(`cloud "${name}" in ${source} is not a mapping`);
  return profileFrom(name, source, normalizeKeys(raw), overrides);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

function booleanish(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return /^(true|yes|1|on)$/i.test(value.trim()) ? true : /^(false|no|0|off|)$/i.test(value.trim()) ? false : null;
  return null;
}

/**
 * Keys that may sit at the top of a cloud or inside auth. For these openstacksdk prefers the top
 * level (it may hold command-line or environment overrides); for the rest, auth wins.
 */
const TOP_LEVEL_WINS: Readonly<Record<string, readonly string[]>> = {
  project_id: ['tenant_id', 'project_id'],
  project_name: ['tenant_name', 'project_name'],
  user_domain_id: ['user_domain_id'],
  user_domain_name: ['user_domain_name'],
  project_domain_id: ['project_domain_id'],
  project_domain_name: ['project_domain_name'],
  domain_id: ['domain_id'],
  domain_name: ['domain_name'],
  token: ['auth_token', 'token'],
};
const AUTH_WINS = ['auth_url', 'username', 'user_id', 'password', 'application_credential_id', 'application_credential_name', 'application_credential_secret'];

function authSettings(cloud: Dict): Dict {
  const auth: Dict = isDict(cloud.auth) ? { ...cloud.auth } : {};
  for (const [target, aliases] of Object.entries(TOP_LEVEL_WINS)) {
    let value: unknown;
    for (const alias of aliases) {
      if (auth[alias] !== undefined) value = auth[alias];
      if (cloud[alias] !== undefined) value = cloud[alias];
      delete auth[alias];
    }
    if (value !== undefined) auth[target] = value;
  }
  for (const key of AUTH_WINS) if (auth[key] === undefined && cloud[key] !== undefined) auth[key] = cloud[key];
  // "domain_*" stands for both the user's and the project's domain when those are not given.
  for (const suffix of ['id', 'name'] as const) {
    const shared = auth[`domain_${suffix}`];
    if (shared === undefined) continue;
    auth[`user_domain_${suffix}`] ??= shared;
    auth[`project_domain_${suffix}`] ??= shared;
  }
  return auth;
}

function domainOf(auth: Dict, prefix: 'user' | 'project'): DomainRef | null {
  const id = text(auth[`${prefix}_domain_id`]);
  if (id !== null) return { id };
  const name = text(auth[`${prefix}_domain_name`]);
  return name !== null ? { name } : null;
}

function userOf(auth: Dict, where: string): UserRef {
  const id = text(auth.user_id);
  if (id !== null) return { id };
  const name = text(auth.username);
  if (name === null) throw new CloudConfigError(`${where}: username or user_id is missing`);
  const domain = domainOf(auth, 'user');
  if (domain === null) throw new CloudConfigError(`${where}: username needs user_domain_name or user_domain_id`);
  return { name, domain };
}

function scopeOf(auth: Dict, where: string): ProjectScope {
  const id = text(auth.project_id);
  if (id !== null) return { id };
  const name = text(auth.project_name);
  if (name === null) throw new CloudConfigError(`${where}: project_name or project_id is missing (the suite works inside one project)`);
  const domain = domainOf(auth, 'project');
  if (domain === null) throw new CloudConfigError(`${where}: project_name needs project_domain_name or project_domain_id`);
  return { name, domain };
}

const AUTH_TYPES: Readonly<Record<string, AuthMethod['kind']>> = {
  password: 'password',
  v3password: 'password',
  token: 'token',
  v3token: 'token',
  v3applicationcredential: 'application-credential',
  applicationcredential: 'application-credential',
};

function authMethodOf(cloud: Dict, auth: Dict, where: string): AuthMethod {
  const declared = text(cloud.auth_type) ?? text(cloud.auth_plugin);
  let kind: AuthMethod['kind'];
  if (declared !== null) {
    const known = AUTH_TYPES[declared.toLowerCase()];
    if (!known) throw new CloudConfigError(`${where}: auth_type "${declared}" is not supported (supported: password, token, v3applicationcredential)`);
    kind = known;
  } else if (auth.application_credential_secret !== undefined) kind = 'application-credential';
  else if (auth.token !== undefined && auth.password === undefined) kind = 'token';
  else kind = 'password';

  if (kind === 'password') {
    const password = text(auth.password);
    if (password === null) throw new CloudConfigError(`${where}: password is missing (put it in secure.yaml or OS_PASSWORD)`);
    return { kind, user: userOf(auth, where), password, scope: scopeOf(auth, where) };
  }
  if (kind === 'token') {
    const token = text(auth.token);
    if (token === null) throw new CloudConfigError(`${where}: token is missing`);
    return { kind, token, scope: scopeOf(auth, where) };
  }
  const secret = text(auth.application_credential_secret);
  if (secret === null) throw new CloudConfigError(`${where}: application_credential_secret is missing`);
  const id = text(auth.application_credential_id);
  if (id !== null) return { kind, credential: { id }, secret };
  const name = text(auth.application_credential_name);
  if (name === null) throw new CloudConfigError(`${where}: application_credential_id or application_credential_name is missing`);
  return { kind, credential: { name, user: userOf(auth, where) }, secret };
}

const INTERFACES: Readonly<Record<string, EndpointInterface>> = {
  public: 'public',
  publicurl: 'public',
  internal: 'internal',
  internalurl: 'internal',
  admin: 'admin',
  adminurl: 'admin',
};

function interfaceOf(value: string | null, where: string): EndpointInterface {
  if (value === null) return 'public';
  const known = INTERFACES[value.toLowerCase()];
  if (!known) throw new CloudConfigError(`${where}: interface must be public, internal or admin, not "${value}"`);
  return known;
}

/** The cloud's regions (regions: list of names or {name}, or region_name), in order. */
function regionsOf(cloud: Dict): string[] {
  if (Array.isArray(cloud.regions)) {
    return cloud.regions.map((r) => (isDict(r) ? text(r.name) : text(r))).filter((r): r is string => r !== null);
  }
  const single = text(cloud.region_name);
  return single === null
    ? []
    : single
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '');
}

function profileFrom(name: string, source: string, cloud: Dict, overrides: ProfileOverrides): CloudProfile {
  const where = name === ENVVARS_CLOUD ? source : `cloud "${name}" in ${source}`;
  const auth = authSettings(cloud);
  const authUrl = text(auth.auth_url);
  if (authUrl === null) throw new CloudConfigError(`${where}: auth_url is missing`);
  let parsed: URL;
  try {
    parsed = new URL(authUrl);
  } catch {
    throw new CloudConfigError(`${where}: auth_url is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CloudConfigError(`${where}: auth_url must be http or https`);
  const regions = regionsOf(cloud);
  let regionName = overrides.regionName ?? regions[0] ?? null;
  if (overrides.regionName !== null && regions.length > 0 && !regions.includes(overrides.regionName)) {
    throw new CloudConfigError(`region "${overrides.regionName}" is not a region of ${where} (regions: ${regions.join(', ')}; names are case sensitive)`);
  }
  if (regionName === '') regionName = null;
  const verify = booleanish(cloud.verify);
  const insecure = overrides.insecure ?? booleanish(cloud.insecure) ?? verify === false;
  return {
    name,
    source,
    authUrl: authUrl.replace(/\/+$/, ''),
    auth: authMethodOf(cloud, auth, where),
    regionName,
    interface: interfaceOf(overrides.interface ?? text(cloud.interface) ?? text(cloud.endpoint_type), where),
    cacert: overrides.cacert ?? text(cloud.cacert),
    insecure,
  };
}
