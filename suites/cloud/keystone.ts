/**
 * Keystone v3 authentication: password, token and application-credential methods, scoped to a
 * project (an application credential carries its own scope). Returns the token, when it expires,
 * the project and the service catalog. Nothing here logs; the request record that HttpClient
 * makes is redacted with the method's secrets and then dropped.
 */
import type { HttpClient } from '../harness/http.ts';
import type { SecretBinding } from '../harness/redact.ts';
import { SECRETS } from '../../contract/redact.ts';
import { parseCatalog, type CatalogService } from './catalog.ts';
import type { AuthMethod, DomainRef, ProjectScope, UserRef } from './clouds-yaml.ts';
import { CloudAccessError } from './errors.ts';
import { explainUnreachable } from './unreachable.ts';

export interface KeystoneToken {
  readonly token: string;
  /** Epoch milliseconds; null when Keystone did not say. */
  readonly expiresAt: number | null;
  readonly projectId: string;
  readonly userId: string | null;
  readonly catalog: readonly CatalogService[];
}

/** The v3 API of an auth_url given with or without its version ("…/v3", "…/identity", "…:5000"). */
export function identityV3(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

function domainBody(domain: DomainRef): Record<string, string> {
  return 'id' in domain ? { id: domain.id } : { name: domain.name };
}

function userBody(user: UserRef): Record<string, unknown> {
  return 'id' in user ? { id: user.id } : { name: user.name, domain: domainBody(user.domain) };
}

function scopeBody(scope: ProjectScope): Record<string, unknown> {
  return { project: 'id' in scope ? { id: scope.id } : { name: scope.name, domain: domainBody(scope.domain) } };
}

/** The body of POST /v3/auth/tokens for the method. */
export function authRequestBody(auth: AuthMethod): Record<string, unknown> {
  switch (auth.kind) {
    case 'password':
      return {
        auth: { identity: { methods: ['password'], password: { user: { ...userBody(auth.user), password: auth.password } } }, scope: scopeBody(auth.scope) },
      };
    case 'token':
      return { auth: { identity: { methods: ['token'], token: { id: auth.token } }, scope: scopeBody(auth.scope) } };
    case 'application-credential': {
      const credential = 'id' in auth.credential ? { id: auth.credential.id } : { name: auth.credential.name, user: userBody(auth.credential.user) };
      return { auth: { identity: { methods: ['application_credential'], application_credential: { ...credential, secret: auth.secret } } } };
    }
  }
}

/** The secrets of the method, for the redactor of any client that sends them. */
export function authSecrets(auth: AuthMethod): SecretBinding[] {
  switch (auth.kind) {
    case 'password':
      return [{ value: auth.password, variable: SECRETS.password.variable }];
    case 'token':
      return [{ value: auth.token, variable: SECRETS.authToken.variable }];
    case 'application-credential':
      return [{ value: auth.secret, variable: SECRETS.applicationCredentialSecret.variable }];
  }
}

function describeAuth(auth: AuthMethod): string {
  return auth.kind === 'application-credential' ? 'application credential' : auth.kind === 'token' ? 'token' : 'password';
}

/** Authenticates; throws CloudAccessError with one line (never quoting a secret) when it cannot. */
export async function authenticate(client: HttpClient, authUrl: string, auth: AuthMethod): Promise<KeystoneToken> {
  const url = `${identityV3(authUrl)}/auth/tokens`;
  const exchange = await client.send({
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(authRequestBody(auth)),
  });
  const { answer } = exchange;
  if (!answer) throw new CloudAccessError(`identity: ${explainUnreachable(url, exchange.transportCode, exchange.record.transportError)}`);
  if (answer.status === 401) throw new CloudAccessError(`identity refused the ${describeAuth(auth)} credentials (401 from ${url})`);
  if (answer.status !== 201 && answer.status !== 200) {
    throw new CloudAccessError(`identity answered ${answer.status} to POST ${url}${answer.status === 404 ? ' (is auth_url the Keystone endpoint?)' : ''}`);
  }
  const token = answer.headers['x-subject-token'];
  const body = (answer.json as { token?: Record<string, unknown> } | undefined)?.token;
  if (!token || !body) throw new CloudAccessError(`identity at ${url} answered without a token (no X-Subject-Token or token body)`);
  const project = body.project as { id?: unknown } | undefined;
  if (typeof project?.id !== 'string') throw new CloudAccessError('identity issued a token without a project scope: the suite needs a project-scoped token');
  const expires = typeof body.expires_at === 'string' ? Date.parse(body.expires_at) : Number.NaN;
  const user = body.user as { id?: unknown } | undefined;
  return {
    token,
    expiresAt: Number.isNaN(expires) ? null : expires,
    projectId: project.id,
    userId: typeof user?.id === 'string' ? user.id : null,
    catalog: parseCatalog(body.catalog),
  };
}
