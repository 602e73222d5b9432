/**
 * Differential conformance: two runs made with the same seed (two clouds, two releases of one
 * cloud, two microversions) compared case by case.
 *
 * Cases are aligned by what the suite sent, not by bytes: the test (scenario), the generated
 * case's path (the same seed generates the same cases in the same order on any target) and the
 * position of the exchange within that case. Resource ids, request ids and dates differ between
 * clouds and are never compared. What is compared is what a client of the API sees: the status,
 * the content type, the set of body fields, the error class (Nova's fault key: badRequest,
 * itemNotFound, ...) and the headers listed in DIFF_HEADERS.
 *
 * Only the exchanges that matter are aligned: the operation under test (create, another method on
 * its URL) and every exchange a requirement was judged on. The suite's own bookkeeping (polling
 * the interface list until a detach is seen) varies in count with the cloud's speed, not its
 * behaviour.
 *
 * Differences are grouped by requirement (every requirement an exchange was judged for in either
 * run), and every requirement of the two reports is listed, including those both runs passed: two
 * different answers that both satisfy a MUST are still a difference a vendor wants to see.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Level } from '../specs/ledger-types.ts';
import type { HarEntry } from '../contract/har-entry.ts';
import { HAR_FILE, readHarEntries } from './har.ts';
import type { ConformanceReport, RequirementStatus, VerdictValue } from './report-types.ts';
import { readVerifiedReport } from './verify.ts';

export const DIFF_FORMAT_VERSION = 1;

/**
 * Response headers whose presence (and, for those marked, value) is compared: the ones the
 * requirements or Nova's API contract name. Everything else (dates, request ids, lengths) differs
 * between any two clouds and says nothing about conformance.
 */
export const DIFF_HEADERS: ReadonlyArray<{ readonly name: string; readonly value: boolean }> = [
  { name: 'allow', value: true },
  { name: 'openstack-api-version', value: true },
  { name: 'x-openstack-nova-api-version', value: true },
  { name: 'vary', value: true },
  { name: 'retry-after', value: false },
  { name: 'location', value: false },
  { name: 'www-authenticate', value: false },
];

/** A usage error of the diff (runs that cannot be compared): one line, exit 2. */
export class DiffRefusal extends Error {
  override readonly name = 'DiffRefusal';
}

/** What a client of the API sees in one answer, as compared. */
export interface AnswerShape {
  readonly status: number;
  readonly contentType: string | null;
  readonly bodyFields: readonly string[];
  readonly errorClass: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Shown, never compared. */
  readonly method: string;
  readonly url: string;
  readonly requestBody: string | null;
  readonly requirements: readonly string[];
  readonly transportError: string | null;
}

export interface FieldDifference {
  readonly field: string;
  readonly a: string;
  readonly b: string;
}

export interface CaseDifference {
  readonly scenario: string;
  readonly casePath: string | null;
  /** Position of the exchange within its case (0 first). */
  readonly ordinal: number;
  /** Union of the requirements the exchange was judged for in either run. */
  readonly requirements: readonly string[];
  readonly differences: readonly FieldDifference[];
  readonly a: AnswerShape | null;
  readonly b: AnswerShape | null;
}

export interface RequirementDiff {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  readonly statusA: RequirementStatus | 'absent';
  readonly statusB: RequirementStatus | 'absent';
  /** Aligned exchanges judged for this requirement (in either run). */
  readonly compared: number;
  /** Indexes into DiffReport.cases. */
  readonly differing: readonly number[];
}

export interface DiffSide {
  readonly location: string;
  readonly target: { readonly url: string; readonly kind: string };
  readonly microversion: string;
  readonly seed: number | null;
  readonly runs: number | null;
  readonly suiteVersion: string;
  readonly verdict: VerdictValue;
  readonly reportDigest: string;
  readonly exchanges: number;
}

export interface DiffReportBody {
  readonly formatVersion: typeof DIFF_FORMAT_VERSION;
  readonly kind: 'diff';
  readonly suite: { readonly name: string; readonly version: string };
  readonly a: DiffSide;
  readonly b: DiffSide;
  readonly summary: {
    readonly compared: number;
    readonly differing: number;
    readonly onlyInA: number;
    readonly onlyInB: number;
    readonly requirementsWithDifferences: number;
    readonly requirementStatusChanges: number;
    readonly notes: readonly string[];
  };
  readonly requirements: readonly RequirementDiff[];
  readonly cases: readonly CaseDifference[];
}

export interface DiffReport extends DiffReportBody {
  readonly digest: string;
}

/** A run on disk: its verified report and its HAR. */
export interface StoredRun {
  readonly location: string;
  readonly report: ConformanceReport;
  readonly har: string;
}

/** Reads a run from a directory (or its conformance.json); refuses one that is incomplete or tampered. */
export function readStoredRun(location: string): StoredRun {
  const path = resolve(location);
  const dir = existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
  const reportFile = existsSync(path) && statSync(path).isFile() ? path : join(dir, 'conformance.json');
  if (!existsSync(reportFile)) throw new DiffRefusal(`${location}: no conformance.json there (give a report directory or its conformance.json)`);
  let report: ConformanceReport;
  try {
    report = readVerifiedReport(reportFile);
  } catch (error) {
    throw new DiffRefusal(error instanceof Error ? error.message : String(error));
  }
  const har = join(dir, HAR_FILE);
  if (!existsSync(har))
    throw new DiffRefusal(
      `${location}: no ${HAR_FILE} beside ${basename(reportFile)} (runs of this suite write it; older runs cannot be compared case by case)`,
    );
  return { location, report, har };
}

/** Refuses runs whose cases cannot be aligned. */
export function checkComparable(a: StoredRun, b: StoredRun): void {
  if (a.report.seed !== b.report.seed) {
    throw new DiffRefusal(
      `the runs used different seeds (${String(a.report.seed)} and ${String(b.report.seed)}), so they sent different cases: rerun one with --seed ${String(a.report.seed)}`,
    );
  }
  if (a.report.suite.version !== b.report.suite.version) {
    throw new DiffRefusal(
      `the runs come from different suite versions (${a.report.suite.version} and ${b.report.suite.version}): their scenarios and cases need not match`,
    );
  }
}

function headerOf(headers: readonly { name: string; value: string }[], wanted: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === wanted)?.value;
}

/** Key paths of a JSON value ("interfaceAttachment.fixed_ips[].ip_address"), depth-limited. */
function fieldPaths(value: unknown, prefix: string, out: Set<string>, depth: number): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) fieldPaths(item, `${prefix}[]`, out, depth + 1);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.add(path);
    fieldPaths(item, path, out, depth + 1);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Nova's fault bodies are {"<class>": {"code": ..., "message": ...}}: the class is the key. */
function errorClassOf(status: number, body: unknown): string | null {
  if (status < 400 || body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const keys = Object.keys(body);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) return null;
  const inner = (body as Record<string, unknown>)[key];
  return inner !== null && typeof inner === 'object' && ('message' in inner || 'code' in inner) ? key : null;
}

function normaliseHeader(name: string, value: string): string {
  const tokens = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return name === 'allow' || name === 'vary'
    ? tokens
        .map((t) => t.toLowerCase())
        .sort()
        .join(', ')
    : tokens.join(', ');
}

export function shapeOf(entry: HarEntry): AnswerShape {
  const { response, request } = entry;
  const contentType = headerOf(response.headers, 'content-type');
  const body = response.content.text === '' ? undefined : parseJson(response.content.text);
  const fields = new Set<string>();
  fieldPaths(body, '', fields, 0);
  const headers: Record<string, string> = {};
  for (const { name, value } of DIFF_HEADERS) {
    const found = headerOf(response.headers, name);
    if (found !== undefined) headers[name] = value ? normaliseHeader(name, found) : '(present)';
  }
  return {
    status: response.status,
    contentType: contentType === undefined ? null : (contentType.split(';')[0] ?? '').trim().toLowerCase(),
    bodyFields: [...fields].sort(),
    errorClass: errorClassOf(response.status, body),
    headers,
    method: request.method,
    url: request.url,
    requestBody: request.postData?.text ?? null,
    requirements: entry._requirements,
    transportError: response._error ?? null,
  };
}

export function compareShapes(a: AnswerShape, b: AnswerShape): FieldDifference[] {
  const differences: FieldDifference[] = [];
  const show = (value: string | number | null): string => (value === null ? '(none)' : String(value));
  if (a.transportError !== null || b.transportError !== null) {
    if ((a.transportError === null) !== (b.transportError === null))
      differences.push({ field: 'answer', a: a.transportError ?? 'answered', b: b.transportError ?? 'answered' });
    return differences;
  }
  if (a.status !== b.status) differences.push({ field: 'status', a: show(a.status), b: show(b.status) });
  if (a.contentType !== b.contentType) differences.push({ field: 'content type', a: show(a.contentType), b: show(b.contentType) });
  if (a.errorClass !== b.errorClass) differences.push({ field: 'error class', a: show(a.errorClass), b: show(b.errorClass) });
  const onlyA = a.bodyFields.filter((f) => !b.bodyFields.includes(f));
  const onlyB = b.bodyFields.filter((f) => !a.bodyFields.includes(f));
  if (onlyA.length > 0 || onlyB.length > 0)
    differences.push({
      field: 'body fields',
      a: onlyA.length > 0 ? `only here: ${onlyA.join(', ')}` : '(none missing)',
      b: onlyB.length > 0 ? `only here: ${onlyB.join(', ')}` : '(none missing)',
    });
  for (const { name } of DIFF_HEADERS) {
    const va = a.headers[name];
    const vb = b.headers[name];
    if (va !== vb) differences.push({ field: `header ${name}`, a: va ?? '(absent)', b: vb ?? '(absent)' });
  }
  return differences;
}

/** Whether an exchange is aligned at all (see the module comment). */
function isCompared(entry: HarEntry): boolean {
  return entry._kind !== 'support' || entry._requirements.length > 0;
}

interface Keyed {
  readonly key: string;
  readonly scenario: string;
  readonly casePath: string | null;
  readonly ordinal: number;
  readonly shape: AnswerShape;
}

/** The compared exchanges of a HAR, keyed by scenario, case path and position in the case (streamed). */
async function keyedShapes(harFile: string): Promise<{ order: string[]; byKey: Map<string, Keyed>; total: number }> {
  const ordinals = new Map<string, number>();
  const byKey = new Map<string, Keyed>();
  const order: string[] = [];
  let total = 0;
  for await (const entry of readHarEntries(harFile)) {
    total += 1;
    if (!isCompared(entry)) continue;
    const caseKey = `${entry._scenario}\u0000${entry._casePath ?? ''}`;
    const ordinal = ordinals.get(caseKey) ?? 0;
    ordinals.set(caseKey, ordinal + 1);
    const key = `${caseKey}\u0000${ordinal}`;
    byKey.set(key, { key, scenario: entry._scenario, casePath: entry._casePath, ordinal, shape: shapeOf(entry) });
    order.push(key);
  }
  return { order, byKey, total };
}

function sideOf(run: StoredRun, exchanges: number): DiffSide {
  const { report } = run;
  return {
    location: run.location,
    target: report.target,
    microversion: report.microversion,
    seed: report.seed,
    runs: report.runs,
    suiteVersion: report.suite.version,
    verdict: report.verdict.value,
    reportDigest: report.digest,
    exchanges,
  };
}

/** Compares two stored runs (already checked comparable). */
export async function diffRuns(a: StoredRun, b: StoredRun): Promise<DiffReportBody> {
  const [left, right] = await Promise.all([keyedShapes(a.har), keyedShapes(b.har)]);
  const cases: CaseDifference[] = [];
  const comparedPerRequirement = new Map<string, number>();
  const differingPerRequirement = new Map<string, number[]>();
  const keys = [...left.order, ...right.order.filter((key) => !left.byKey.has(key))];
  let onlyInA = 0;
  let onlyInB = 0;
  for (const key of keys) {
    const ea = left.byKey.get(key);
    const eb = right.byKey.get(key);
    const anchor = ea ?? eb;
    if (!anchor) continue;
    const requirements = [...new Set([...(ea?.shape.requirements ?? []), ...(eb?.shape.requirements ?? [])])].sort();
    for (const id of requirements) comparedPerRequirement.set(id, (comparedPerRequirement.get(id) ?? 0) + 1);
    let differences: FieldDifference[];
    if (ea && eb) differences = compareShapes(ea.shape, eb.shape);
    else {
      if (ea) onlyInA += 1;
      else onlyInB += 1;
      differences = [
        {
          field: 'exchange',
          a: ea ? `${ea.shape.method} → ${ea.shape.status}` : '(not sent)',
          b: eb ? `${eb.shape.method} → ${eb.shape.status}` : '(not sent)',
        },
      ];
    }
    if (differences.length === 0) continue;
    const index = cases.length;
    cases.push({
      scenario: anchor.scenario,
      casePath: anchor.casePath,
      ordinal: anchor.ordinal,
      requirements,
      differences,
      a: ea?.shape ?? null,
      b: eb?.shape ?? null,
    });
    for (const id of requirements) {
      const list = differingPerRequirement.get(id) ?? [];
      list.push(index);
      differingPerRequirement.set(id, list);
    }
  }
  const statusB = new Map(b.report.requirements.map((r) => [r.id, r]));
  const ids = [
    ...a.report.requirements.map((r) => r.id),
    ...b.report.requirements.map((r) => r.id).filter((id) => !a.report.requirements.some((r) => r.id === id)),
  ];
  const requirements: RequirementDiff[] = ids.map((id) => {
    const ra = a.report.requirements.find((r) => r.id === id);
    const rb = statusB.get(id);
    const known = ra ?? rb;
    return {
      id,
      level: known?.level ?? 'MAY',
      title: known?.title ?? '',
      statusA: ra?.status ?? 'absent',
      statusB: rb?.status ?? 'absent',
      compared: comparedPerRequirement.get(id) ?? 0,
      differing: differingPerRequirement.get(id) ?? [],
    };
  });
  const notes: string[] = [];
  if (a.report.runs !== b.report.runs)
    notes.push(
      `the runs made different numbers of cases (--runs ${String(a.report.runs)} and ${String(b.report.runs)}): cases beyond the smaller count show as sent by one run only`,
    );
  if (a.report.microversion !== b.report.microversion)
    notes.push(`the runs asked for different microversions (${a.report.microversion} and ${b.report.microversion})`);
  const untagged = cases.filter((c) => c.requirements.length === 0).length;
  if (untagged > 0) notes.push(`${untagged} differing exchange(s) were judged for no requirement (listed under "not judged")`);
  return {
    formatVersion: DIFF_FORMAT_VERSION,
    kind: 'diff',
    suite: a.report.suite,
    a: sideOf(a, left.total),
    b: sideOf(b, right.total),
    summary: {
      compared: keys.length,
      differing: cases.length,
      onlyInA,
      onlyInB,
      requirementsWithDifferences: requirements.filter((r) => r.differing.length > 0).length,
      requirementStatusChanges: requirements.filter((r) => r.statusA !== r.statusB).length,
      notes,
    },
    requirements,
    cases,
  };
}

/** Whether the two runs differ at all (exit 1). */
export function somethingDiffers(diff: DiffReportBody): boolean {
  return diff.summary.differing > 0 || diff.summary.requirementStatusChanges > 0;
}
