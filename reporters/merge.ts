/**
 * Side by side: several conformance.json files (other targets, other microversions, other suite
 * versions) become one matrix, requirements down and one column per report. Every input is verified
 * (digest and schema) before it is used: a matrix must not launder an edited report.
 */
import type { Level } from '../specs/ledger-types.ts';
import { MATRIX_FORMAT_VERSION } from './report-types.ts';
import type { ConformanceReport, MatrixCell, MatrixColumn, MatrixReportBody, MatrixRow } from './report-types.ts';
import { suiteInfo, type SuiteInfo } from './suite-info.ts';
import { readVerifiedReport } from './verify.ts';
import { writeMatrixFiles, type WrittenMatrix } from './write.ts';

function uniqueLabels(reports: readonly ConformanceReport[]): string[] {
  const base = reports.map((r) => `${r.target.url} @ ${r.microversion}`);
  return base.map((label, index) => (base.filter((l) => l === label).length > 1 ? `${label} (#${index + 1})` : label));
}

/** Builds the matrix from verified reports. Rows follow the first report's order; ids only later reports know come after. */
export function buildMatrix(reports: readonly ConformanceReport[], suite: SuiteInfo = suiteInfo()): MatrixReportBody {
  if (reports.length === 0) throw new Error('a matrix needs at least one report');
  const labels = uniqueLabels(reports);
  const columns: MatrixColumn[] = reports.map((r, index) => ({
    label: labels[index] ?? `${index + 1}`,
    target: r.target,
    microversion: r.microversion,
    seed: r.seed,
    runs: r.runs,
    startedAt: r.startedAt,
    suiteVersion: r.suite.version,
    document: r.document,
    verdict: { value: r.verdict.value, reason: r.verdict.reason },
    counts: r.counts,
    reportDigest: r.digest,
  }));
  const order: { id: string; level: Level; title: string }[] = [];
  const seen = new Set<string>();
  for (const report of reports) {
    for (const r of report.requirements) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      order.push({ id: r.id, level: r.level, title: r.title });
    }
  }
  const rows: MatrixRow[] = order.map(({ id, level, title }) => ({
    id,
    level,
    title,
    cells: reports.map((report): MatrixCell => {
      const entry = report.requirements.find((r) => r.id === id);
      return entry === undefined ? { status: 'absent', message: null } : { status: entry.status, message: entry.messages[0]?.text ?? null };
    }),
  }));
  return { formatVersion: MATRIX_FORMAT_VERSION, kind: 'matrix', suite: { name: suite.name, version: suite.version }, columns, rows };
}

/**
 * Verifies each input (a path to conformance.json, or a report object), builds the matrix and
 * writes matrix.json, matrix.md, matrix.html and matrix-junit.xml into outDir.
 * Throws, naming the input, when one does not verify.
 */
export function mergeReports(inputs: readonly (string | ConformanceReport)[], outDir: string): WrittenMatrix {
  const reports = inputs.map((input) => readVerifiedReport(input));
  return writeMatrixFiles(buildMatrix(reports), outDir);
}
