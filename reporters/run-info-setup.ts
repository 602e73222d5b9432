/**
 * A vitest `setupFiles` entry for the conformance project: copies the RunInfo that the global setup
 * published in process.env[OSI_RUN_INFO] into `meta.runInfo` of the test file being run, so that it
 * travels inside blob reports and the conformance reporter finds it under --merge-reports
 * (see run-info.ts for why). Workers inherit the variable because the global setup sets it in the
 * main process before any worker starts.
 */
import { beforeAll } from 'vitest';
import { RUN_INFO_ENV } from '../contract/outcome-types.ts';
import { parseRunInfo, RUN_INFO_META_KEY } from './run-info.ts';

// vitest passes fixtures first and the suite second; the empty pattern is what its fixture parser requires.
// biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a hook asks for from this pattern; none here.
beforeAll(({}, suite) => {
  const raw = process.env[RUN_INFO_ENV];
  const runInfo = raw === undefined ? null : parseRunInfo(raw);
  // Only the file itself (the outermost suite) carries it; nested suites would only repeat it.
  if (runInfo !== null && suite.file === suite) (suite.meta as Record<string, unknown>)[RUN_INFO_META_KEY] = runInfo;
});
