/**
 * The suite pointed at a cloud the way an operator would: clouds.yaml (password in secure.yaml) or
 * OS_* variables, --provision, and a report at the end; the fake cloud stands in for the cloud.
 * After every run the ledger is empty and the cloud holds nothing the suite created.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudFixture, ledgerText, leftovers, readReport, runCli, type CloudFixture } from './helpers.ts';
import { targetArgs } from '../../fixtures/fake-cloud/index.ts';

/** Few runs and no rate limit: these tests are about the plumbing, not the generators. */
const FAST = ['--runs', '4', '--max-rps', '0', '--seed', '11'];

describe.concurrent('a cloud from clouds.yaml, provisioned by the suite', () => {
  it('password auth, --provision: conformant report, empty ledger, nothing left on the cloud', async () => {
    const fixture = await cloudFixture();
    try {
      const result = await runCli(['--os-cloud', 'fake', '--provision', ...FAST, '--report-dir', 'out'], { cwd: fixture.dir });
      const report = readReport(path.join(fixture.dir, 'out'));
      expect(result.code, result.stderr).toBe(0);
      expect(report?.verdict.value).toBe('conformant');
      expect(report?.target.url).toMatch(/^cloud "fake", region RegionOne at http:\/\/127\.0\.0\.1:\d+\/v2\.1\//);
      expect(result.stderr).toMatch(/removed 8 resource\(s\) the run created \(out\/resources\.jsonl is empty\)/);
      expect(ledgerText(path.join(fixture.dir, 'out'))).toBe('');
      expect(leftovers(fixture)).toEqual([]);
      // The password lives in secure.yaml: it must not show up anywhere the run wrote.
      expect(`${result.stdout}${result.stderr}${JSON.stringify(report)}`).not.toContain(fixture.cloud.seed.password);
    } finally {
      await fixture.close();
    }
  });

  it('application credential from OS_* variables, tokens that expire every 2 s: renewed, conformant', async () => {
    const fixture = await cloudFixture({ tokenTtlSeconds: 2 });
    const elsewhere = path.join(fixture.dir, 'no-clouds-yaml-here');
    mkdirSync(elsewhere);
    const { seed } = fixture.cloud;
    try {
      const result = await runCli(['--provision', '--runs', '12', '--max-rps', '0', '--seed', '12', '--report-dir', 'out', '--microversion', 'latest'], {
        cwd: elsewhere,
        env: {
          OS_AUTH_URL: seed.identity_url,
          OS_AUTH_TYPE: 'v3applicationcredential',
          OS_APPLICATION_CREDENTIAL_ID: seed.application_credential_id,
          OS_APPLICATION_CREDENTIAL_SECRET: seed.application_credential_secret,
          OS_REGION_NAME: 'RegionOne',
        },
      });
      const report = readReport(path.join(elsewhere, 'out'));
      expect(result.code, result.stderr).toBe(0);
      expect(report?.verdict.value).toBe('conformant');
      // "latest" is chosen inside the cloud's range and named in the report.
      expect(report?.microversion).toBe(seed.max_microversion);
      expect(result.ms).toBeGreaterThan(2_500);
      expect(leftovers(fixture)).toEqual([]);
      expect(`${result.stdout}${result.stderr}`).not.toContain(seed.application_credential_secret);
    } finally {
      await fixture.close();
    }
  });

  it('--target with --token and given resources: attachments go through the ledger, which ends empty', async () => {
    const fixture = await cloudFixture();
    const { seed } = fixture.cloud;
    try {
      const args = [...targetArgs(seed), '--token', seed.token];
      const result = await runCli([...args, ...FAST, '--report-dir', 'out', '--control-url', seed.control_url, '--control-token', seed.control_token], {
        cwd: fixture.dir,
      });
      const report = readReport(path.join(fixture.dir, 'out'));
      expect(result.code, result.stderr).toBe(0);
      expect(report?.verdict.value).toBe('conformant');
      // The 503 scenario still sees its 503 although 503s are otherwise retried.
      expect(report?.requirements.find((r) => r.id === 'CI-059')?.status).toBe('pass');
      expect(ledgerText(path.join(fixture.dir, 'out'))).toBe('');
      expect(leftovers(fixture)).toEqual([]);
    } finally {
      await fixture.close();
    }
  });
});

describe('bad input and unusable clouds: one line on stderr, exit 2', () => {
  let fixture: CloudFixture;
  beforeAll(async () => {
    fixture = await cloudFixture();
  });
  afterAll(() => fixture.close());

  const cases: ReadonlyArray<{ name: string; args: string[]; env?: Record<string, string>; message: RegExp }> = [
    {
      name: 'an unknown cloud',
      args: ['--os-cloud', 'nope', '--provision'],
      message: /cloud "nope" is not in .*clouds\.yaml \(clouds there: fake, nopass, other\)/,
    },
    {
      name: 'a region the cloud does not have',
      args: ['--os-cloud', 'fake', '--provision', '--os-region-name', 'Mars'],
      message: /region "Mars" is not a region of cloud "fake"/,
    },
    {
      name: 'a cloud without its password',
      args: ['--os-cloud', 'nopass', '--provision'],
      message: /cloud "nopass" in .*: password is missing \(put it in secure\.yaml or OS_PASSWORD\)/,
    },
    {
      name: 'an identity endpoint that refuses connections',
      args: ['--os-cloud', 'other', '--provision'],
      message: /^conformance: error: identity: connection refused by http:\/\/127\.0\.0\.1:1$/m,
    },
    {
      name: 'a cloud and a server to provision at once',
      args: ['--os-cloud', 'fake', '--provision', '--server-id', '6b8f1c2e-3b0e-4d43-9a45-6d7c3f0f9a10'],
      message: /--provision creates the server/,
    },
    {
      name: 'a fault for a real cloud',
      args: ['--os-cloud', 'fake', '--provision', '--fault', 'hang'],
      message: /--fault and --profile apply to the embedded fake cloud only/,
    },
    { name: 'a cloud without --provision or --server-id', args: ['--os-cloud', 'fake'], message: /add --provision .* or --server-id/ },
    {
      name: "a microversion above the cloud's maximum",
      args: ['--os-cloud', 'fake', '--provision', '--microversion', '2.200'],
      message: /--microversion 2\.200 is above the target's maximum 2\.96/,
    },
    {
      name: 'a switch given a value',
      args: ['--os-cloud', 'fake', '--server-id', '6b8f1c2e-3b0e-4d43-9a45-6d7c3f0f9a10'],
      env: { OSI_PROVISION: 'maybe' },
      message: /--provision is a switch/,
    },
    {
      name: 'an unreadable CA bundle',
      args: ['--os-cloud', 'fake', '--provision', '--cacert', '/nonexistent/ca.pem'],
      message: /--cacert \/nonexistent\/ca\.pem cannot be read/,
    },
  ];

  it.concurrent.each(cases)('$name', async ({ name, args, env, message }) => {
    const result = await runCli([...args, '--report-dir', `out-${name.replace(/\W+/g, '-')}`], { cwd: fixture.dir, ...(env ? { env } : {}) });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(fixture.cloud.seed.password);
  });

  it('a host that does not resolve: one DNS line', async () => {
    const result = await runCli(['--provision', '--report-dir', 'out-dns', '--timeout-ms', '3000'], {
      cwd: path.join(fixture.dir, '..'),
      env: {
        OS_AUTH_URL: 'http://osi-no-such-host.invalid:5000/v3',
        OS_USERNAME: 'u',
        OS_PASSWORD: 'p4ssw0rd-not-printed',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_NAME: 'p',
        OS_PROJECT_DOMAIN_NAME: 'Default',
      },
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^conformance: error: identity: DNS: cannot resolve osi-no-such-host\.invalid/)]);
    expect(result.stderr).not.toContain('p4ssw0rd-not-printed');
  });

  it('a ledger an earlier run left resources in: refuses to start, pointing at --cleanup-only', async () => {
    mkdirSync(path.join(fixture.dir, 'out-left'), { recursive: true });
    writeFileSync(
      path.join(fixture.dir, 'out-left', 'resources.jsonl'),
      `${JSON.stringify({ v: 1, run: 'old', at: 'x', event: 'created', kind: 'port', id: 'p1', url: `${fixture.cloud.seed.network_url}/ports/p1` })}\n`,
    );
    const result = await runCli(['--os-cloud', 'fake', '--provision', '--report-dir', 'out-left'], { cwd: fixture.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'conformance: out-left/resources.jsonl lists resources an earlier run did not remove: run `npm run conformance -- --cleanup-only out-left/resources.jsonl` (same cloud credentials) first',
    ]);
  });

  it('--cleanup-only sends the token to no origin outside the catalog: such a line stays in the ledger', async () => {
    mkdirSync(path.join(fixture.dir, 'out-foreign'), { recursive: true });
    const ledger = path.join(fixture.dir, 'out-foreign', 'resources.jsonl');
    writeFileSync(
      ledger,
      `${JSON.stringify({ v: 1, run: 'old', at: 'x', event: 'created', kind: 'port', id: 'p1', url: 'http://127.0.0.2:9/v2.0/ports/p1' })}\n`,
    );
    const result = await runCli(['--os-cloud', 'fake', '--cleanup-only', 'out-foreign/resources.jsonl'], { cwd: fixture.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not removed: port p1: not sent: the suite's token goes only to the catalog's endpoints, not to http:\/\/127\.0\.0\.2:9/);
    expect(ledgerText(path.join(fixture.dir, 'out-foreign'))).toContain('"id":"p1"');
  });

  it('wrong credentials: one line naming the method, no secret', async () => {
    const { seed } = fixture.cloud;
    const result = await runCli(['--provision', '--report-dir', 'out-401'], {
      cwd: path.join(fixture.dir, '..'),
      env: {
        OS_AUTH_URL: seed.identity_url,
        OS_USERNAME: seed.username,
        OS_PASSWORD: 'wrong-password-value',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_NAME: seed.project_name,
        OS_PROJECT_DOMAIN_NAME: 'Default',
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^conformance: error: identity refused the password credentials \(401 from http/)]);
    expect(result.stderr).not.toContain('wrong-password-value');
  });
});
