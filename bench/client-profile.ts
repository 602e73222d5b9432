/**
 * What the client does per exchange, suite against raw: one round of each under V8's sampling
 * profiler (node:inspector, in this process), samples attributed as in bench/cpu-profile.ts and
 * divided by the exchanges sent. With the cloud in its own process every sample is the client's,
 * and idle is the client waiting for the cloud: the difference between the two columns is what
 * the suite adds to a bare loop, part by part.
 */
import { Session } from 'node:inspector/promises';
import http from 'node:http';
import type { ResolvedTarget } from '../suites/harness/target.ts';
import { tally, samplesOf, type Category, type CpuProfile } from './cpu-profile.ts';
import { prepareRequests, runRawExchanges } from './raw-exchanges.ts';
import { runSuiteExchanges } from './suite-exchanges.ts';

/** Coarse enough to keep the profiler's own cost small (deep fast-check stacks are costly to walk), fine enough for thousands of samples per round. */
const SAMPLING_INTERVAL_US = 500;

export interface ClientBreakdown {
  readonly exchanges: number;
  /** Microseconds per exchange by category, suite side and raw side. */
  readonly suite: ReadonlyMap<Category, number>;
  readonly raw: ReadonlyMap<Category, number>;
}

async function profiled(session: Session, work: () => Promise<unknown>): Promise<CpuProfile> {
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.post('Profiler.start');
  const stop = async (): Promise<CpuProfile> => {
    const { profile } = await session.post('Profiler.stop');
    return { ...profile, samples: profile.samples ?? [], timeDeltas: profile.timeDeltas ?? [] };
  };
  try {
    await work();
  } catch (error) {
    await stop(); // never leave the profiler running
    throw error;
  }
  return stop();
}

function perExchange(profile: CpuProfile, exchanges: number): Map<Category, number> {
  return new Map([...tally(samplesOf(profile))].map(([category, us]) => [category, us / exchanges]));
}

export async function breakDownClient(target: ResolvedTarget, cases: number): Promise<ClientBreakdown> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    let exchanges = 0;
    let requests: Parameters<typeof prepareRequests>[0] = [];
    const suiteProfile = await profiled(session, async () => {
      const run = await runSuiteExchanges(target, cases);
      exchanges = run.exchanges;
      requests = run.requests;
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const prepared = prepareRequests(requests, agent);
    const rawProfile = await profiled(session, () => runRawExchanges(prepared));
    agent.destroy();
    return { exchanges, suite: perExchange(suiteProfile, exchanges), raw: perExchange(rawProfile, exchanges) };
  } finally {
    session.disconnect();
  }
}
