/**
 * The figures as Markdown: printed by `npm run bench` and, with --write-markdown, put into
 * BENCHMARKS.md between its generated-figures markers. Ratios first: they travel between machines,
 * absolute times do not.
 */
import type { ClientBreakdown } from './client-profile.ts';
import type { Category } from './cpu-profile.ts';
import type { ConcurrencyPoint } from './concurrency.ts';
import type { LoadComparison } from './cloud-vs-bare.ts';
import type { ExchangeComparison } from './exchange-ratio.ts';
import type { MachineFacts } from './machine.ts';
import type { PhaseSplit } from './phase-split.ts';
import { runsTable, smallestSufficientRuns, type RunsPoint } from './runs-table.ts';
import type { ScalingResult } from './scaling.ts';
import { verdictTable, type VerdictTiming } from './time-to-verdict.ts';
import type { CloudLayout } from './targets.ts';

export interface BenchResults {
  readonly machine: MachineFacts;
  readonly loadAtEnd: number;
  readonly quick: boolean;
  readonly command: string;
  readonly elapsedSeconds: number;
  readonly exchange: ReadonlyArray<{ readonly layout: CloudLayout; readonly comparison: ExchangeComparison }>;
  readonly clientBreakdown?: ClientBreakdown;
  readonly loop?: ScalingResult;
  readonly cli?: ScalingResult;
  readonly profile?: PhaseSplit & { readonly attempts: number; readonly runs: number };
  readonly concurrency?: readonly ConcurrencyPoint[] | { readonly unavailable: string };
  readonly load?: readonly LoadComparison[];
  readonly verdict?: readonly VerdictTiming[];
  readonly runsTable?: readonly RunsPoint[];
}

export const FIGURES_START = '<!-- bench:figures:start (written by npm run bench -- --write-markdown BENCHMARKS.md) -->';
export const FIGURES_END = '<!-- bench:figures:end -->';

/** The cloud in its own process is how `npm run conformance` runs: it is the headline figure. */
export const HEADLINE_LAYOUT: CloudLayout = 'separate-process';

const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const whole = (value: number): string => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const percent = (part: number, total: number): string => `${((100 * part) / total).toFixed(0)} %`;

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

const LAYOUT_NAMES: Readonly<Record<CloudLayout, string>> = {
  'separate-process': 'fake cloud in its own process (as in npm run conformance)',
  'same-process': 'fake cloud in the bench process (client and cloud share one event loop)',
};

function exchangeSection(results: BenchResults): string[] {
  const first = results.exchange[0]?.comparison;
  return [
    '### Suite against a bare keep-alive loop',
    '',
    `One exchange is one generated negative validation case: a POST create that the cloud refuses with 400, then the interface-list GET that shows nothing was attached. The suite side generates it (fast-check), sends both requests through TargetSession/HttpClient, judges them (Scenario, checks) and records the evidence; the raw side sends the same requests, byte for byte and in the same order, through a bare node:http keep-alive loop and only reads the answers. ${first ? `Each round is ${whole(first.exchangesPerRound)} exchanges (${whole(first.requestsPerRound)} requests, the few setup reads included on both sides); ${first.rounds} rounds, alternating which side goes first; medians.` : ''}`,
    '',
    ...table(
      ['layout', 'suite exchanges/s', 'raw exchanges/s', 'suite/raw ratio (target ≥ 0.80)', 'ratio per round'],
      results.exchange.map(({ layout, comparison }) => [
        LAYOUT_NAMES[layout],
        whole(comparison.suiteExchangesPerSecond),
        whole(comparison.rawExchangesPerSecond),
        `**${fixed(comparison.ratio)}**`,
        comparison.ratios.map((r) => fixed(r)).join(' '),
      ]),
    ),
    ...results.exchange
      .filter(({ comparison }) => comparison.notPassing.length > 0)
      .map(({ layout, comparison }) => `\nWarning (${layout}): the suite judged requirements as not passing: ${comparison.notPassing.join(', ')}.`),
    ...(results.clientBreakdown ? ['', ...breakdownTable(results.clientBreakdown)] : []),
  ];
}

function breakdownTable(breakdown: ClientBreakdown): string[] {
  const categories = [...new Set([...breakdown.suite.keys(), ...breakdown.raw.keys()])];
  const rows = categories
    .map((category) => ({ category, suite: breakdown.suite.get(category) ?? 0, raw: breakdown.raw.get(category) ?? 0 }))
    .filter((row) => row.suite >= 0.5 || row.raw >= 0.5)
    .sort((a, b) => b.suite - b.raw - (a.suite - a.raw));
  const total = (side: 'suite' | 'raw'): number => rows.reduce((sum, row) => sum + row[side], 0);
  return [
    `Where the client's time per exchange goes (cloud in its own process; one more round of ${whole(breakdown.exchanges)} exchanges on each side under V8's sampling profiler, so slightly slower than above; idle is the client waiting for the cloud):`,
    '',
    ...table(
      ['part', 'suite µs/exchange', 'raw µs/exchange', 'suite − raw'],
      [
        ...rows.map((row) => [CATEGORY_NAMES[row.category], whole(row.suite), whole(row.raw), whole(row.suite - row.raw)]),
        ['**total**', whole(total('suite')), whole(total('raw')), whole(total('suite') - total('raw'))],
      ],
    ),
  ];
}

function fitLine(what: string, result: ScalingResult, unit: string): string {
  const { slope, intercept, rSquared, points } = result.fit;
  return `Least-squares fit over ${points} points: ${what} = ${fixed(slope, 3)} ms × ${unit} + ${fixed(intercept, 1)} ms, R² = ${fixed(rSquared, 4)}.`;
}

function loopSection(loop: ScalingResult): string[] {
  return [
    `### Cost per case in the exchange loop (${loop.bySize.map((s) => whole(s.size)).join(', ')} cases)`,
    '',
    'The suite side of the comparison above, at growing case counts (x is the number of exchanges actually sent: the per-breakage examples are added to the requested count).',
    '',
    ...table(
      ['cases requested', 'exchanges sent', 'median time', 'µs per exchange'],
      loop.bySize.map((s) => [whole(s.size), whole(s.measured), seconds(s.medianMs), whole(s.perUnitUs)]),
    ),
    '',
    fitLine('time', loop, 'exchanges'),
  ];
}

function cliSection(cli: ScalingResult): string[] {
  return [
    '### Whole CLI runs by --runs',
    '',
    '`npm run conformance -- --runs N` against the embedded fake cloud, from spawn to exit (start-up and reports included). 10,000 runs of the whole CLI would take many minutes, so the per-case cost at 10,000 is measured by the exchange loop above instead.',
    '',
    ...table(
      ['--runs', 'median wall time', 'ms per run'],
      cli.bySize.map((s) => [whole(s.size), seconds(s.medianMs), fixed(s.medianMs / s.size, 1)]),
    ),
    '',
    `${fitLine('wall time', cli, '--runs')} The intercept is the fixed cost of a run (start-up, fixed scenarios, reports); the slope is one more case of every generated scenario.`,
  ];
}

const CATEGORY_NAMES: Readonly<Record<Category, string>> = {
  generation: 'generation (fast-check, generators, classification of cases)',
  http: 'HTTP in node (node:http, net, streams, URL)',
  'http-client': "the suite's HTTP client code (http.ts, session.ts, redaction, manners)",
  validation: 'validation (checks, ajv, Scenario judging and recording)',
  target: 'fake cloud (fixtures/fake-cloud)',
  reporting: 'reporting (reporters/)',
  'test-runner': 'vitest',
  'module-loading': 'module loading (tsx, vite, node loaders)',
  'garbage-collection': 'garbage collection',
  idle: "waiting (idle: nearly always for the target's answer)",
  other: 'other (node internals, V8)',
};

const SHORT_NAMES: Readonly<Record<Category, string>> = {
  generation: 'generation',
  http: "node http (the cloud's server side)",
  'http-client': 'suite HTTP client',
  validation: 'validation',
  target: 'fake cloud code',
  reporting: 'reporter',
  'test-runner': 'vitest',
  'module-loading': 'module loading',
  'garbage-collection': 'GC',
  idle: 'idle',
  other: 'other',
};

function sortedEntries(map: ReadonlyMap<Category, number>, withoutIdle = false): Array<[Category, number]> {
  return [...map].filter(([category, ms]) => ms >= 0.5 && !(withoutIdle && category === 'idle')).sort((a, b) => b[1] - a[1]);
}

function profileSection(profile: NonNullable<BenchResults['profile']>): string[] {
  const testsRows = sortedEntries(profile.testsByCategory).map(([category, ms]) => [
    `tests: ${CATEGORY_NAMES[category]}`,
    seconds(ms),
    percent(ms, profile.wallMs),
  ]);
  return [
    '### Where the wall time of a default run goes',
    '',
    `One \`npm run conformance -- --runs ${profile.runs}\` under \`node --cpu-prof\` (vitest passes the flag to its worker, so both processes are profiled; ${profile.attempts} attempt(s), see "Method"). Profiling slows the run a little; the split is what matters.`,
    '',
    ...table(
      ['phase', 'wall time', 'share'],
      [
        ['start-up (spawn → first request of the first test)', seconds(profile.startupMs), percent(profile.startupMs, profile.wallMs)],
        ['tests (first → last request or judgement)', seconds(profile.testsMs), percent(profile.testsMs, profile.wallMs)],
        ...testsRows,
        ['reporting and exit (last test → process exit)', seconds(profile.reportingMs), percent(profile.reportingMs, profile.wallMs)],
        ['**total wall time (profiled)**', seconds(profile.wallMs), '100 %'],
      ],
    ),
    '',
    "CPU of the CLI's main process (embedded fake cloud, vitest, reporter) in the same spans, overlapping the worker's time:",
    '',
    ...table(
      ['span', 'main-process CPU by part'],
      [
        [
          'tests',
          sortedEntries(profile.mainDuringTests, true)
            .map(([c, ms]) => `${SHORT_NAMES[c]} ${seconds(ms)}`)
            .join(', '),
        ],
        [
          'reporting and exit',
          sortedEntries(profile.mainAfterTests, true)
            .map(([c, ms]) => `${SHORT_NAMES[c]} ${seconds(ms)}`)
            .join(', '),
        ],
      ],
    ),
  ];
}

function concurrencySection(concurrency: NonNullable<BenchResults['concurrency']>): string[] {
  if ('unavailable' in concurrency) return ['### --concurrency', '', concurrency.unavailable];
  return [
    '### --concurrency N against the fake cloud',
    '',
    "The exchange loop with the target's concurrency set to N (cloud in its own process; exchanges per second), and the whole CLI with `--concurrency N` at one --runs and seed (same requests; wall time, start-up included). Levels take turns round by round; medians. Throughput relative to N = 1: exchanges/s at N ÷ at 1 for the loop, wall time at 1 ÷ at N for the CLI.",
    '',
    ...table(
      ['N', 'loop exchanges/s', 'loop throughput vs N = 1', 'CLI wall time', 'CLI throughput vs N = 1'],
      concurrency.map((p) => [
        String(p.concurrency),
        whole(p.loopExchangesPerSecond),
        `**${fixed(p.loopSpeedup)}×**`,
        seconds(p.cliWallMs),
        `${fixed(p.cliSpeedup)}×`,
      ]),
    ),
  ];
}

function loadSection(load: readonly LoadComparison[], results: BenchResults): string[] {
  return [
    '### The fake cloud against a bare node:http server',
    '',
    'autocannon against the fake cloud (own process) and against a bare node:http server (own process) that answers the very bytes recorded from the fake cloud; same connections and duration, back to back; medians of the rounds.',
    '',
    ...table(
      ['request', 'fake cloud req/s', 'bare server req/s', 'cloud/bare ratio', 'unexpected answers'],
      load.map((l) => [l.request, whole(l.cloudRps), whole(l.bareRps), `**${fixed(l.ratio)}**`, String(l.unexpected)]),
    ),
    ...(results.quick ? [] : ['']),
  ];
}

export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const lines = [
    FIGURES_START,
    `## Figures${results.quick ? ' (quick smoke mode: token sizes, not for comparison)' : ''}`,
    '',
    `Machine: ${machine.cpus} CPUs (nproc), ${machine.cpuModel}, node ${machine.node}, ${machine.platform}; load average ${fixed(machine.loadAtStart)} at the start, ${fixed(results.loadAtEnd)} at the end. Command: \`${results.command}\` (${whole(results.elapsedSeconds)} s).`,
    '',
    ...exchangeSection(results),
    ...(results.loop ? ['', ...loopSection(results.loop)] : []),
    ...(results.cli ? ['', ...cliSection(results.cli)] : []),
    ...(results.profile ? ['', ...profileSection(results.profile)] : []),
    ...(results.concurrency ? ['', ...concurrencySection(results.concurrency)] : []),
    ...(results.load ? ['', ...loadSection(results.load, results)] : []),
    ...(results.verdict ? ['', '### Time to a verdict against misbehaving clouds', '', ...verdictTable(results.verdict)] : []),
    ...(results.runsTable ? ['', '### Which --runs a remote cloud needs', '', ...runsTable(results.runsTable)] : []),
    '',
    FIGURES_END,
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** Every ratio on one line each, for the end of the output. */
export function ratioSummary(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const { layout, comparison } of results.exchange)
    if (layout !== HEADLINE_LAYOUT) lines.push(`suite/raw exchanges-per-second ratio (${layout}): ${fixed(comparison.ratio)}`);
  if (results.loop)
    lines.push(`exchange loop time by cases: ${fixed(results.loop.fit.slope * 1000, 0)} µs per exchange, R² ${fixed(results.loop.fit.rSquared, 4)}`);
  if (results.cli)
    lines.push(
      `CLI wall time by --runs: ${fixed(results.cli.fit.slope, 1)} ms per run + ${fixed(results.cli.fit.intercept / 1000, 2)} s, R² ${fixed(results.cli.fit.rSquared, 4)}`,
    );
  if (results.profile)
    lines.push(
      `default run: start-up ${percent(results.profile.startupMs, results.profile.wallMs)}, tests ${percent(results.profile.testsMs, results.profile.wallMs)}, reporting ${percent(results.profile.reportingMs, results.profile.wallMs)} of the wall time`,
    );
  if (results.concurrency && !('unavailable' in results.concurrency))
    lines.push(
      `--concurrency throughput vs N=1 (exchange loop / whole CLI): ${results.concurrency.map((p) => `N=${p.concurrency} ${fixed(p.loopSpeedup)} / ${fixed(p.cliSpeedup)}`).join(', ')}`,
    );
  for (const l of results.load ?? []) lines.push(`fake cloud/bare server requests-per-second ratio, ${l.request}: ${fixed(l.ratio)}`);
  for (const t of results.verdict ?? [])
    lines.push(`time to a verdict, ${t.variant}: ${fixed(t.ratio, 1)} request timeouts (${t.verdict ?? 'no verdict'}, exit ${t.exitCode ?? 'killed'})`);
  if (results.runsTable)
    lines.push(
      `smallest --runs that flags as many faulty variants as --runs ${Math.max(...results.runsTable.map((p) => p.runs))}: ${smallestSufficientRuns(results.runsTable) ?? 'none'}`,
    );
  const headline = results.exchange.find((e) => e.layout === HEADLINE_LAYOUT);
  if (!headline) throw new Error('the headline comparison did not run');
  lines.push(`suite/raw exchanges-per-second ratio: ${fixed(headline.comparison.ratio)}`);
  return lines;
}
