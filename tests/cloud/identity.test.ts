/**
 * Keystone v3 against the fake cloud: password, token and application-credential methods; the
 * catalog's endpoints by region and interface; and the suite's token renewed before it expires and
 * after a 401 to it (never after a 401 to a token the suite did not obtain).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { AuthorizedSender } from '../../suites/cloud/authorized.ts';
import { catalogOrigins, findEndpoint } from '../../suites/cloud/catalog.ts';
import type { AuthMethod } from '../../suites/cloud/clouds-yaml.ts';
import { RenewableToken } from '../../suites/cloud/credential.ts';
import { CloudAccessError } from '../../suites/cloud/errors.ts';
import { authenticate, identityV3 } from '../../suites/cloud/keystone.ts';
import { HttpClient } from '../../suites/harness/http.ts';
import { Redactor } from '../../suites/harness/redact.ts';

let cloud: RunningFakeCloud;
const client = new HttpClient(new Redactor([]), 2_000);

beforeAll(async () => {
  cloud = await startFakeCloud({ tokenTtlSeconds: 1 });
});
afterAll(() => cloud.close());

function password(secret = cloud.seed.password): AuthMethod {
  return {
    kind: 'password',
    user: { name: cloud.seed.username, domain: { name: 'Default' } },
    password: secret,
    scope: { name: cloud.seed.project_name, domain: { id: 'default' } },
  };
}

describe('authentication', () => {
  it('password, scoped by project name: a token, its expiry, the project and the catalog', async () => {
    const issued = await authenticate(client, cloud.seed.identity_url, password());
    expect(issued.projectId).toBe(cloud.seed.project_id);
    expect(issued.expiresAt).toBeGreaterThan(Date.now());
    expect(findEndpoint(issued.catalog, 'compute', { regionName: 'RegionOne', interface: 'public' })).toBe(cloud.seed.compute_url_with_project);
    expect(catalogOrigins(issued.catalog)).toEqual([cloud.url]);
  });

  it('token and application-credential methods; an auth_url without /v3 works too', async () => {
    const byToken = await authenticate(client, cloud.url, { kind: 'token', token: cloud.seed.token, scope: { id: cloud.seed.project_id } });
    expect(byToken.projectId).toBe(cloud.seed.project_id);
    const byCredential = await authenticate(client, cloud.seed.identity_url, {
      kind: 'application-credential',
      credential: { id: cloud.seed.application_credential_id },
      secret: cloud.seed.application_credential_secret,
    });
    expect(byCredential.projectId).toBe(cloud.seed.project_id);
    expect(identityV3('https://k.example/identity/')).toBe('https://k.example/identity/v3');
  });

  it('refused credentials: one line that names the method and never the secret', async () => {
    const attempt = authenticate(client, cloud.seed.identity_url, password('not-the-password-1234'));
    await expect(attempt).rejects.toThrow(CloudAccessError);
    await expect(authenticate(client, cloud.seed.identity_url, password('not-the-password-1234'))).rejects.toThrow(
      /^identity refused the password credentials \(401 from http/,
    );
    await attempt.catch((error: unknown) => expect(String(error)).not.toContain('not-the-password-1234'));
  });

  it('an endpoint the catalog lacks: the message says what it offers', async () => {
    const { catalog } = await authenticate(client, cloud.seed.identity_url, password());
    expect(() => findEndpoint(catalog, 'compute', { regionName: 'Mars', interface: 'public' })).toThrow(
      /no compute endpoint public in region Mars \(it offers public\/RegionOne, internal\/RegionOne\)/,
    );
    expect(() => findEndpoint(catalog, 'block-storage', { regionName: null, interface: 'public' })).toThrow(
      /no block-storage service \(services: identity, compute, network, image\)/,
    );
  });
});

describe('renewal', () => {
  async function credential(): Promise<RenewableToken> {
    const obtainedAt = Date.now();
    const issued = await authenticate(client, cloud.seed.identity_url, password());
    return new RenewableToken({ authUrl: cloud.seed.identity_url, auth: password(), token: issued.token, expiresAt: issued.expiresAt, obtainedAt }, client);
  }

  it('a token near its expiry is replaced before it is sent', async () => {
    const tokens = await credential();
    const first = tokens.token;
    await new Promise((resolve) => setTimeout(resolve, 850));
    const fresh = await tokens.fresh();
    expect(fresh).not.toBe(first);
    expect(tokens.isOwn(first) && tokens.isOwn(fresh)).toBe(true);
    expect(tokens.renewals).toBe(1);
  });

  it("a 401 to the suite's token: renewed once, sent again; concurrent requests share one renewal", async () => {
    const tokens = await credential();
    const sender = new AuthorizedSender(client, tokens, new Set([cloud.url]));
    const expired = tokens.token;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const url = `${cloud.seed.compute_url_with_project}/servers/${cloud.seed.server_id}/os-interface`;
    // fresh() sees the expired token as due and renews before sending; the server never answers 401.
    const answers = await Promise.all(Array.from({ length: 4 }, () => sender.send({ method: 'GET', url, headers: { 'X-Auth-Token': expired } })));
    expect(answers.map((a) => a.answer?.status)).toEqual([200, 200, 200, 200]);
    expect(tokens.renewals).toBe(1);
  });

  it('a 401 to a token the suite did not obtain is the answer, with no renewal', async () => {
    const tokens = await credential();
    const sender = new AuthorizedSender(client, tokens, new Set([cloud.url]));
    const url = `${cloud.seed.compute_url_with_project}/servers/${cloud.seed.server_id}/os-interface`;
    const answer = await sender.send({ method: 'GET', url, headers: { 'X-Auth-Token': 'bogus-token-of-a-scenario' } });
    expect(answer.answer?.status).toBe(401);
    expect(tokens.renewals).toBe(0);
  });

  it("the token is revoked behind the suite's back: the 401 is answered by re-authenticating", async () => {
    const tokens = await credential();
    const sender = new AuthorizedSender(client, tokens, new Set([cloud.url]));
    const revoked = tokens.token;
    // Revoke it with the seed token (DELETE /v3/auth/tokens): the next request with it gets 401.
    await client.send({
      method: 'DELETE',
      url: `${cloud.seed.identity_url}/auth/tokens`,
      headers: { 'X-Auth-Token': cloud.seed.token, 'X-Subject-Token': revoked },
    });
    const url = `${cloud.seed.compute_url_with_project}/servers/${cloud.seed.server_id}/os-interface`;
    const exchange = await sender.send({ method: 'GET', url, headers: { 'X-Auth-Token': revoked } });
    expect(exchange.answer?.status).toBe(200);
    expect(tokens.renewals).toBe(1);
    expect(tokens.token).not.toBe(revoked);
  });
});
