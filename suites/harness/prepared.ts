/**
 * In-process handoff from the CLI to vitest's global setup.
 *
 * The CLI resolves the target itself (so that a bad configuration or an unreachable target is one
 * clear line before vitest starts) and runs vitest in the same process. Global setup is loaded
 * through vitest's own module runner, a separate module graph, so a module-level variable would
 * not be shared: a registered symbol on globalThis is.
 */
import type { TargetHandoff } from './target.ts';

const KEY = Symbol.for('os-interface-conformance.prepared-target');

type Holder = { [KEY]?: TargetHandoff };

export function setPreparedTarget(handoff: TargetHandoff): void {
  (globalThis as Holder)[KEY] = handoff;
}

/** The handoff the CLI prepared, if the run was started by the CLI. */
export function preparedTarget(): TargetHandoff | undefined {
  return (globalThis as Holder)[KEY];
}
