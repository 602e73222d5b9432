/**
 * Command line of `npm run bench`, and the sizes of each mode. Full mode is sized to finish in
 * about three minutes on two cores; --quick runs every section at a token size (a smoke test).
 */
import { parseArgs } from 'node:util';

/** Sections --only may choose from; the suite/raw exchange comparison always runs (it is the headline). */
export const SECTIONS = ['scaling', 'cli', 'profile', 'concurrency', 'load', 'verdict', 'runs'] as const;
export type Section = (typeof SECTIONS)[number];
/** Run unless --only says otherwise; "runs" (a CLI run per faulty variant and --runs value, many minutes) only when asked for. */
const DEFAULT_SECTIONS: readonly Section[] = SECTIONS.filter((s) => s !== 'runs');

export interface BenchPlan {
  /** --help: print the usage and measure nothing. */
  readonly help: boolean;
  readonly quick: boolean;
  readonly sections: ReadonlySet<Section>;
  /** File whose generated-figures block is replaced with this run's figures, or null. */
  readonly markdownFile: string | null;
  readonly seed: number;
  readonly exchange: { readonly cases: number; readonly rounds: number; readonly warmupCases: number; readonly profiledCases: number };
  readonly loopSizes: ReadonlyArray<{ readonly size: number; readonly repeats: number }>;
  readonly cliRuns: ReadonlyArray<{ readonly size: number; readonly repeats: number }>;
  readonly profileRuns: number;
  readonly concurrency: {
    readonly levels: readonly number[];
    readonly loopCases: number;
    readonly loopRounds: number;
    readonly cliRuns: number;
    readonly cliRepeats: number;
  };
  readonly load: { readonly connections: number; readonly durationSeconds: number; readonly rounds: number };
  /** Time to a verdict against misbehaving clouds: the request timeout and detach bound the runs use. */
  readonly verdict: { readonly timeoutMs: number; readonly detachTimeoutS: number; readonly runs: number; readonly only?: readonly string[] };
  /** --runs values of the faulty-variant table (section "runs"). */
  readonly runsValues: readonly number[];
}

export const USAGE = `usage: npm run bench -- [--quick] [--only ${SECTIONS.join(',')}] [--write-markdown FILE] [--seed N]`;

export class BenchUsageError extends Error {}

export function planFrom(argv: readonly string[]): BenchPlan {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        'write-markdown': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchUsageError(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n${USAGE}`);
  }
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0) ?? [...DEFAULT_SECTIONS];
  for (const name of only) if (!(SECTIONS as readonly string[]).includes(name)) throw new BenchUsageError(`unknown section "${name}"\n${USAGE}`);
  const seed = values.seed === undefined ? 20261127 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new BenchUsageError(`--seed must be an integer\n${USAGE}`);
  const quick = values.quick === true;
  const common = { help: values.help === true, quick, sections: new Set(only as Section[]), markdownFile: values['write-markdown'] ?? null, seed };
  return quick
    ? {
        ...common,
        exchange: { cases: 100, rounds: 3, warmupCases: 100, profiledCases: 100 },
        loopSizes: [
          { size: 50, repeats: 1 },
          { size: 100, repeats: 1 },
          { size: 200, repeats: 1 },
        ],
        cliRuns: [
          { size: 1, repeats: 1 },
          { size: 3, repeats: 1 },
        ],
        profileRuns: 1,
        concurrency: { levels: [1, 2], loopCases: 50, loopRounds: 1, cliRuns: 3, cliRepeats: 1 },
        load: { connections: 4, durationSeconds: 1, rounds: 1 },
        // One variant: --quick is a smoke test, and npm test runs it.
        verdict: { timeoutMs: 1000, detachTimeoutS: 2, runs: 3, only: ['create-hangs'] },
        runsValues: [1, 2],
      }
    : {
        ...common,
        exchange: { cases: 400, rounds: 21, warmupCases: 2000, profiledCases: 3000 },
        loopSizes: [
          { size: 100, repeats: 5 },
          { size: 1000, repeats: 3 },
          { size: 10_000, repeats: 1 },
        ],
        cliRuns: [
          { size: 100, repeats: 2 },
          { size: 300, repeats: 1 },
          { size: 1000, repeats: 1 },
        ],
        profileRuns: 100,
        concurrency: { levels: [1, 2, 4, 8], loopCases: 500, loopRounds: 7, cliRuns: 300, cliRepeats: 2 },
        load: { connections: 10, durationSeconds: 4, rounds: 2 },
        verdict: { timeoutMs: 2000, detachTimeoutS: 10, runs: 100 },
        runsValues: [1, 2, 3, 5, 10, 100],
      };
}
