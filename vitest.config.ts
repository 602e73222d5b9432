import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { conformanceTestTimeoutMs } from './suites/harness/config.ts';

/**
 * The conformance files run in the order of their paths, always. Vitest's default order comes from
 * its results cache (failed files first, then the slowest), so it depended on the run before, and
 * two runs of one seed could send their requests in another order and get different reports from a
 * cloud with state (the same port attached by another file first). The other projects keep
 * vitest's order, which is the faster one for parallel files.
 */
class ConformanceFileOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isConformance = (file: TestSpecification): boolean => file.project.name === 'conformance';
    const conformance = sorted.filter(isConformance).sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
    return [...sorted.filter((file) => !isConformance(file)), ...conformance];
  }
}

/**
 * Slow end-to-end tests of the project's own code: each runs the CLI many times (the suite against
 * every faulty variant, runs killed at seeded moments, whole runs against disrupted clouds, the
 * benchmark smoke run). Minutes of CPU on two cores, so they are their own project and script
 * (`npm run test:e2e`), which `.ci/run` runs after `npm test`. The faulty-variant self-test alone
 * takes about 1 min 50 s on a quiet machine (its runs share two processes); in `npm test` it made
 * the whole 5 min 25 s, past the 5 minutes `npm test` is kept within.
 */
const END_TO_END = [
  'tests/selftest/**/*.test.ts',
  'tests/cloud/interrupts.test.ts',
  'tests/cloud/interrupt-at-start.test.ts',
  'tests/cloud/disruptions.test.ts',
  'tests/cloud/bounded-whole-runs.test.ts',
  'tests/cloud/cli-flow.test.ts',
  'tests/cloud/ctrl-c.test.ts',
  'tests/cloud/hostile-stop.test.ts',
  'tests/bench/quick.test.ts',
];

/**
 * Three projects, kept apart on purpose:
 * - `self`: tests of this project's own code (parser, generators, fake cloud, reporter, CLI);
 *   `npm test` runs these.
 * - `e2e`: the slow end-to-end ones above; `npm run test:e2e` runs these.
 * - `conformance`: the conformance suites that judge a target; `npm run conformance` runs these
 *   (through cli/), and so does `npx vitest run --project conformance` with OSI_* variables.
 */
export default defineConfig({
  test: {
    // Transformed modules are kept on disk (node_modules/.experimental-vitest-cache, keyed by file
    // content and config) instead of being transformed again by every run: a default
    // `npm run conformance` spends most of its wall time starting up (BENCHMARKS.md). No plugin
    // here reads anything but the file itself, which is the case the cache cannot go stale in.
    experimental: { fsModuleCache: true },
    sequence: { sequencer: ConformanceFileOrder },
    // `npx vitest run --project conformance` prints the verdict and writes the reports like
    // `npm run conformance` does; the reporter ignores the `self` project's files. To turn it off,
    // name the reporters yourself: `--reporter=default` (or `--reporter=blob` for shards).
    reporters: ['default', ['./reporters/conformance-reporter.ts', { project: 'conformance' }]],
    projects: [
      {
        test: {
          name: 'self',
          include: ['tests/**/*.test.ts'],
          // tests/openstack: minutes against a real Nova, root needed (`npm run test:openstack`).
          exclude: [...configDefaults.exclude, ...END_TO_END, 'tests/openstack/**'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: END_TO_END,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // `npm run test:openstack`: the suite against a real Nova and Keystone (fixtures/real-openstack).
          name: 'openstack',
          include: ['tests/openstack/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['suites/conformance/**/*.test.ts'],
          globalSetup: ['suites/harness/global-setup.ts'],
          // Copies the run's facts into each file's meta, so merged blob reports still carry them.
          setupFiles: ['reporters/run-info-setup.ts', 'suites/harness/worker-signals.ts'],
          // The suites share one server and its ports: files run one after another so that two
          // files never attach the same port at once. (Sharded runs each start their own target.)
          fileParallelism: false,
          isolate: false,
          // Longer than any wait inside a test (detach, request timeouts): the run's deadline bounds it.
          testTimeout: conformanceTestTimeoutMs(process.env),
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
