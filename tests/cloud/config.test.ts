/**
 * The real-cloud options: which target the run tests, the defaults for a shared cloud, and one
 * clear line for every combination that makes no sense; --help documents each with an example.
 */
import { describe, expect, it } from 'vitest';
import { planDeadlines } from '../../suites/cloud/lifecycle.ts';
import { helpText } from '../../cli/help.ts';
import {
  ConfigError,
  DEFAULT_REMOTE_DEADLINE_S,
  DEFAULT_REMOTE_RUNS,
  conformanceTestTimeoutMs,
  isLoopbackUrl,
  rateLimitFor,
  readConfig,
} from '../../suites/harness/config.ts';
import { OPTIONS } from '../../suites/harness/options.ts';
import { chooseMicroversion, limitsOf, mannersOf } from '../../suites/harness/target.ts';

const SERVER = '6b8f1c2e-3b0e-4d43-9a45-6d7c3f0f9a10';

describe('which target', () => {
  it('nothing given: the embedded cloud, no rate limit, no deadline, one request at a time, three retries', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ mode: 'embedded', concurrency: 1, retries: 3, deadlineS: null, deadlineIsDefault: false, provision: false, insecure: null });
    expect(rateLimitFor(config, null)).toMatchObject({ maxRps: 0, applied: 'no rate limit (the embedded fake cloud)' });
  });

  it('--os-cloud or OS_AUTH_URL: a cloud, with a 30-minute deadline and a one-minute detach bound unless told otherwise', () => {
    expect(readConfig({ OS_CLOUD: 'prod', OSI_PROVISION: 'true' })).toMatchObject({
      mode: 'cloud',
      cloud: { name: 'prod' },
      provision: true,
      maxRps: null,
      deadlineS: DEFAULT_REMOTE_DEADLINE_S,
      deadlineIsDefault: true,
      detachTimeoutS: 60,
      runs: DEFAULT_REMOTE_RUNS,
    });
    expect(readConfig({ OSI_TARGET: 'http://h/v2.1', OSI_TOKEN: 't', OSI_SERVER_ID: SERVER }).runs).toBe(DEFAULT_REMOTE_RUNS);
    expect(readConfig({ OSI_TARGET: 'http://h/v2.1', OSI_TOKEN: 't', OSI_SERVER_ID: SERVER, OSI_RUNS: '100' }).runs).toBe(100);
    expect(
      readConfig({
        OS_AUTH_URL: 'https://k/v3',
        OSI_SERVER_ID: SERVER,
        OS_REGION_NAME: 'R2',
        OSI_MAX_RPS: '0',
        OSI_DEADLINE_S: '600',
        OSI_DETACH_TIMEOUT_S: '5',
      }),
    ).toMatchObject({ mode: 'cloud', cloud: { name: null, regionName: 'R2' }, maxRps: 0, deadlineS: 600, deadlineIsDefault: false, detachTimeoutS: 5 });
  });

  it('the rate limit: 10 requests/s for a remote compute endpoint, none on loopback, --max-rps whatever the target', () => {
    const cloud = readConfig({ OS_CLOUD: 'prod', OSI_PROVISION: 'true' });
    expect(rateLimitFor(cloud, 'https://compute.example.com/v2.1')).toMatchObject({
      maxRps: 10,
      applied: expect.stringMatching(/default for a remote target/),
    });
    for (const url of ['http://127.0.0.1:8774/v2.1', 'http://127.3.2.1/compute/v2.1', 'http://[::1]:8774/v2.1', 'http://localhost:8774/v2.1']) {
      expect(rateLimitFor(cloud, url)).toMatchObject({ maxRps: 0, applied: expect.stringMatching(/loopback/) });
    }
    expect(rateLimitFor(readConfig({ OS_CLOUD: 'prod', OSI_PROVISION: 'true', OSI_MAX_RPS: '5' }), 'http://127.0.0.1/v2.1')).toMatchObject({
      maxRps: 5,
      applied: 'at most 5 requests/s (--max-rps)',
    });
    const given = readConfig({ OSI_TARGET: 'http://127.0.0.1:8774/v2.1', OSI_TOKEN: 't', OSI_SERVER_ID: SERVER });
    expect(mannersOf(given, null).maxRps).toBe(0);
    expect(mannersOf(readConfig({ OSI_TARGET: 'https://nova.example.org/v2.1', OSI_TOKEN: 't', OSI_SERVER_ID: SERVER }), null).maxRps).toBe(10);
    expect(limitsOf(given, given.target)).toBe(
      'no rate limit (a loopback target; --max-rps sets one); deadline 1800 s (the default for a cloud or --target; --deadline-s changes it)',
    );
    expect(isLoopbackUrl('http://128.0.0.1/')).toBe(false);
  });

  it("the conformance tests' timeout is longer than every wait in them and than the run's deadline", () => {
    expect(conformanceTestTimeoutMs({})).toBe(120_000);
    expect(conformanceTestTimeoutMs({ OS_CLOUD: 'prod', OSI_PROVISION: 'true' })).toBe(DEFAULT_REMOTE_DEADLINE_S * 1000);
    expect(conformanceTestTimeoutMs({ OS_CLOUD: 'prod', OSI_PROVISION: 'true', OSI_DEADLINE_S: '60', OSI_DETACH_TIMEOUT_S: '100' })).toBeGreaterThan(
      100_000 + 10_000,
    );
  });

  it('--target wins over an OS_AUTH_URL left in the environment', () => {
    expect(readConfig({ OSI_TARGET: 'http://h/v2.1', OSI_TOKEN: 't', OSI_SERVER_ID: SERVER, OS_AUTH_URL: 'https://k/v3' }).mode).toBe('given');
  });

  it('--cleanup-only needs credentials, and nothing else', () => {
    expect(readConfig({ OS_CLOUD: 'prod', OSI_CLEANUP_ONLY: 'reports/resources.jsonl' })).toMatchObject({
      mode: 'cloud',
      cleanupOnly: 'reports/resources.jsonl',
    });
  });
});

describe('one line per mistake', () => {
  it.each([
    [{ OS_CLOUD: 'prod', OSI_TARGET: 'http://h/v2.1', OSI_TOKEN: 't', OSI_SERVER_ID: SERVER }, /--target and --os-cloud both name the target/],
    [{ OS_CLOUD: 'prod' }, /add --provision to let the suite create what it needs, or --server-id/],
    [{ OS_CLOUD: 'prod', OSI_PROVISION: 'true', OSI_PORT_IDS: SERVER }, /--provision creates the server, ports and network itself/],
    [{ OSI_PROVISION: 'yes' }, /--provision works with a cloud/],
    [{ OS_CLOUD: 'prod', OSI_SERVER_ID: SERVER, OSI_FLAVOR: 'm1.tiny' }, /--flavor and --image choose what --provision boots/],
    [{ OS_CLOUD: 'prod', OSI_PROVISION: '1', OSI_TOKEN: 'x' }, /--token goes with --target/],
    [{ OSI_CLEANUP_ONLY: 'l.jsonl' }, /--cleanup-only needs the credentials/],
    [{ OSI_CONCURRENCY: '0' }, /--concurrency must be between 1 and 64/],
    [{ OSI_DEADLINE_S: '5' }, /--deadline-s must be between 10 and/],
    [{ OS_INSECURE: 'perhaps' }, /--insecure is a switch/],
    [{ OS_CACERT: '/nonexistent/ca.pem' }, /--cacert \/nonexistent\/ca\.pem cannot be read \(ENOENT\)/],
  ])('%o', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});

describe("microversion inside the target's range", () => {
  it('"latest" becomes the maximum; out of range is a configuration error', () => {
    expect(chooseMicroversion('latest', '2.1', '2.96')).toBe('2.96');
    expect(chooseMicroversion('latest', null, null)).toBe('latest');
    expect(chooseMicroversion('2.70', '2.1', '2.96')).toBe('2.70');
    expect(() => chooseMicroversion('2.97', '2.1', '2.96')).toThrow(/above the target's maximum 2\.96/);
    expect(() => chooseMicroversion('2.1', '2.5', '2.96')).toThrow(/below the target's minimum 2\.5/);
  });
});

describe('deadlines', () => {
  it('keeps a quarter of the run, between 3 s and a minute, for the leak check and the cleanup', () => {
    expect(planDeadlines(null)).toEqual({ testPhaseEndsAt: null, hardDeadlineAt: null });
    expect(planDeadlines(20, 0)).toEqual({ testPhaseEndsAt: 15_000, hardDeadlineAt: 20_000 });
    expect(planDeadlines(10, 0)).toEqual({ testPhaseEndsAt: 7_000, hardDeadlineAt: 10_000 });
    expect(planDeadlines(3600, 0)).toEqual({ testPhaseEndsAt: 3_540_000, hardDeadlineAt: 3_600_000 });
  });
});

describe('--help', () => {
  it('documents every option of the table, with an example for those that take a value', () => {
    const help = helpText();
    for (const option of OPTIONS) {
      expect(help).toContain(`--${option.flag}`);
      expect(help).toContain(`[${option.env}]`);
      if (option.secret) {
        // Secrets are shown given by environment, never as a flag with a value (issue 12, item 9).
        expect(help, option.flag).toContain(`e.g. export ${option.env}=`);
        expect(help, option.flag).not.toMatch(new RegExp(`--${option.flag} ["$]`));
        continue;
      }
      if (option.kind !== 'boolean') expect(option.example, option.flag).toBeDefined();
      expect(help, option.flag).toMatch(new RegExp(`e\\.g\\. --${option.flag}\\b`));
    }
    expect(help).toMatch(/--os-cloud VALUE {4}\[OS_CLOUD\]/);
  });
});
