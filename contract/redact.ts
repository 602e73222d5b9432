/**
 * Credentials in what the suite records and the reporters write: the one table of credential
 * headers and of the shell variables that stand for each secret (used by the harness's Redactor,
 * suites/harness/redact.ts, and by the reports' last line of defence below).
 *
 * The harness already redacts what it records (suites/harness/redact.ts knows the actual secrets).
 * The reporter cannot rely on that: a crashed test's error message, a target that echoes a token in
 * its body, or a harness bug would otherwise reach conformance.json, the HTML page and the PR
 * summary. So every string of a report passes through here before it is digested or rendered, and
 * the rules match credentials by shape, not only by known value.
 *
 * Replacements are shell variables (`$OS_TOKEN`) where a reader may want to rerun a curl line, else
 * `***` (the harness's own mask). Both survive a second pass unchanged, so redaction is idempotent
 * and a report can be sealed again without its digest changing.
 */

/** What stands for a credential that has no variable of its own. */
export const MASK = '***';

/**
 * Every secret the suite may be given, with the shell variable that stands for it in reports and
 * curl lines (a reader exports it to rerun the line) and the environment variables it comes from.
 */
export const SECRETS = {
  token: { variable: 'OS_TOKEN', env: ['OSI_TOKEN', 'OS_TOKEN'] },
  altToken: { variable: 'OS_ALT_TOKEN', env: ['OSI_ALT_TOKEN'] },
  readerToken: { variable: 'OS_READER_TOKEN', env: ['OSI_READER_TOKEN'] },
  controlToken: { variable: 'OSI_CONTROL_TOKEN', env: ['OSI_CONTROL_TOKEN'] },
  password: { variable: 'OS_PASSWORD', env: ['OS_PASSWORD'] },
  authToken: { variable: 'OS_AUTH_TOKEN', env: ['OS_AUTH_TOKEN'] },
  applicationCredentialSecret: { variable: 'OS_APPLICATION_CREDENTIAL_SECRET', env: ['OS_APPLICATION_CREDENTIAL_SECRET'] },
} as const satisfies Record<string, { readonly variable: string; readonly env: readonly string[] }>;

export type SecretVariable = (typeof SECRETS)[keyof typeof SECRETS]['variable'];

const TOKEN_VARIABLE = `$${SECRETS.token.variable}`;

/**
 * Header names (lower case) whose value is always a credential, with the secret whose variable
 * stands for it; null: masked as ***.
 */
export const CREDENTIAL_HEADERS: ReadonlyMap<string, keyof typeof SECRETS | null> = new Map<string, keyof typeof SECRETS | null>([
  ['x-auth-token', 'token'],
  ['x-subject-token', 'token'],
  ['x-service-token', 'token'],
  ['x-control-token', 'controlToken'],
  ['authorization', null],
  ['proxy-authorization', null],
  ['cookie', null],
  ['set-cookie', null],
]);

/**
 * Tokens the suite makes up on purpose (the 401 scenarios) start with this, so that redaction
 * knows them for no credential and a curl line in the report reproduces the 401.
 */
export const MADE_UP_TOKEN_PREFIX = 'bogus-';

/** JSON keys (any case) whose string value is a secret wherever they appear. */
const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'auth_token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'client_secret',
  'application_credential_secret',
  'private_key',
]);

/**
 * Values that are already masks, or made-up tokens the harness sends on purpose (a 401 check needs
 * its bogus token in the curl line to reproduce). A real Keystone token never has these shapes.
 */
const MADE_UP_WORDS = [MADE_UP_TOKEN_PREFIX.replace(/-$/, ''), 'invalid', 'fake', 'not-a-token'];
const HARMLESS_VALUE = new RegExp(`^(?:\\*+|\\$[A-Za-z_][A-Za-z0-9_]*|(?:${MADE_UP_WORDS.join('|')})(?:[-_][A-Za-z0-9-]*)?)$`, 'i');

export interface KnownSecret {
  readonly value: string;
  readonly replacement: string;
}

const VARIABLE_OF_ENV: ReadonlyMap<string, string> = new Map(
  Object.values(SECRETS).flatMap(({ variable, env }) => env.map((name) => [name, variable] as const)),
);

/** Environment variable names that hold secrets by convention (OSI_TOKEN, OS_PASSWORD, GITHUB_TOKEN, ...). */
const SECRET_ENV_NAME = /(?:^|_)(?:TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIALS?|API_KEY)(?:$|_)/i;

/**
 * Secrets present in the environment of this process. Their literal values are removed wherever
 * they appear, whatever the surrounding text looks like. Values shorter than 8 characters are
 * skipped: replacing a short common string everywhere would garble reports without protecting much.
 */
export function secretsFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): KnownSecret[] {
  const secrets: KnownSecret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < 8 || !SECRET_ENV_NAME.test(name)) continue;
    const replacement = `$${VARIABLE_OF_ENV.get(name) ?? name}`;
    secrets.push({ value, replacement });
  }
  // Longest first, so a secret containing another is replaced whole.
  return secrets.sort((a, b) => b.value.length - a.value.length);
}

function keepOrReplace(value: string, replacement: string): string {
  return HARMLESS_VALUE.test(value) ? value : replacement;
}

function headerReplacement(name: string): string | undefined {
  const secret = CREDENTIAL_HEADERS.get(name.toLowerCase());
  return secret === undefined ? undefined : secret === null ? MASK : `$${SECRETS[secret].variable}`;
}

const HEADER_NAMES = [...CREDENTIAL_HEADERS.keys()].filter((h) => h !== 'authorization' && h !== 'proxy-authorization' && !h.includes('cookie'));

/**
 * `X-Auth-Token: abc`, `"X-Auth-Token": "abc"`, `x-auth-token=abc` (curl -H lines, logs, JSON dumps).
 * Token values never hold brackets or parentheses, so those end the value and the prose around it survives.
 */
const TOKEN_HEADER_TEXT = new RegExp(`\\b(${HEADER_NAMES.join('|')})(["']?\\s*[:=]\\s*["']?)([^\\s"',;(){}<>\\[\\]]+)`, 'gi');
/** `Authorization: Bearer abc` / `Basic abc` (scheme and credential both go). */
const AUTHORIZATION_TEXT = /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)((?:(?:bearer|basic|digest|negotiate|token)\s+)?[^\s"',;}\]]+)/gi;
/** `Cookie: a=b; c=d` up to the end of the line or the closing quote. */
const COOKIE_TEXT = /\b((?:set-)?cookie["']?\s*[:=]\s*["']?)([^\r\n"']+)/gi;
/** `"password": "abc"` and the other secret keys, in JSON text. */
const SECRET_JSON_TEXT = new RegExp(`("(?:${[...SECRET_KEYS].join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** `?token=abc&password=def` in URLs and form bodies. */
const SECRET_QUERY_TEXT = new RegExp(`([?&;](?:${[...SECRET_KEYS].join('|')})=)[^&#\\s"']*`, 'gi');
/**
 * `password: abc` / `password=abc` in free text (config dumps, error messages). A password may hold
 * any character, so the value runs to the next space, comma or semicolon even if that eats a bracket.
 */
const PASSWORD_TEXT = /(?<![\w"'-])(password|passwd)(\s*[:=]\s*)(?!["{[])([^\s,;]+)/gi;
/** `https://user:pass@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;
/** Keystone Fernet tokens (base64url, start with gAAAAA) and JWS tokens, wherever they appear. */
const FERNET_TOKEN = /\bgAAAAA[A-Za-z0-9_=-]{40,}/g;
const JWS_TOKEN = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

/** Redacts one string. Idempotent: redactText(redactText(s)) === redactText(s). */
export function redactText(input: string, secrets: readonly KnownSecret[] = []): string {
  let out = input;
  for (const { value, replacement } of secrets) {
    if (out.includes(value)) out = out.split(value).join(replacement);
  }
  out = out.replace(
    TOKEN_HEADER_TEXT,
    (_m, name: string, sep: string, value: string) => `${name}${sep}${keepOrReplace(value, headerReplacement(name) ?? MASK)}`,
  );
  out = out.replace(AUTHORIZATION_TEXT, (_m, prefix: string, value: string) => `${prefix}${keepOrReplace(value, MASK)}`);
  out = out.replace(COOKIE_TEXT, (_m, prefix: string, value: string) => `${prefix}${keepOrReplace(value.trim(), MASK)}`);
  out = out.replace(SECRET_JSON_TEXT, `$1"${MASK}"`);
  out = out.replace(SECRET_QUERY_TEXT, `$1${MASK}`);
  out = out.replace(PASSWORD_TEXT, (_m, key: string, sep: string, value: string) => `${key}${sep}${keepOrReplace(value, MASK)}`);
  out = out.replace(URL_USERINFO, `$1${MASK}@`);
  out = out.replace(FERNET_TOKEN, TOKEN_VARIABLE);
  out = out.replace(JWS_TOKEN, MASK);
  return out;
}

/**
 * Redacts every string in a JSON-like value. Object keys decide too: a credential header keeps its
 * name but loses its value, and a secret key (`password`) loses its value whatever its type, since
 * Keystone nests the password under `"password": {"user": ...}`.
 */
export function redactDeep<T>(value: T, secrets: readonly KnownSecret[] = []): T {
  return redactValue(value, secrets) as T;
}

function redactValue(value: unknown, secrets: readonly KnownSecret[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    const header = headerReplacement(lower);
    if (header !== undefined && typeof item === 'string') out[key] = keepOrReplace(item, header);
    else if (SECRET_KEYS.has(lower) && (typeof item === 'string' || lower === 'password' || lower === 'passwd')) {
      out[key] = typeof item === 'string' ? keepOrReplace(item, MASK) : MASK;
    } else out[key] = redactValue(item, secrets);
  }
  return out;
}
