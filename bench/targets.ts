/**
 * The fake cloud as the suite sees it, in the two layouts the exchange benchmark compares:
 * - "separate process": the cloud in a process of its own, as in `npm run conformance` (the CLI's
 *   main process serves the embedded cloud, the tests run in a vitest worker);
 * - "same process": startEmbeddedCloud in the benchmark's own process, so client and cloud share
 *   one event loop and every microsecond of either is on the clock.
 * Either way the target goes through resolveTarget, as the CLI's does.
 */
import path from 'node:path';
import { readConfig } from '../suites/harness/config.ts';
import { resolveTarget, startEmbeddedCloud, type ResolvedTarget } from '../suites/harness/target.ts';
import { startFakeCloudProcess } from './child-process.ts';

export type CloudLayout = 'separate-process' | 'same-process';

export interface BenchTarget {
  readonly target: ResolvedTarget;
  close(): Promise<void>;
}

export async function openTarget(layout: CloudLayout, workDir: string, seed: number): Promise<BenchTarget> {
  const config = readConfig({ OSI_SEED: String(seed) });
  const start =
    layout === 'same-process'
      ? startEmbeddedCloud
      : async () => {
          const { server, seed: cloudSeed } = await startFakeCloudProcess(path.join(workDir, `fake-cloud-seed-${Date.now()}.json`));
          return { handle: server, seed: cloudSeed };
        };
  const { handoff, handle } = await resolveTarget(config, start);
  if (!handoff.ok) {
    await handle?.close();
    throw new Error(`the fake cloud could not be used: ${handoff.setupError}`);
  }
  return { target: handoff.target, close: async () => handle?.close() };
}
