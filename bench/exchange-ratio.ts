/**
 * Suite against raw: exchanges per second through the suite and through a bare keep-alive loop
 * sending the same requests to the same server, in alternating rounds. With a fixed seed every
 * suite round sends the very same requests, so the raw loop can go first in every other round
 * (no side is always the one that runs on a warmer or busier machine); the figure is the median.
 */
import http from 'node:http';
import type { HttpRequest } from '../suites/harness/http.ts';
import type { ResolvedTarget } from '../suites/harness/target.ts';
import { prepareRequests, runRawExchanges } from './raw-exchanges.ts';
import { median } from './stats.ts';
import { runSuiteExchanges, type SuiteRunResult } from './suite-exchanges.ts';

export interface ExchangeComparison {
  readonly rounds: number;
  readonly exchangesPerRound: number;
  readonly requestsPerRound: number;
  readonly suiteExchangesPerSecond: number;
  readonly rawExchangesPerSecond: number;
  /** Median over rounds of (suite exchanges/s ÷ raw exchanges/s) = raw time ÷ suite time. */
  readonly ratio: number;
  readonly ratios: readonly number[];
  /** Requirements the suite judged as anything but pass: a healthy run has none. */
  readonly notPassing: readonly string[];
}

async function rawRound(requests: readonly HttpRequest[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await runRawExchanges(prepareRequests(requests, agent));
  } finally {
    agent.destroy();
  }
}

export async function compareExchanges(
  target: ResolvedTarget,
  options: { readonly cases: number; readonly rounds: number; readonly warmupCases: number },
): Promise<ExchangeComparison> {
  // Warm-up: JIT, connections, the cloud's caches; also gives the raw side its first requests.
  const warmup = await runSuiteExchanges(target, options.warmupCases);
  await rawRound(warmup.requests);
  let previous: SuiteRunResult | null = null;
  const suiteMs: number[] = [];
  const rawMs: number[] = [];
  const ratios: number[] = [];
  const notPassing = new Set<string>();
  for (let round = 0; round < options.rounds; round++) {
    const rawFirst = round % 2 === 1 && previous !== null;
    const rawBefore = rawFirst && previous ? await rawRound(previous.requests) : null;
    const suite = await runSuiteExchanges(target, options.cases);
    const raw = rawBefore ?? (await rawRound(suite.requests));
    if (previous && previous.requests.length !== suite.requests.length) throw new Error('two suite rounds with one seed sent different requests');
    for (const outcome of suite.outcomes) if (outcome.status !== 'pass') notPassing.add(`${outcome.requirement} ${outcome.status}`);
    suiteMs.push(suite.elapsedMs);
    rawMs.push(raw);
    ratios.push(raw / suite.elapsedMs);
    previous = suite;
  }
  if (!previous) throw new Error('no rounds');
  const exchanges = previous.exchanges;
  return {
    rounds: options.rounds,
    exchangesPerRound: exchanges,
    requestsPerRound: previous.requests.length,
    suiteExchangesPerSecond: exchanges / (median(suiteMs) / 1000),
    rawExchangesPerSecond: exchanges / (median(rawMs) / 1000),
    ratio: median(ratios),
    ratios,
    notPassing: [...notPassing],
  };
}
