/**
 * A vitest `setupFiles` entry of the conformance project, run in the test worker. Ctrl-C in a
 * terminal sends SIGINT to the whole process group: the workers get it too and, without a handler,
 * die mid-request, which vitest reports as "[vitest-pool]: Worker forks emitted error". When the
 * suite's CLI owns the signals (it cancels the run, then removes what the run created), a worker
 * leaves SIGINT to it and is closed by vitest as the run winds down.
 */
import { SIGNALS_OWNED_ENV } from '../cloud/interrupts.ts';

if (process.env[SIGNALS_OWNED_ENV] === '1' && process.listenerCount('SIGINT') === 0) {
  process.on('SIGINT', () => {
    // Deliberately nothing: the CLI process decides what a SIGINT means for the run.
  });
}
