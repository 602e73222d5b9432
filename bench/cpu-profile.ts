/**
 * Reading V8 CPU profiles (.cpuprofile, as `node --cpu-prof` writes them) and attributing their
 * samples to the parts of a conformance run.
 *
 * Method: each sample's stack is walked from the leaf towards the root, and the first frame whose
 * script URL names a known part decides the sample's category. Leaf first, so that time inside a
 * library is charged to the library (JSON.parse inside http.ts → HTTP; ajv called by a check →
 * validation) rather than to whoever is at the bottom of the stack. Frames of node's task queues
 * and event emitters name no part and are walked past. V8's own pseudo-frames (idle, garbage
 * collector, program) are categories of their own.
 */
import { readFile } from 'node:fs/promises';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Microseconds on the monotonic clock, comparable between processes of one machine. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export type Category =
  | 'generation'
  | 'http'
  | 'http-client'
  | 'validation'
  | 'target'
  | 'reporting'
  | 'test-runner'
  | 'module-loading'
  | 'garbage-collection'
  | 'idle'
  | 'other';

/** First matching rule wins; a URL no rule matches names no part (the walk goes on). */
const RULES: ReadonlyArray<{ readonly category: Category; readonly pattern: RegExp }> = [
  { category: 'generation', pattern: /\/node_modules\/(fast-check|@faker-js|pure-rand)\/|\/generators\// },
  {
    category: 'validation',
    pattern:
      /\/node_modules\/(ajv|ajv-formats|fast-deep-equal|fast-uri|json-schema-traverse)\/|\/suites\/checks\/|\/specs\/|\/suites\/harness\/(scenario|steps|property)\.ts/,
  },
  { category: 'http', pattern: /^node:(_http_\w+|http|https|net|tls|dns|stream|internal\/(stream_base_commons|streams\/|net|url|http))/ },
  // The raw loop's few lines are its client code: the counterpart of the suite's.
  { category: 'http-client', pattern: /\/suites\/harness\/(http|session|redact)\.ts|\/suites\/cloud\/|\/bench\/raw-exchanges\.ts/ },
  { category: 'target', pattern: /\/fixtures\/fake-cloud\// },
  { category: 'reporting', pattern: /\/reporters\/|\/contract\// },
  {
    category: 'test-runner',
    pattern: /\/node_modules\/(vitest|@vitest|tinypool|tinybench|tinyspy|tinyrainbow|birpc|chai|pathe|std-env|magic-string|vite-node)\//,
  },
  {
    category: 'module-loading',
    pattern:
      /^node:internal\/(modules|vm|bootstrap|process\/pre_execution|main)|^node:vm|\/node_modules\/(tsx|esbuild|vite|rollup|get-tsconfig|es-module-lexer)\//,
  },
];

const PSEUDO_FRAMES: ReadonlyMap<string, Category> = new Map([
  ['(idle)', 'idle'],
  ['(garbage collector)', 'garbage-collection'],
  ['(program)', 'other'],
]);

export function categoryOfUrl(url: string): Category | null {
  for (const rule of RULES) if (rule.pattern.test(url)) return rule.category;
  return null;
}

export async function readProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}

export interface Sample {
  /** Microseconds on the monotonic clock. */
  readonly at: number;
  /** How long this sample stands for, in microseconds (the gap to the next one). */
  readonly weight: number;
  readonly category: Category;
  /** Script URLs on the stack, leaf first (for finding phase markers). */
  readonly urls: readonly string[];
}

/** Every sample with its time, weight and category; categories are computed once per node. */
export function samplesOf(profile: CpuProfile): Sample[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const cache = new Map<number, { category: Category; urls: string[] }>();
  const describe = (id: number): { category: Category; urls: string[] } => {
    const cached = cache.get(id);
    if (cached) return cached;
    const urls: string[] = [];
    let category: Category | null = PSEUDO_FRAMES.get(byId.get(id)?.callFrame.functionName ?? '') ?? null;
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parentOf.get(cursor)) {
      const url = byId.get(cursor)?.callFrame.url ?? '';
      if (url === '') continue;
      urls.push(url);
      category ??= categoryOfUrl(url);
    }
    const described = { category: category ?? 'other', urls };
    cache.set(id, described);
    return described;
  };
  const out: Sample[] = [];
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const next = i + 1 < profile.samples.length ? at + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    const { category, urls } = describe(profile.samples[i] ?? 0);
    out.push({ at, weight: Math.max(0, next - at), category, urls });
  }
  return out;
}

/** Microseconds per category over the samples whose time falls in [from, to). */
export function tally(samples: readonly Sample[], from = -Infinity, to = Infinity): Map<Category, number> {
  const totals = new Map<Category, number>();
  for (const sample of samples) {
    if (sample.at < from || sample.at >= to) continue;
    totals.set(sample.category, (totals.get(sample.category) ?? 0) + sample.weight);
  }
  return totals;
}
