/**
 * Sealing and writing. Every file comes from one in-memory object that has been redacted and
 * digested first ("sealed"), so the JSON, the Markdown, the HTML and the JUnit can never disagree,
 * and no rendering can leak what redaction removed.
 */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeDirectory } from '../contract/report-dir.ts';
import { computeDigest } from './digest.ts';
import { redactDeep, secretsFromEnvironment } from '../contract/redact.ts';
import type { DiffReport, DiffReportBody } from './diff.ts';
import { renderDiffHtml, renderDiffMarkdown } from './render-diff.ts';
import { renderMatrixHtml, renderReportHtml } from './render-html.ts';
import { renderMatrixJunit, renderReportJunit } from './render-junit.ts';
import { renderMatrixMarkdown, renderReportMarkdown } from './render-md.ts';
import type { ConformanceReport, ConformanceReportBody, MatrixReport, MatrixReportBody, ReportSignature } from './report-types.ts';

/** Redacts every string, then (re)computes the digest. Idempotent on an already sealed object. */
export function seal<T extends object>(document: T): Omit<T, 'digest'> & { digest: string } {
  const { digest: _old, ...body } = document as T & { digest?: unknown };
  const redacted = redactDeep(body, secretsFromEnvironment());
  return { ...redacted, digest: computeDigest(redacted) };
}

/**
 * Seals a report. A signature it carries is kept only while it still covers the digest (resealing
 * a signed report changes nothing); once the content changes it is dropped, never left stale.
 */
export function sealReport(report: ConformanceReportBody | ConformanceReport): ConformanceReport {
  const { signature, ...body } = report as ConformanceReport;
  const sealed = seal(body) as ConformanceReport;
  return signature !== undefined && signature.signed.reportDigest === sealed.digest ? { ...sealed, signature } : sealed;
}

export function sealMatrix(matrix: MatrixReportBody | MatrixReport): MatrixReport {
  return seal(matrix) as MatrixReport;
}

/** Writes through a temporary file and a rename, so a reader never sees half a report. */
function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, 'utf8');
  renameSync(temporary, path);
}

/** GitHub rejects job summaries over 1 MiB; leave room for other steps' summaries. */
const STEP_SUMMARY_LIMIT = 900 * 1024;

function appendToStepSummary(full: string, short: () => string): void {
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile === undefined || summaryFile === '') return;
  const text = Buffer.byteLength(full, 'utf8') <= STEP_SUMMARY_LIMIT ? full : short();
  appendFileSync(summaryFile, `${text}\n`, 'utf8');
}

/** The four renderings of one report or matrix, as file names, contents or paths. */
export interface Renderings {
  readonly json: string;
  readonly markdown: string;
  readonly html: string;
  readonly junit: string;
}

const REPORT_FILES: Renderings = { json: 'conformance.json', markdown: 'conformance.md', html: 'conformance.html', junit: 'junit.xml' };
/** Named apart from a single report's files, so a matrix can be written into the same directory. */
const MATRIX_FILES: Renderings = { json: 'matrix.json', markdown: 'matrix.md', html: 'matrix.html', junit: 'matrix-junit.xml' };

function writeRenderings(outDir: string, names: Renderings, contents: Renderings): Renderings {
  const dir = resolve(outDir);
  makeDirectory(dir);
  const paths: Renderings = {
    json: join(dir, names.json),
    markdown: join(dir, names.markdown),
    html: join(dir, names.html),
    junit: join(dir, names.junit),
  };
  for (const key of ['json', 'markdown', 'html', 'junit'] as const) writeAtomically(paths[key], contents[key]);
  return paths;
}

/** How one kind of document is rendered; the short Markdown is for the job summary's size limit. */
interface Renderers<T> {
  readonly markdown: (document: T) => string;
  readonly shortMarkdown: (document: T, full: string) => string;
  readonly html: (document: T) => string;
  readonly junit: (document: T) => string;
}

function writeSealed<T>(sealed: T, outDir: string, names: Renderings, render: Renderers<T>): Renderings {
  const markdown = render.markdown(sealed);
  const files = writeRenderings(outDir, names, {
    json: `${JSON.stringify(sealed, null, 2)}\n`,
    markdown,
    html: render.html(sealed),
    junit: render.junit(sealed),
  });
  appendToStepSummary(markdown, () => render.shortMarkdown(sealed, markdown));
  return files;
}

export interface ReportWriteOptions {
  /** Signs the sealed report (sign.ts ReportSigner); the signature is written into every file. */
  readonly sign?: (sealed: ConformanceReport) => ReportSignature;
}

export interface WrittenReport {
  readonly report: ConformanceReport;
  readonly files: Renderings;
}

/**
 * Writes conformance.json, conformance.md, conformance.html and junit.xml into outDir, and appends
 * the Markdown to $GITHUB_STEP_SUMMARY when that is set. Returns the sealed report as written.
 */
export function writeReportFiles(report: ConformanceReportBody | ConformanceReport, outDir: string, options: ReportWriteOptions = {}): WrittenReport {
  const unsigned = sealReport(report);
  // The signature is made over the sealed report's digest, and every rendering shows it.
  const sealed: ConformanceReport = options.sign ? { ...unsigned, signature: options.sign(unsigned) } : unsigned;
  const files = writeSealed(sealed, outDir, REPORT_FILES, {
    markdown: (r) => renderReportMarkdown(r),
    shortMarkdown: (r) => renderReportMarkdown(r, { withEvidence: false }),
    html: renderReportHtml,
    junit: renderReportJunit,
  });
  return { report: sealed, files };
}

export interface WrittenMatrix {
  readonly matrix: MatrixReport;
  readonly files: Renderings;
}

/** Writes matrix.json, matrix.md, matrix.html and matrix-junit.xml into outDir (and the step summary). */
export function writeMatrixFiles(matrix: MatrixReportBody | MatrixReport, outDir: string): WrittenMatrix {
  const sealed = sealMatrix(matrix);
  const files = writeSealed(sealed, outDir, MATRIX_FILES, {
    markdown: renderMatrixMarkdown,
    shortMarkdown: (_m, full) => full.slice(0, STEP_SUMMARY_LIMIT),
    html: renderMatrixHtml,
    junit: renderMatrixJunit,
  });
  return { matrix: sealed, files };
}

const DIFF_FILES = { json: 'diff.json', markdown: 'diff.md', html: 'diff.html' } as const;

export interface WrittenDiff {
  readonly diff: DiffReport;
  readonly files: { readonly json: string; readonly markdown: string; readonly html: string };
}

/** Writes diff.json, diff.md and diff.html into outDir (beside the reports or matrices there). */
export function writeDiffFiles(diff: DiffReportBody, outDir: string): WrittenDiff {
  const sealed = seal(diff) as DiffReport;
  const dir = resolve(outDir);
  makeDirectory(dir);
  const files = { json: join(dir, DIFF_FILES.json), markdown: join(dir, DIFF_FILES.markdown), html: join(dir, DIFF_FILES.html) };
  writeAtomically(files.json, `${JSON.stringify(sealed, null, 2)}\n`);
  writeAtomically(files.markdown, renderDiffMarkdown(sealed));
  writeAtomically(files.html, renderDiffHtml(sealed));
  return { diff: sealed, files };
}
