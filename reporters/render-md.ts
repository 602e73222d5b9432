/**
 * conformance.md and matrix.md: GitHub-flavoured Markdown for a pull request or a job summary.
 *
 * Everything taken from the run is treated as hostile: response bodies come from the target, and
 * GitHub renders HTML and @mentions in Markdown. Table cells are entity-escaped (so `<script>`,
 * `|` and `@someone` stay text), and evidence goes into fenced blocks whose fence is longer than
 * any backtick run inside, so a body cannot close its block.
 */
import type { ConformanceReport, MatrixReport, RequirementResult } from './report-types.ts';
import { LEVELS, REQUIREMENT_STATUSES } from './report-types.ts';
import {
  STATUS_EMOJI,
  VERDICT_EMOJI,
  STATEFUL_SECTION_TITLE,
  exchangeCaption,
  exchangeText,
  formatDuration,
  matrixSections,
  runFacts,
  observation,
  sections,
  sequenceCaption,
  sequenceText,
  shownStatus,
  signatureFacts,
  stripForbiddenXmlChars,
  verdictHeadline,
} from './present.ts';

/** Escapes inline text: HTML, table pipes, Markdown emphasis and links, mentions and issue references. */
export function escapeInline(text: string): string {
  return (
    stripForbiddenXmlChars(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Enough to stop emphasis, code, links and images (all need one of these), and table cell splits.
      .replace(/([\\`*_[\]|~])/g, '\\$1')
      .replace(/@/g, '&#64;')
      .replace(/\r?\n|\r/g, ' ')
  );
}

/** A fenced code block that no content can break out of. */
export function codeBlock(text: string, language = ''): string {
  let longestRun = 0;
  for (const run of text.matchAll(/`+/g)) longestRun = Math.max(longestRun, run[0].length);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${stripForbiddenXmlChars(text)}\n${fence}`;
}

/** Inline code for table cells. GFM splits cells at `|` even inside code spans, so pipes are escaped there too. */
export function code(text: string): string {
  // Inline code cannot hold a backtick safely in every renderer; fall back to escaped text.
  if (text.includes('`') || /[\r\n]/.test(text)) return escapeInline(text);
  return `\`${stripForbiddenXmlChars(text).replace(/\|/g, '\\|')}\``;
}

export function statusCell(status: keyof typeof STATUS_EMOJI): string {
  return `${STATUS_EMOJI[status]} ${status}`;
}

function countsTable(report: Pick<ConformanceReport, 'counts'>): string[] {
  const head = `| Level | ${REQUIREMENT_STATUSES.map((s) => statusCell(s)).join(' | ')} | total |`;
  const rule = `|---|${REQUIREMENT_STATUSES.map(() => '--:').join('|')}|--:|`;
  const rows = [...LEVELS, 'all' as const].map((level) => {
    const counts = report.counts[level];
    return `| ${level} | ${REQUIREMENT_STATUSES.map((s) => counts[s]).join(' | ')} | ${counts.total} |`;
  });
  return [head, rule, ...rows];
}

function requirementDetails(requirement: RequirementResult, withEvidence: boolean): string[] {
  const lines = [`#### ${STATUS_EMOJI[shownStatus(requirement)]} ${requirement.id} (${requirement.level}) ${escapeInline(requirement.title)}`, ''];
  lines.push(`> ${escapeInline(requirement.clause)}`, '');
  if (shownStatus(requirement) === 'observed')
    lines.push(`- **observed** (a MAY: reported, never judged) ${escapeInline(observation(requirement) ?? 'nothing recorded')}`);
  for (const message of requirement.messages) {
    const replay = message.replay ? ` (replay: seed ${message.replay.seed}${message.replay.path ? `, path ${code(message.replay.path)}` : ''})` : '';
    lines.push(`- **${message.status}** ${escapeInline(message.text)} — _${escapeInline(message.test)}_${replay}`);
  }
  if (requirement.messagesOmitted > 0)
    lines.push(`- … ${requirement.messagesOmitted} more ${requirement.messagesOmitted === 1 ? 'message' : 'messages'} in conformance.json`);
  lines.push('');
  if (!withEvidence) return lines;
  for (const { sequence } of requirement.messages) {
    if (!sequence) continue;
    lines.push(
      `<details open><summary>${escapeInline(sequenceCaption(sequence))}</summary>`,
      '',
      codeBlock(sequenceText(sequence)),
      '',
      'Reproduce, step by step:',
      '',
      codeBlock(sequence.script, 'sh'),
      '',
      '</details>',
      '',
    );
  }
  requirement.evidence.forEach((evidence, index) => {
    lines.push(
      `<details><summary>Evidence ${index + 1} (${evidence.status}, ${escapeInline(evidence.check)}): ${escapeInline(exchangeCaption(evidence))}</summary>`,
      '',
      codeBlock(exchangeText(evidence), 'http'),
      '',
      'Reproduce:',
      '',
      codeBlock(evidence.curl, 'sh'),
      '',
      '</details>',
      '',
    );
  });
  if (requirement.evidenceOmitted > 0)
    lines.push(`_${requirement.evidenceOmitted} more ${requirement.evidenceOmitted === 1 ? 'exchange is' : 'exchanges are'} not kept in the report._`, '');
  return lines;
}

export interface MarkdownOptions {
  /** Leave the exchanges out (to fit a size limit such as GitHub's 1 MiB job summary). */
  readonly withEvidence?: boolean;
}

export function renderReportMarkdown(report: ConformanceReport, options: MarkdownOptions = {}): string {
  const withEvidence = options.withEvidence ?? true;
  const { failures, errors, warnings, observations } = sections(report);
  const lines = [
    `## ${VERDICT_EMOJI[report.verdict.value]} Conformance: ${report.verdict.value}`,
    '',
    `**Verdict: ${verdictHeadline(report.verdict)}** — ${escapeInline(report.verdict.reason)}`,
    '',
    '| | |',
    '|---|---|',
    `| Target | ${code(report.target.url)} (${escapeInline(report.target.kind)}) |`,
    `| Microversion | ${code(report.microversion)} |`,
    `| Seed / runs | ${escapeInline(runFacts(report))} |`,
    `| Document | ${escapeInline(report.document.name)}, sha256 ${code(report.document.sha256 ?? 'unknown')} |`,
    `| Suite | ${escapeInline(report.suite.name)} ${escapeInline(report.suite.version)} |`,
    `| Started | ${escapeInline(report.startedAt ?? 'unknown')}, ${escapeInline(formatDuration(report.durationMs))}${report.source.mode === 'merged' ? ' (merged from shards)' : ''} |`,
    `| Report digest | ${code(report.digest)} |`,
    ...signatureFacts(report).map(([label, text]) => `| ${label} | ${escapeInline(text)} |`),
    '',
    ...countsTable(report),
    '',
  ];
  if (report.verdict.problems.length > 0) {
    lines.push('### Problems with the run', '', ...report.verdict.problems.map((p) => `- ${escapeInline(p)}`), '');
  }
  const { single, stateful } = matrixSections(report.requirements);
  const matrixTable = (rows: readonly RequirementResult[]): void => {
    lines.push('| ID | Level | Status | Title |', '|---|---|---|---|');
    for (const r of rows) lines.push(`| ${r.id} | ${r.level} | ${statusCell(shownStatus(r))} | ${escapeInline(r.title)} |`);
    lines.push('');
  };
  lines.push('### Matrix', '');
  matrixTable(single);
  if (stateful.length > 0) {
    lines.push(`#### ${escapeInline(STATEFUL_SECTION_TITLE)}`, '');
    matrixTable(stateful);
  }
  const section = (title: string, items: readonly RequirementResult[]): void => {
    if (items.length === 0) return;
    lines.push(`### ${title}`, '');
    for (const r of items) lines.push(...requirementDetails(r, withEvidence));
  };
  section('Failures (MUST)', failures);
  section('Could not judge (error)', errors);
  section('Warnings (failed SHOULD)', warnings);
  section('Observations (MAY)', observations);
  if (report.interpretations.length > 0) {
    // Where the document is unclear or contradicts itself, the report says which reading it judged by.
    lines.push('<details><summary>Interpretations of the document this report rests on</summary>', '');
    for (const i of report.interpretations) {
      lines.push(
        `- **${i.id}: ${escapeInline(i.topic)}**`,
        `  - Clause: ${escapeInline(i.clause)}`,
        `  - Decision: ${escapeInline(i.decision)}`,
        `  - Reason: ${escapeInline(i.reason)}`,
      );
    }
    lines.push('', '</details>', '');
  }
  if (report.notes.length > 0) {
    lines.push('<details><summary>Notes for the suite maintainers</summary>', '', ...report.notes.map((n) => `- ${escapeInline(n)}`), '', '</details>', '');
  }
  if (!withEvidence) lines.push('_Evidence left out to fit the size limit; see conformance.html or conformance.json._', '');
  return lines.join('\n');
}

export function renderMatrixMarkdown(matrix: MatrixReport): string {
  const lines = ['## Conformance matrix', ''];
  lines.push('| Column | Target | Microversion | Seed / runs | Verdict | Suite |', '|---|---|---|---|---|---|');
  matrix.columns.forEach((c, index) => {
    lines.push(
      `| ${index + 1} | ${code(c.target.url)} (${escapeInline(c.target.kind)}) | ${code(c.microversion)} | ${escapeInline(runFacts(c))} | ${VERDICT_EMOJI[c.verdict.value]} **${c.verdict.value}** — ${escapeInline(c.verdict.reason)} | ${escapeInline(c.suiteVersion)} |`,
    );
  });
  lines.push('');
  lines.push(`| ID | Level | Title | ${matrix.columns.map((c, i) => `${i + 1}: ${escapeInline(c.label)}`).join(' | ')} |`);
  lines.push(`|---|---|---|${matrix.columns.map(() => '---').join('|')}|`);
  for (const row of matrix.rows) {
    lines.push(`| ${row.id} | ${row.level} | ${escapeInline(row.title)} | ${row.cells.map((cell) => statusCell(cell.status)).join(' | ')} |`);
  }
  lines.push('', `Matrix digest ${code(matrix.digest)}`, '');
  return lines.join('\n');
}
