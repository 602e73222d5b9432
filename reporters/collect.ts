/**
 * The only place that reads vitest's reported tasks: turns TestModules into plain CollectedTests
 * for aggregate.ts. Works the same on a live run and under --merge-reports, since both hand the
 * reporter the same TestModule objects (rebuilt from blobs in the latter case).
 */
import type { SerializedError, TestCase, TestModule, TestSuite } from 'vitest/node';
import type { RequirementOutcome } from '../contract/outcome-types.ts';
import type { CollectedRun, CollectedTest } from './aggregate.ts';
import { asOutcome } from './shapes.ts';
import type { TestState } from './report-types.ts';
import { RUN_INFO_META_KEY } from './run-info.ts';

type ErrorLike = Pick<SerializedError, 'message'> & { readonly name?: string; readonly stack?: string };

/** First line that says what went wrong; stacks are noise in a conformance report. */
export function errorText(error: ErrorLike | undefined): string {
  if (error === undefined) return 'unknown error';
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : ((error.stack ?? '').split('\n')[0] ?? '');
  const name = typeof error.name === 'string' && error.name !== '' && error.name !== 'Error' && !message.startsWith(error.name) ? `${error.name}: ` : '';
  return `${name}${message}`.trim() || 'unknown error';
}

/** The error of the nearest enclosing suite (or the module) whose hooks failed, if any. */
function enclosingHookError(test: TestCase): string | null {
  let parent: TestSuite | TestModule = test.parent;
  for (;;) {
    const errors = parent.errors();
    if (errors.length > 0) return `a hook of "${parent.type === 'module' ? parent.relativeModuleId : parent.fullName}" failed: ${errorText(errors[0])}`;
    if (parent.type === 'module') return null;
    parent = parent.parent;
  }
}

/**
 * Meta is read as untyped JSON on purpose: it crossed a process boundary (or came out of a blob
 * written by another checkout), so its shape is checked here rather than trusted from a type.
 */
function metaOf(task: { meta(): object }): Readonly<Record<string, unknown>> {
  return task.meta() as Readonly<Record<string, unknown>>;
}

function outcomesOf(test: TestCase, malformed: string[]): RequirementOutcome[] {
  const outcomes = metaOf(test).outcomes;
  if (outcomes === undefined) return [];
  if (!Array.isArray(outcomes)) {
    malformed.push(`${test.fullName}: meta.outcomes is not a list`);
    return [];
  }
  const valid: RequirementOutcome[] = [];
  for (const value of outcomes) {
    const outcome = asOutcome(value);
    if (outcome) valid.push(outcome);
    else malformed.push(`${test.fullName}: a malformed outcome in meta.outcomes was ignored`);
  }
  return valid;
}

function requirementsOf(test: TestCase): string[] {
  const requirements = metaOf(test).requirements;
  return Array.isArray(requirements) ? requirements.filter((r): r is string => typeof r === 'string') : [];
}

export function collectTest(test: TestCase, malformed: string[] = []): CollectedTest {
  const result = test.result();
  const state: TestState = result.state;
  let crash: string | null = null;
  if (result.state === 'failed') crash = errorText(result.errors[0]);
  // A failed beforeAll makes vitest skip the tests under it; for the matrix that is a crash, not a skip.
  else if (result.state === 'skipped' || result.state === 'pending') crash = enclosingHookError(test);
  const skipNote = result.state === 'skipped' ? (result.note ?? null) : null;
  return {
    file: test.module.relativeModuleId.split('\\').join('/'),
    name: test.fullName,
    state,
    declared: requirementsOf(test),
    outcomes: outcomesOf(test, malformed),
    crash,
    skipNote,
  };
}

export interface CollectOptions {
  readonly mode: 'run' | 'merged';
  readonly unhandledErrors: readonly ErrorLike[];
  readonly interrupted: boolean;
  /** Wall time measured by the reporter; null under --merge-reports. */
  readonly wallTimeMs: number | null;
}

export function collectRun(modules: readonly TestModule[], options: CollectOptions): CollectedRun {
  const tests: CollectedTest[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  let summedDurationMs = 0;
  for (const module of modules) {
    const moduleTests = [...module.children.allTests()];
    tests.push(...moduleTests.map((test) => collectTest(test, notes)));
    summedDurationMs += module.diagnostic().duration;
    const errors = module.errors();
    // A file that failed before defining any test may have held any requirement: the run is incomplete.
    if (errors.length > 0 && moduleTests.length === 0) problems.push(`${module.relativeModuleId} could not be loaded: ${errorText(errors[0])}`);
    else for (const error of errors) notes.push(`${module.relativeModuleId}: ${errorText(error)}`);
    for (const suite of module.children.allSuites()) {
      for (const error of suite.errors()) notes.push(`${module.relativeModuleId} > ${suite.fullName}: ${errorText(error)}`);
    }
  }
  for (const error of options.unhandledErrors) {
    // A worker that died of the interrupt itself (Ctrl-C reaches the whole process group) is the
    // interruption, already reported below, not a finding of its own: the run reports what it saw.
    if (options.interrupted && errorText(error).startsWith('[vitest-pool]')) continue;
    problems.push(`unhandled error: ${errorText(error)}`);
  }
  if (options.interrupted) problems.push('the run was interrupted before every test finished');
  return {
    mode: options.mode,
    testFiles: modules.length,
    tests,
    problems,
    notes,
    durationMs: options.wallTimeMs ?? summedDurationMs,
  };
}

/** meta.runInfo of every module that carries one (see run-info-setup.ts). */
export function runInfoFromModules(modules: readonly TestModule[]): unknown[] {
  return modules.map((m) => metaOf(m)[RUN_INFO_META_KEY]).filter((info) => info !== undefined);
}
