/**
 * vitest global setup of the conformance project: resolves the target once for the whole run
 * (starting the embedded fake cloud when none is given), hands it to the test workers through
 * `provide`, and hands the reporter the run's facts through the environment.
 *
 * A configuration mistake or an unreachable target does not throw here: the tests then record
 * "error" outcomes, the reporter still writes every file with verdict "error" and the reason, and
 * the CLI exits 2. Throwing would make vitest print a stack trace and skip the reporter's files.
 */
import type { TestProject } from 'vitest/node';
import { ledger } from '../../specs/index.ts';
import { ConfigError, readConfig, type SuiteConfig } from './config.ts';
import { RUN_INFO_ENV, type RunInfo } from '../../contract/outcome-types.ts';
import { startHarRecording } from './har-recorder.ts';
import { preparedTarget } from './prepared.ts';
import { offeredNeeds } from './needs.ts';
import { isEmptySelection } from '../../contract/selection.ts';
import { resolveTarget, startEmbeddedCloud, type TargetHandoff } from './target.ts';
import { suiteVersion } from './suite-version.ts';

declare module 'vitest' {
  interface ProvidedContext {
    handoff: TargetHandoff;
  }
}

const KIND_LABELS: Readonly<Record<SuiteConfig['mode'], string>> = { embedded: 'embedded fake cloud', given: 'given URL', cloud: 'cloud (clouds.yaml / OS_*)' };

/** What was asked for, when the target could not be resolved (no credentials in it). */
function describeConfigured(config: SuiteConfig | null): string {
  if (config?.mode === 'cloud') return config.cloud?.name ? `cloud "${config.cloud.name}"` : 'cloud from the OS_* environment';
  return config?.target ? config.target.replace(/\/\/[^@/]*@/, '//') : 'embedded fake cloud';
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const startedAt = new Date().toISOString();
  let config: SuiteConfig | null = null;
  let handoff: TargetHandoff;
  let close = async (): Promise<void> => {};
  try {
    config = readConfig(process.env);
    // Under plain vitest this starts the recording; under the CLI, which started it, it only joins it.
    startHarRecording(config.reportDir);
    const prepared = preparedTarget();
    if (prepared) {
      // The CLI resolved the target (and owns the embedded cloud, if any): use it as is.
      handoff = prepared;
    } else {
      if (config.provision || config.cleanupOnly !== null)
        throw new ConfigError('--provision and --cleanup-only need the CLI (npm run conformance), which owns the cleanup');
      const resolved = await resolveTarget(config, startEmbeddedCloud);
      handoff = resolved.handoff;
      if (resolved.handle) {
        const handle = resolved.handle;
        close = () => handle.close();
      }
    }
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `could not prepare the target: ${error instanceof Error ? error.message : String(error)}`;
    handoff = { ok: false, setupError: message };
  }
  const target = handoff.ok ? handoff.target : null;
  const info: RunInfo = {
    suiteVersion,
    target: target?.description ?? describeConfigured(config),
    targetKind: KIND_LABELS[target?.kind ?? config?.mode ?? 'embedded'],
    // The microversion chosen inside the target's range ("latest" resolved), else as asked.
    microversion: target?.microversion ?? config?.microversion ?? '2.1',
    seed: config?.seed ?? 0,
    runs: config?.runs ?? 0,
    startedAt,
    document: { name: ledger.document.name, sha256: ledger.document.sha256 },
    ...(target ? { microversionRange: { min: target.minMicroversion, max: target.maxMicroversion } } : {}),
    ...(handoff.ok ? {} : { setupError: handoff.setupError }),
    ...(config && !isEmptySelection(config.selection) ? { selection: config.selection } : {}),
    ...(config?.requireAll ? { requireAll: true } : {}),
    ...(target ? { offered: offeredNeeds(target) } : {}),
    ...(target ? { limits: target.limits } : {}),
  };
  process.env[RUN_INFO_ENV] = JSON.stringify(info);
  if (config && handoff.ok) {
    // The seed is printed on every run: it is what replays the run's requests.
    // With --json, stdout carries only the JSON summary.
    (config.json ? process.stderr : process.stdout).write(
      `os-interface conformance: target ${info.target}, microversion ${info.microversion}, runs ${info.runs}, seed ${info.seed} (replay with --seed ${info.seed}); ${target?.limits ?? ''}\n`,
    );
  }
  project.provide('handoff', handoff);
  return close;
}
