/**
 * `--cleanup-only LEDGER`: removes what a killed run left, from its ledger, with the same
 * credentials the run had (a cloud from clouds.yaml / OS_*, or --target with --token). The token
 * goes only to the cloud's catalog origins (or the origins of --target and --network-url): a ledger
 * naming URLs elsewhere gets nothing sent there.
 *
 * Exit 0 when nothing is left (the ledger is then empty), 1 when something could not be removed
 * (it stays in the ledger), 2 for a configuration or access error.
 */
import { existsSync } from 'node:fs';
import { ConfigError, type SuiteConfig } from '../suites/harness/config.ts';
import { HttpClient } from '../suites/harness/http.ts';
import { Redactor } from '../suites/harness/redact.ts';
import { SECRETS } from '../contract/redact.ts';
import { newRunId, splitComputeUrl } from '../suites/harness/target.ts';
import { AuthorizedSender, FixedToken } from '../suites/cloud/authorized.ts';
import { LedgerCleaner } from '../suites/cloud/cleanup.ts';
import { CloudApi, networkApi } from '../suites/cloud/cloud-api.ts';
import { connectCloud } from '../suites/cloud/connect.ts';
import { cleanupMannersOf } from '../suites/cloud/lifecycle.ts';
import { isSettled, outstanding, readLedger, ResourceLedger } from '../suites/cloud/ledger.ts';
import { sharedManners } from '../suites/cloud/manners.ts';

/** However long cleanup takes without --deadline-s: bounded, so a hanging cloud cannot hang it. */
const DEFAULT_BUDGET_MS = 15 * 60_000;

function givenTargetApi(config: SuiteConfig, deadlineAt: number): CloudApi {
  const token = config.token ?? '';
  const target = config.target ?? '';
  const client = new HttpClient(new Redactor([{ value: token, variable: SECRETS.token.variable }]), {
    timeoutMs: config.timeoutMs,
    tls: { caFile: config.cacert, insecure: config.insecure ?? false },
    manners: sharedManners(cleanupMannersOf(config, deadlineAt)),
  });
  const origins = new Set([new URL(target).origin, ...(config.networkUrl ? [new URL(config.networkUrl).origin] : [])]);
  const tokens = new FixedToken(token);
  const { base, projectFromUrl } = splitComputeUrl(target, config.projectId);
  const project = config.projectId ?? projectFromUrl;
  return new CloudApi(new AuthorizedSender(client, tokens, origins), tokens, {
    compute: project ? `${base}/${project}` : base,
    network: config.networkUrl ? networkApi(config.networkUrl) : null,
    image: null,
  });
}

export async function cleanupLedgerOnly(config: SuiteConfig, say: (line: string) => void): Promise<number> {
  const file = config.cleanupOnly ?? '';
  if (!existsSync(file)) throw new ConfigError(`--cleanup-only: no ledger at ${file}`);
  const { events, unreadable } = readLedger(file);
  if (unreadable > 0) say(`${unreadable} line(s) of ${file} could not be read (a write cut short?): skipped`);
  const pending = outstanding(events);
  if (isSettled(pending)) {
    say(`${file} lists nothing left to remove`);
    return 0;
  }
  const deadlineAt = config.deadlineS === null ? Date.now() + DEFAULT_BUDGET_MS : Date.now() + config.deadlineS * 1000;
  const api =
    config.mode === 'cloud'
      ? (await connectCloud(config, sharedManners(cleanupMannersOf(config, deadlineAt)), process.env)).api
      : givenTargetApi(config, deadlineAt);
  const report = await new LedgerCleaner(api, new ResourceLedger(file, newRunId()), { settleMs: 120_000, deadlineAt }).run();
  say(
    `removed ${report.removed.length} resource(s) listed in ${file}${report.alreadyGone.length > 0 ? `; ${report.alreadyGone.length} already gone (the cloud answered 404): ${report.alreadyGone.join(', ')}` : ''}`,
  );
  for (const line of report.remaining) say(`error: not removed: ${line}`);
  if (report.remaining.length > 0) {
    say(`what is left stays in ${file}; run --cleanup-only again later`);
    return 1;
  }
  say(`${file} is empty: nothing the run created is left`);
  return 0;
}
