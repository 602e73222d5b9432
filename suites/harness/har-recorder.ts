/**
 * Records every exchange of a run for exchanges.har (written by reporters/har.ts), tagged with the test
 * (scenario), the generated case's path, the seed and the requirements it was judged for.
 *
 * It listens to every HTTP client of the process (http.ts observeExchanges), so no caller has to
 * remember it. The tags come from where the exchange was sent: a conformance test runs inside
 * `recordScenario`, a generated case inside `withCasePath` (AsyncLocalStorage, so cases running
 * concurrently keep their own path). Which requirements an exchange was judged for is only known
 * when its test ends (the cross-cutting checks run last), so a test's entries wait until then and
 * are appended in one write; anything sent outside a test (setup, a file's last cleanup) is
 * appended at once. The part file is named by OSI_HAR_PART, set before the workers start; once it is
 * unset (reporters/har.ts finishHarRecording), this process records no more.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { HAR_PART_ENV, HAR_PART_FILE, harEntryOf, removeHarPart, type ExchangeTags } from '../../contract/har-entry.ts';
import { secretsFromEnvironment, type KnownSecret } from '../../contract/redact.ts';
import { observeExchanges, type Exchange } from './http.ts';

interface Pending {
  readonly exchange: Exchange;
  readonly startedAt: Date;
  readonly casePath: string | null;
}

interface ScenarioRecording {
  readonly name: string;
  readonly seed: number | null;
  readonly pending: Pending[];
}

interface Context {
  readonly scenario: ScenarioRecording | null;
  readonly casePath: string | null;
}

const context = new AsyncLocalStorage<Context>();

/** What a scenario knows about its exchanges when it ends. */
export interface ScenarioFacts {
  readonly kindOf: (exchange: Exchange) => string;
  readonly requirementsOf: (exchange: Exchange) => readonly string[];
}

class Recorder {
  private readonly secrets: readonly KnownSecret[] = secretsFromEnvironment();

  observe(exchange: Exchange, startedAt: Date): void {
    const current = context.getStore();
    if (current?.scenario) {
      current.scenario.pending.push({ exchange, startedAt, casePath: current.casePath });
      return;
    }
    const seed = Number(process.env.OSI_SEED);
    this.append([
      this.line(exchange, startedAt, {
        scenario: '(outside a test: setup or cleanup)',
        casePath: null,
        seed: Number.isSafeInteger(seed) ? seed : null,
        requirements: [],
        kind: 'support',
      }),
    ]);
  }

  flush(recording: ScenarioRecording, facts: ScenarioFacts): void {
    const lines = recording.pending.map(({ exchange, startedAt, casePath }) =>
      this.line(exchange, startedAt, {
        scenario: recording.name,
        casePath,
        seed: recording.seed,
        requirements: facts.requirementsOf(exchange),
        kind: facts.kindOf(exchange),
      }),
    );
    recording.pending.length = 0;
    this.append(lines);
  }

  private line(exchange: Exchange, startedAt: Date, tags: ExchangeTags): string {
    return JSON.stringify(harEntryOf(exchange.record, startedAt, tags, this.secrets));
  }

  private append(lines: readonly string[]): void {
    const partFile = process.env[HAR_PART_ENV];
    if (lines.length === 0 || !partFile) return;
    appendFileSync(partFile, `${lines.join('\n')}\n`, 'utf8');
  }
}

let recorder: Recorder | null = null;

/** Observes this process's exchanges from now on, once; what it records goes to the part file OSI_HAR_PART names. */
function install(): void {
  if (recorder) return;
  recorder = new Recorder();
  const active = recorder;
  observeExchanges((exchange, startedAt) => active.observe(exchange, startedAt));
}

/**
 * Starts recording a run into `<reportDir>/exchanges.har.part` (removing one a previous run left):
 * called once by whoever starts the run (the CLI, or global setup under plain vitest), before any
 * request and before the workers start. Returns the part file.
 */
export function startHarRecording(reportDir: string): string {
  const existing = process.env[HAR_PART_ENV];
  if (existing) {
    install();
    return existing;
  }
  const partFile = path.resolve(reportDir, HAR_PART_FILE);
  mkdirSync(path.dirname(partFile), { recursive: true });
  removeHarPart(partFile);
  process.env[HAR_PART_ENV] = partFile;
  install();
  return partFile;
}

// A test worker records into the part file its run named.
if (process.env[HAR_PART_ENV]) install();

/**
 * Runs a conformance test's body with its exchanges held back until `facts` can say what each was
 * judged for; `finish` runs inside the recording (cleanup's exchanges belong to the test too).
 */
export async function recordScenario(name: string, seed: number | null, body: () => Promise<void>, facts: () => ScenarioFacts): Promise<void> {
  const recording: ScenarioRecording = { name, seed, pending: [] };
  try {
    await context.run({ scenario: recording, casePath: null }, body);
  } finally {
    recorder?.flush(recording, facts());
  }
}

/** Runs one generated case: its exchanges carry its path. */
export function withCasePath<T>(casePath: string, run: () => Promise<T>): Promise<T> {
  const current = context.getStore();
  return context.run({ scenario: current?.scenario ?? null, casePath }, run);
}
