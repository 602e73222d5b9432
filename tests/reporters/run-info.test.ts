import { describe, expect, test } from 'vitest';
import { asRunInfo, resolveRunInfo } from '../../reporters/run-info.ts';
import { runInfoFor } from './fixtures/support.ts';

const info = runInfoFor('nonconformant');

describe('resolveRunInfo', () => {
  test('the environment is enough in a normal run', () => {
    expect(resolveRunInfo(JSON.stringify(info), [], 'OSI_RUN_INFO')).toEqual({ runInfo: info, problems: [] });
  });

  test('under --merge-reports the copies from module meta agree, and the earliest start wins', () => {
    const later = { ...info, startedAt: '2026-01-02T03:09:00.000Z' };
    expect(resolveRunInfo(undefined, [later, info], 'OSI_RUN_INFO')).toEqual({ runInfo: info, problems: [] });
  });

  test('shards that disagree on what was tested cannot be merged into one verdict', () => {
    const { problems } = resolveRunInfo(undefined, [info, { ...info, seed: 1 }, { ...info, microversion: '2.70' }], 'OSI_RUN_INFO');
    expect(problems).toEqual([
      'the shards disagree on microversion (2.1 / 2.70); their results cannot be merged into one report',
      'the shards disagree on seed (1 / 4242); their results cannot be merged into one report',
    ]);
  });

  test('a setup error in any shard is kept', () => {
    const { runInfo } = resolveRunInfo(undefined, [info, { ...info, setupError: 'unreachable' }], 'OSI_RUN_INFO');
    expect(runInfo?.setupError).toBe('unreachable');
  });

  test('missing or malformed RunInfo is a problem, not a crash', () => {
    expect(resolveRunInfo(undefined, [], 'OSI_RUN_INFO').runInfo).toBeNull();
    expect(resolveRunInfo('{not json', [], 'OSI_RUN_INFO').problems[0]).toContain('not a valid RunInfo');
    expect(asRunInfo({ ...info, seed: 'x' })).toBeNull();
  });
});
