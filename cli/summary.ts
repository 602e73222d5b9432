/**
 * What the CLI prints for machines and for a first look: `--json` (the run's summary as JSON on
 * stdout) and `list` (the requirements, without running anything).
 */
import { ledger } from '../specs/index.ts';
import { firstReason } from '../reporters/present.ts';
import type { ConformanceReport, ReportCounts, ReportSelection, RequirementStatus, Verdict } from '../reporters/report-types.ts';
import type { SuiteConfig } from '../suites/harness/config.ts';
import { isSelected } from '../contract/selection.ts';

export interface JsonSummary {
  readonly verdict: Verdict['value'];
  readonly reason: string;
  readonly coverage: Verdict['coverage'] | null;
  readonly selection: ReportSelection | null;
  readonly exitCode: number;
  readonly target: string;
  readonly microversion: string;
  readonly seed: number | null;
  readonly counts: ReportCounts;
  /** Every requirement that is not a pass, with the first line of its first message. */
  readonly notPassed: ReadonlyArray<{
    readonly id: string;
    readonly level: string;
    readonly status: RequirementStatus;
    readonly title: string;
    readonly reason: string | null;
  }>;
  readonly problems: readonly string[];
  /** Where the reports were written; null when they could not be. */
  readonly reportDir: string | null;
  readonly digest: string;
}

export function jsonSummary(report: ConformanceReport, reportDir: string | null, exitCode: number): JsonSummary {
  return {
    verdict: report.verdict.value,
    reason: report.verdict.reason,
    coverage: report.verdict.coverage ?? null,
    selection: report.selection ?? null,
    exitCode,
    target: report.target.url,
    microversion: report.microversion,
    seed: report.seed,
    counts: report.counts,
    notPassed: report.requirements
      .filter((r) => r.status !== 'pass')
      .map((r) => ({ id: r.id, level: r.level, status: r.status, title: r.title, reason: firstReason(r) })),
    problems: report.verdict.problems,
    reportDir,
    digest: report.digest,
  };
}

/** `list`: id, level and title of every requirement (after --only/--skip); `--json` for machines. */
export function listCommand(config: Pick<SuiteConfig, 'selection' | 'json'>, out: (text: string) => void = (t) => process.stdout.write(t)): number {
  const requirements = ledger.requirements.filter((r) => isSelected(r, config.selection));
  if (config.json) {
    out(
      `${JSON.stringify(
        requirements.map((r) => ({ id: r.id, level: r.level, title: r.title })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  out(`${requirements.map((r) => `${r.id}  ${r.level.padEnd(6)}  ${r.title}`).join('\n')}\n`);
  out(
    `${requirements.length} requirement(s): ${['MUST', 'SHOULD', 'MAY'].map((l) => `${requirements.filter((r) => r.level === l).length} ${l}`).join(', ')}\n`,
  );
  return 0;
}
