/** clouds.yaml, secure.yaml and OS_* read as openstacksdk reads them, with one-line errors. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentCloud, loadCloudProfile, mergeDeep, type ProfileOverrides } from '../../suites/cloud/clouds-yaml.ts';
import { CloudConfigError } from '../../suites/cloud/errors.ts';

const NONE: ProfileOverrides = { cloud: null, regionName: null, interface: null, cacert: null, insecure: null };
let cwd: string;
let home: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'osi-yaml-cwd-'));
  home = mkdtempSync(path.join(tmpdir(), 'osi-yaml-home-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const PASSWORD_CLOUD = `clouds:
  prod:
    auth:
      auth_url: https://keystone.example:5000/v3/
      username: alice
      project-name: demo
      user_domain_name: Default
      project_domain_name: Default
    regions: [RegionOne, RegionTwo]
`;

function load(overrides: Partial<ProfileOverrides> = {}, env: Record<string, string> = {}) {
  return loadCloudProfile({ env, overrides: { ...NONE, ...overrides }, cwd, home, siteDir: path.join(home, 'etc-openstack') });
}

describe('clouds.yaml and secure.yaml', () => {
  it('reads the named cloud, merges the password from secure.yaml, normalises keys and the URL', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), PASSWORD_CLOUD);
    writeFileSync(path.join(cwd, 'secure.yaml'), 'clouds:\n  prod:\n    auth:\n      password: s3cret\n');
    const profile = load({ cloud: 'prod' });
    expect(profile).toMatchObject({
      name: 'prod',
      authUrl: 'https://keystone.example:5000/v3',
      regionName: 'RegionOne',
      interface: 'public',
      insecure: false,
      cacert: null,
      auth: {
        kind: 'password',
        user: { name: 'alice', domain: { name: 'Default' } },
        password: 's3cret',
        scope: { name: 'demo', domain: { name: 'Default' } },
      },
    });
  });

  it('finds the file in ~/.config/openstack when the working directory has none, and OS_CLIENT_CONFIG_FILE first', () => {
    mkdirSync(path.join(home, '.config', 'openstack'), { recursive: true });
    writeFileSync(
      path.join(home, '.config', 'openstack', 'clouds.yaml'),
      'clouds:\n  home:\n    auth: {auth_url: "http://h/v3", token: t0k3n, project_id: p1}\n',
    );
    expect(load().name).toBe('home');
    const explicit = path.join(cwd, 'elsewhere.yaml');
    writeFileSync(explicit, 'clouds:\n  explicit:\n    auth_type: token\n    auth: {auth_url: "http://e/v3", token: t, project_id: p2}\n');
    expect(load({}, { OS_CLIENT_CONFIG_FILE: explicit }).name).toBe('explicit');
  });

  it('a region or interface given as a flag wins; a region the cloud does not have is refused', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), `${PASSWORD_CLOUD}    password: x\n`);
    expect(load({ cloud: 'prod', regionName: 'RegionTwo', interface: 'internalURL' })).toMatchObject({ regionName: 'RegionTwo', interface: 'internal' });
    expect(() => load({ cloud: 'prod', regionName: 'regionone' })).toThrow(
      /region "regionone" is not a region of cloud "prod".*RegionOne, RegionTwo.*case sensitive/,
    );
  });

  it('verify: false means insecure; cacert is read; --insecure overrides', () => {
    writeFileSync(
      path.join(cwd, 'clouds.yaml'),
      'clouds:\n  c:\n    verify: false\n    cacert: /etc/ca.pem\n    auth: {auth_url: "https://k/v3", token: t, project_id: p}\n',
    );
    expect(load()).toMatchObject({ insecure: true, cacert: '/etc/ca.pem', auth: { kind: 'token' } });
    expect(load({ insecure: false, cacert: '/other.pem' })).toMatchObject({ insecure: false, cacert: '/other.pem' });
  });

  it('application credentials, by id or by name with the user; the method is inferred from the secret', () => {
    writeFileSync(
      path.join(cwd, 'clouds.yaml'),
      [
        'clouds:',
        '  byid: {auth: {auth_url: "http://k/v3", application_credential_id: ac1, application_credential_secret: sec}}',
        '  byname: {auth_type: v3applicationcredential, auth: {auth_url: "http://k/v3", application_credential_name: ci, application_credential_secret: sec, username: bob, user_domain_id: default}}',
        '',
      ].join('\n'),
    );
    expect(load({ cloud: 'byid' }).auth).toEqual({ kind: 'application-credential', credential: { id: 'ac1' }, secret: 'sec' });
    expect(load({ cloud: 'byname' }).auth).toEqual({
      kind: 'application-credential',
      credential: { name: 'ci', user: { name: 'bob', domain: { id: 'default' } } },
      secret: 'sec',
    });
  });

  it('domain_name stands for both domains; tenant_name is project_name', () => {
    writeFileSync(
      path.join(cwd, 'clouds.yaml'),
      'clouds:\n  c:\n    auth: {auth_url: "http://k/v3", username: u, password: p, tenant_name: t, domain_name: D}\n',
    );
    expect(load().auth).toMatchObject({ user: { name: 'u', domain: { name: 'D' } }, scope: { name: 't', domain: { name: 'D' } } });
  });

  it.each([
    [
      'an unknown cloud',
      'clouds:\n  a: {auth: {auth_url: "http://k/v3"}}\n  b: {}\n',
      { cloud: 'zzz' },
      /cloud "zzz" is not in .*clouds\.yaml \(clouds there: a, b\)/,
    ],
    ['several clouds, none chosen', 'clouds:\n  a: {}\n  b: {}\n', {}, /several clouds .*\(a, b\): choose one with --os-cloud NAME/],
    ['no auth_url', 'clouds:\n  a: {auth: {username: u, password: p}}\n', {}, /cloud "a" in .*: auth_url is missing/],
    [
      'no password',
      'clouds:\n  a: {auth: {auth_url: "http://k/v3", username: u, user_domain_name: D, project_id: p}}\n',
      {},
      /password is missing \(put it in secure\.yaml or OS_PASSWORD\)/,
    ],
    [
      'a username without its domain',
      'clouds:\n  a: {auth: {auth_url: "http://k/v3", username: u, password: p, project_id: x}}\n',
      {},
      /username needs user_domain_name or user_domain_id/,
    ],
    ['no project', 'clouds:\n  a: {auth: {auth_url: "http://k/v3", user_id: u, password: p}}\n', {}, /project_name or project_id is missing/],
    [
      'an auth type the suite does not speak',
      'clouds:\n  a: {auth_type: v3oidcpassword, auth: {auth_url: "http://k/v3"}}\n',
      {},
      /auth_type "v3oidcpassword" is not supported/,
    ],
    ['YAML that does not parse', 'clouds:\n  a: [unclosed\n', {}, /clouds\.yaml is not valid YAML \(line \d+, column \d+\)/],
  ] as const)('%s: one clear line', (_name, yaml, overrides, message) => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), yaml);
    expect(() => load(overrides)).toThrow(CloudConfigError);
    expect(() => load(overrides)).toThrow(message);
  });

  it('a secret never appears in an error', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), 'clouds:\n  a: {auth_type: weird, auth: {auth_url: "http://k/v3", password: "hunter2-very-secret"}}\n');
    expect(() => load()).toThrow(/auth_type "weird"/);
    try {
      load();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2-very-secret');
    }
  });

  it('no file and no OS_* variables: says how to name a cloud', () => {
    expect(() => load()).toThrow(/no cloud configured: give --os-cloud NAME \(clouds\.yaml\) or set OS_AUTH_URL/);
    expect(() => load({ cloud: 'x' })).toThrow(/cloud "x" asked for, but no clouds\.yaml was found/);
  });
});

describe('OS_* variables', () => {
  it('form the "envvars" cloud; selectors alone do not', () => {
    expect(environmentCloud({ OS_CLOUD: 'x', OS_REGION_NAME: 'r', OS_TEST_TIMEOUT: '5' })).toBeNull();
    expect(environmentCloud({ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u' })).toEqual({ auth_url: 'http://k/v3', username: 'u' });
  });

  it('password auth from the usual openrc variables', () => {
    const profile = load(
      { regionName: 'RegionOne' },
      {
        OS_AUTH_URL: 'https://k:5000/v3',
        OS_USERNAME: 'u',
        OS_PASSWORD: 'p',
        OS_PROJECT_ID: 'abc',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_INTERFACE: 'public',
      },
    );
    expect(profile).toMatchObject({
      name: 'envvars',
      source: 'the OS_* environment',
      regionName: 'RegionOne',
      auth: { kind: 'password', scope: { id: 'abc' } },
    });
  });

  it('OS_TOKEN alone (with a project) is token auth', () => {
    expect(load({}, { OS_AUTH_URL: 'http://k/v3', OS_TOKEN: 'gAAAA-token', OS_PROJECT_NAME: 'p', OS_PROJECT_DOMAIN_ID: 'default' }).auth).toEqual({
      kind: 'token',
      token: 'gAAAA-token',
      scope: { name: 'p', domain: { id: 'default' } },
    });
  });

  it('are not mixed into a cloud named from a file (as openstacksdk does)', () => {
    writeFileSync(path.join(cwd, 'clouds.yaml'), 'clouds:\n  c: {auth: {auth_url: "http://file/v3", token: t, project_id: p}}\n');
    expect(load({ cloud: 'c' }, { OS_AUTH_URL: 'http://env/v3', OS_TOKEN: 'x' }).authUrl).toBe('http://file/v3');
  });
});

describe('mergeDeep', () => {
  it('merges nested mappings key by key, the second side winning', () => {
    expect(mergeDeep({ a: { b: 1, c: 2 }, d: 1 }, { a: { c: 3 }, e: 4 })).toEqual({ a: { b: 1, c: 3 }, d: 1, e: 4 });
  });
});
