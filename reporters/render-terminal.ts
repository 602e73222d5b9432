/**
 * What the reporter prints: a line per finished test file while the run goes, and at the end a
 * compact matrix (failures first), the counts and the verdict line `verdict: <value>` that scripts
 * and people look for. Colour only on a TTY and never when NO_COLOR is set.
 */
import { STATUS_GLYPH, failuresFirst, firstReason, formatDuration, observation, shownStatus, verdictHeadline, type CellStatus } from './present.ts';
import { LEVELS, REQUIREMENT_STATUSES } from './report-types.ts';
import type { ConformanceReport, RequirementStatus, VerdictValue } from './report-types.ts';

export interface Style {
  readonly color: boolean;
  /** Columns of the terminal; null when stdout is not one (a CI log, a file): nothing is cut then. */
  readonly width: number | null;
}

const ANSI: Readonly<Record<RequirementStatus | Exclude<CellStatus, 'absent'> | VerdictValue | 'dim' | 'bold', string>> = {
  pass: '32',
  fail: '31',
  error: '33',
  'not-exercisable': '90',
  'not-run': '90',
  observed: '36',
  conformant: '1;32',
  nonconformant: '1;31',
  dim: '2',
  bold: '1',
};

function paint(style: Style, key: keyof typeof ANSI, text: string): string {
  return style.color ? `\u001b[${ANSI[key]}m${text}\u001b[0m` : text;
}

function fit(text: string, width: number | null): string {
  const flat = text.replace(/\s+/g, ' ');
  return width === null || flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

function minus(width: number | null, n: number): number | null {
  return width === null ? null : Math.max(20, width - n);
}

export interface FileProgress {
  readonly file: string;
  readonly tests: number;
  readonly failedTests: number;
  readonly skippedTests: number;
  readonly outcomes: Readonly<Record<'pass' | 'fail' | 'error' | 'not-exercisable', number>>;
  readonly durationMs: number;
}

/**
 * ✓ only for a file whose tests all finished and judged something without an error; ✗ when a test
 * failed; otherwise (tests cut short or skipped, only errors, nothing judged) a neutral mark.
 */
export function progressLine(p: FileProgress, style: Style): string {
  const judged = p.outcomes.pass + p.outcomes.fail + p.outcomes['not-exercisable'] > 0;
  const clean = p.skippedTests === 0 && p.outcomes.error === 0 && judged;
  const mark = p.failedTests > 0 ? paint(style, 'fail', '✗') : clean ? paint(style, 'pass', '✓') : paint(style, 'error', '○');
  const outcomes = (['pass', 'fail', 'error', 'not-exercisable'] as const)
    .filter((s) => p.outcomes[s] > 0)
    .map((s) => paint(style, s, `${p.outcomes[s]} ${s}`))
    .join(', ');
  const tests = `${p.tests} tests${p.failedTests > 0 ? `, ${p.failedTests} failed` : ''}${p.skippedTests > 0 ? `, ${p.skippedTests} skipped` : ''}`;
  return ` ${mark} ${p.file} ${paint(style, 'dim', `(${tests}; outcomes: ${outcomes || 'none'}; ${formatDuration(Math.round(p.durationMs))})`)}`;
}

export function summaryLines(report: ConformanceReport, writtenTo: string, style: Style): string[] {
  const titleWidth = minus(style.width, 36);
  const lines = ['', paint(style, 'bold', `Conformance matrix — ${report.target.url} @ ${report.microversion} (${report.document.name})`)];
  for (const r of failuresFirst(report.requirements)) {
    const shown = shownStatus(r);
    const status = paint(style, shown === 'absent' ? 'not-run' : shown, `${STATUS_GLYPH[shown]} ${shown.padEnd(15)}`);
    lines.push(`  ${r.id}  ${r.level.padEnd(6)}  ${status}  ${fit(r.title, titleWidth)}`);
    // Why it failed (or could not be judged), and what a MAY showed: the first line of the first message.
    const reason = shown === 'observed' ? observation(r) : shown === 'fail' || shown === 'error' ? firstReason(r) : null;
    if (reason !== null)
      lines.push(`  ${' '.repeat(r.id.length)}  ${' '.repeat(6)}  ${paint(style, 'dim', `↳ ${fit(`${r.id}: ${reason}`, minus(style.width, 20))}`)}`);
  }
  lines.push('');
  for (const level of [...LEVELS, 'all' as const]) {
    const c = report.counts[level];
    const parts = REQUIREMENT_STATUSES.filter((s) => c[s] > 0).map((s) => paint(style, s, `${c[s]} ${s}`));
    lines.push(`  ${level.padEnd(6)} ${String(c.total).padStart(3)}: ${parts.join(', ') || 'none'}`);
  }
  if (report.verdict.warnings.length > 0) lines.push(`  warnings (failed SHOULD): ${report.verdict.warnings.join(', ')}`);
  for (const problem of report.verdict.problems) lines.push(`  problem: ${fit(problem, minus(style.width, 11))}`);
  lines.push(
    '',
    paint(style, report.verdict.value, `verdict: ${verdictHeadline(report.verdict)}`),
    `  ${report.verdict.reason}`,
    `  reports: ${writtenTo}`,
    '',
  );
  return lines;
}
