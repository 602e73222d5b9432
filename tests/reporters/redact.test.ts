import { describe, expect, test } from 'vitest';
import { CREDENTIAL_HEADERS, MADE_UP_TOKEN_PREFIX, redactDeep, redactText, SECRETS, secretsFromEnvironment } from '../../contract/redact.ts';
import { OPTION_SPECS } from '../../suites/harness/options.ts';
import { Redactor } from '../../suites/harness/redact.ts';

const FERNET = `gAAAAAB${'k3y'.repeat(30)}`;

describe('redactText', () => {
  test.each([
    ["curl -H 'X-Auth-Token: abc123secret' https://x", "curl -H 'X-Auth-Token: $OS_TOKEN' https://x"],
    ['-H "x-auth-token: abc123secret"', '-H "x-auth-token: $OS_TOKEN"'],
    ['X-Subject-Token: s3cr3t', 'X-Subject-Token: $OS_TOKEN'],
    ['{"X-Control-Token": "ctl-secret"}', '{"X-Control-Token": "$OSI_CONTROL_TOKEN"}'],
    ['Authorization: Bearer eyAbc.def', 'Authorization: ***'],
    ['{"auth": {"password": "hunter2", "name": "u"}}', '{"auth": {"password": "***", "name": "u"}}'],
    ['{"Password" : "with \\" quote"}', '{"Password" : "***"}'],
    ['https://h/v2.1?token=abc&x=1', 'https://h/v2.1?token=***&x=1'],
    ['https://admin:pw@host/v2.1', 'https://***@host/v2.1'],
    ['password=hunter2 rest', 'password=*** rest'],
    [`echoed ${FERNET} back`, 'echoed $OS_TOKEN back'],
    ['Cookie: session=abc; other=def', 'Cookie: ***'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  test('keeps masks and the made-up tokens a 401 check needs to reproduce', () => {
    for (const value of ['$OS_TOKEN', '***', `${MADE_UP_TOKEN_PREFIX}token`, 'invalid', 'not-a-token']) {
      expect(redactText(`X-Auth-Token: ${value}`)).toBe(`X-Auth-Token: ${value}`);
    }
  });

  test('leaves prose about tokens alone', () => {
    const prose = 'A request without X-Auth-Token must be refused with 401; the token header is checked first.';
    expect(redactText(prose)).toBe(prose);
  });

  test('is idempotent', () => {
    const input = `-H 'X-Auth-Token: abc' {"password": "p"} https://u:p@h?token=t ${FERNET} X-Control-Token: c`;
    const once = redactText(input);
    expect(redactText(once)).toBe(once);
  });

  test('removes known secrets wherever they stand', () => {
    const secrets = secretsFromEnvironment({ OSI_TOKEN: 'plain-opaque-value', OSI_ALT_TOKEN: 'alt-opaque-value', OSI_SEED: '12345678', SHORT_TOKEN: 'abc' });
    expect(redactText('got plain-opaque-value and alt-opaque-value, seed 12345678, abc', secrets)).toBe('got $OS_TOKEN and $OS_ALT_TOKEN, seed 12345678, abc');
  });
});

describe('redactDeep', () => {
  test('masks credential headers and secret keys by name, whatever the value looks like', () => {
    const input = {
      request: { headers: { 'X-Auth-Token': 'opaque', 'x-control-token': 'c', Accept: 'application/json' } },
      auth: { identity: { password: { user: { name: 'demo', password: 'pw' } } } },
      list: ['X-Auth-Token: t0k3n', 3, null],
    };
    expect(redactDeep(input)).toEqual({
      request: { headers: { 'X-Auth-Token': '$OS_TOKEN', 'x-control-token': '$OSI_CONTROL_TOKEN', Accept: 'application/json' } },
      auth: { identity: { password: '***' } },
      list: ['X-Auth-Token: $OS_TOKEN', 3, null],
    });
  });
});

describe('redaction keeps the prose around a token readable', () => {
  test('a closing parenthesis after a token header survives', () => {
    expect(redactText('crashed (X-Auth-Token: abc123)')).toBe('crashed (X-Auth-Token: $OS_TOKEN)');
  });
});

describe('one table of credentials for every redactor', () => {
  test('every secret option of the CLI comes from an environment variable the table knows', () => {
    const known = new Set(Object.values(SECRETS).flatMap((secret) => secret.env));
    const secretOptions = OPTION_SPECS.filter((o) => 'secret' in o && o.secret);
    expect(secretOptions.length).toBeGreaterThan(0);
    for (const option of secretOptions) expect(known, option.env).toContain(option.env);
  });

  test('the harness and the reports replace each credential header by the same variable', () => {
    const secrets = [
      { value: 'live-token-1234', variable: SECRETS.token.variable },
      { value: 'control-5678', variable: SECRETS.controlToken.variable },
    ] as const;
    const harness = new Redactor(secrets);
    for (const [header, secret] of CREDENTIAL_HEADERS) {
      const value = secret === null ? 'session-9999' : secret === 'controlToken' ? 'control-5678' : 'live-token-1234';
      const fromHarness = harness.headers({ [header]: value })[header];
      const fromReport = redactText(`${header}: ${value}`, secretsFromEnvironment({})).slice(header.length + 2);
      expect(fromHarness, header).toBe(secret === null ? '***' : `$${SECRETS[secret].variable}`);
      expect(fromReport, header).toBe(fromHarness);
    }
  });
});
