/**
 * Runs the CLI many times in one process, for the faulty-variant self-test: started once (node,
 * tsx, the CLI's modules), it takes one run at a time from its parent over the IPC channel, runs it
 * through the CLI's own `runCli` (the same path as `npm run conformance`, each run starting its
 * embedded fake cloud and vitest as a lone run would), and answers with the exit code and duration.
 * The report files land where the run's `--report-dir` says, as for a spawned CLI.
 *
 * One run at a time per process: the CLI reads its settings from process.env and hands the target
 * to vitest through a global, so two runs at once in one process would mix. Before each run the
 * environment is put back as it was at start, so no run sees the variables a previous one set.
 */
import { runCli } from '../../cli/main.ts';

/** What the parent sends: one run's name and CLI arguments. */
export interface VariantRun {
  readonly name: string;
  readonly args: readonly string[];
}

/** What the runner answers for it. */
export interface VariantRunEnd {
  readonly name: string;
  readonly code: number;
  readonly ms: number;
}

const startEnvironment: Readonly<Record<string, string | undefined>> = { ...process.env };

function restoreEnvironment(): void {
  for (const key of Object.keys(process.env)) if (!(key in startEnvironment)) delete process.env[key];
  Object.assign(process.env, startEnvironment);
}

const send = process.send?.bind(process);
if (send === undefined) {
  process.stderr.write('variant-runner: start it with an IPC channel (child_process.spawn with stdio "ipc")\n');
  process.exit(2);
}

/** What the parent sends when it has no more runs (a type: importing this module would start a runner). */
export type NoMoreRuns = 'no more runs';

/** Runs are queued so that a message arriving during a run waits for it to end. */
let chain: Promise<void> = Promise.resolve();
process.on('message', (message: VariantRun | NoMoreRuns) => {
  chain = chain.then(async () => {
    if (message === 'no more runs') process.exit(0);
    restoreEnvironment();
    const started = Date.now();
    const code = await runCli(message.args);
    const end: VariantRunEnd = { name: message.name, code, ms: Date.now() - started };
    send(end);
  });
});
// The parent is gone (its test was stopped): no one waits for further runs.
process.on('disconnect', () => {
  void chain.then(() => process.exit(1));
});
