/**
 * diff.md, diff.html and the terminal summary of a differential run (diff.ts), in the reports'
 * style: the same escaping (everything from a target is hostile), the same page frame, pills and
 * facts. Requirements are listed in ledger order, each with its status in both runs and the cases
 * that answered differently; the cases themselves are listed once, at the end.
 */
import type { CaseDifference, DiffReport, DiffSide, RequirementDiff } from './diff.ts';
import { h, htmlPage } from './html-page.ts';
import { facts, pill } from './render-html.ts';
import { code, escapeInline, statusCell } from './render-md.ts';

/** Cases listed per requirement in the Markdown and HTML (all are in diff.json). */
const CASES_SHOWN_PER_REQUIREMENT = 10;
/** Cases written out in full at the end of the Markdown and HTML. */
const CASES_SHOWN = 200;

function sideLabel(side: DiffSide): string {
  return `${side.target.url} @ ${side.microversion}`;
}

export function caseLabel(c: CaseDifference): string {
  return `${c.scenario}${c.casePath === null ? '' : ` · case ${c.casePath}`}${c.ordinal > 0 ? ` · exchange ${c.ordinal + 1}` : ''}`;
}

function differenceText(c: CaseDifference): string {
  return c.differences.map((d) => `${d.field}: ${d.a} → ${d.b}`).join('; ');
}

function requirementLine(r: RequirementDiff): string {
  const status = r.statusA === r.statusB ? `${r.statusA} in both` : `${r.statusA} → ${r.statusB}`;
  return `${r.id} (${r.level}) ${status}: ${r.differing.length} of ${r.compared} case(s) differ`;
}

/** The lines printed at the end of a diff. */
export function diffSummaryLines(diff: DiffReport, files: { readonly markdown: string; readonly html: string; readonly json: string } | null): string[] {
  const { summary } = diff;
  const lines = [
    `diff: A ${sideLabel(diff.a)} (${diff.a.verdict}) vs B ${sideLabel(diff.b)} (${diff.b.verdict}), seed ${String(diff.a.seed)}`,
    `  ${summary.compared} case exchange(s) aligned, ${summary.differing} differ (${summary.onlyInA} only in A, ${summary.onlyInB} only in B); ${summary.requirementsWithDifferences} requirement(s) with differences, ${summary.requirementStatusChanges} with another status`,
  ];
  for (const r of diff.requirements.filter((x) => x.differing.length > 0 || x.statusA !== x.statusB)) lines.push(`  ${requirementLine(r)}`);
  for (const note of summary.notes) lines.push(`  note: ${note}`);
  lines.push(summary.differing === 0 && summary.requirementStatusChanges === 0 ? 'diff: nothing differs' : 'diff: the runs differ');
  if (files) lines.push(`  diff files: ${files.markdown}, ${files.html}, ${files.json}`);
  return lines;
}

export function renderDiffMarkdown(diff: DiffReport): string {
  const { summary } = diff;
  const lines = [
    `## Conformance diff: ${summary.differing === 0 && summary.requirementStatusChanges === 0 ? 'nothing differs' : `${summary.differing} case(s) differ`}`,
    '',
    '| | A | B |',
    '|---|---|---|',
    `| Target | ${code(diff.a.target.url)} | ${code(diff.b.target.url)} |`,
    `| Microversion | ${code(diff.a.microversion)} | ${code(diff.b.microversion)} |`,
    `| Seed / runs | ${String(diff.a.seed)} / ${String(diff.a.runs)} | ${String(diff.b.seed)} / ${String(diff.b.runs)} |`,
    `| Verdict | ${diff.a.verdict} | ${diff.b.verdict} |`,
    `| Exchanges recorded | ${diff.a.exchanges} | ${diff.b.exchanges} |`,
    `| Report digest | ${code(diff.a.reportDigest)} | ${code(diff.b.reportDigest)} |`,
    '',
    `${summary.compared} case exchanges aligned by test, case path and position; ${summary.differing} differ (${summary.onlyInA} only in A, ${summary.onlyInB} only in B). Compared: status, content type, body fields, error class, headers. ${summary.requirementsWithDifferences} requirement(s) with differences, ${summary.requirementStatusChanges} with another status.`,
    '',
    ...summary.notes.map((n) => `- ${escapeInline(n)}`),
    '',
    '### By requirement',
    '',
    '| ID | Level | A | B | Differing cases | Title |',
    '|---|---|---|---|--:|---|',
    ...diff.requirements.map(
      (r) =>
        `| ${r.id} | ${r.level} | ${statusCell(r.statusA)} | ${statusCell(r.statusB)} | ${r.differing.length} / ${r.compared} | ${escapeInline(r.title)} |`,
    ),
    '',
  ];
  for (const r of diff.requirements.filter((x) => x.differing.length > 0)) {
    lines.push(`#### ${r.id} (${r.level}) ${escapeInline(r.title)}`, '');
    for (const index of r.differing.slice(0, CASES_SHOWN_PER_REQUIREMENT)) {
      const c = diff.cases[index];
      if (c) lines.push(`- ${escapeInline(caseLabel(c))}: ${escapeInline(differenceText(c))}`);
    }
    if (r.differing.length > CASES_SHOWN_PER_REQUIREMENT) lines.push(`- … ${r.differing.length - CASES_SHOWN_PER_REQUIREMENT} more in diff.json`);
    lines.push('');
  }
  lines.push(`Diff digest ${code(diff.digest)}`, '');
  return lines.join('\n');
}

function shapeCell(shape: CaseDifference['a']): string {
  if (shape === null) return '<span class="meta">not sent</span>';
  const body = shape.requestBody === null ? '' : `<pre>${h(shape.requestBody)}</pre>`;
  return `<code>${h(`${shape.method} ${shape.url}`)}</code>${body}<br>→ ${h(shape.transportError ?? `${shape.status} ${shape.contentType ?? ''} ${shape.errorClass ?? ''}`)}`;
}

export function renderDiffHtml(diff: DiffReport): string {
  const { summary } = diff;
  const changed = (r: RequirementDiff): boolean => r.differing.length > 0 || r.statusA !== r.statusB;
  const rows = diff.requirements.map((r) => {
    const listed = r.differing
      .slice(0, CASES_SHOWN_PER_REQUIREMENT)
      .map((i) => diff.cases[i])
      .filter((c): c is CaseDifference => c !== undefined);
    const detail =
      listed.length === 0
        ? ''
        : `<ul class="plain">${listed.map((c) => `<li>${h(caseLabel(c))}: <strong>${h(differenceText(c))}</strong></li>`).join('')}${r.differing.length > listed.length ? `<li class="meta">… ${r.differing.length - listed.length} more in diff.json</li>` : ''}</ul>`;
    return `<tr class="req" id="req-${h(r.id)}" data-level="${h(r.level)}" data-status="${changed(r) ? 'fail' : 'pass'}" data-failed="${changed(r)}">
<td>${h(r.id)}</td><td><span class="level level-${h(r.level)}">${h(r.level)}</span></td><td class="cell">${pill(r.statusA)}</td><td class="cell">${pill(r.statusB)}</td><td class="n">${r.differing.length} / ${r.compared}</td><td class="title">${h(r.title)}${detail}</td></tr>`;
  });
  const caseRows = diff.cases
    .slice(0, CASES_SHOWN)
    .map(
      (c) =>
        `<tr><td>${h(caseLabel(c))}<br><span class="meta">${h(c.requirements.join(', ') || 'not judged')}</span></td><td>${h(differenceText(c))}</td><td>${shapeCell(c.a)}</td><td>${shapeCell(c.b)}</td></tr>`,
    );
  const side = (s: DiffSide): string =>
    `<code>${h(s.target.url)}</code> @ <code>${h(s.microversion)}</code> · seed ${h(String(s.seed))} · ${h(String(s.runs))} runs · ${pill(s.verdict === 'conformant' ? 'pass' : s.verdict === 'nonconformant' ? 'fail' : 'error')} ${h(s.verdict)} · ${s.exchanges} exchanges · report digest <code>${h(s.reportDigest)}</code>`;
  const body = `<header class="page-head">
<div><h1>Conformance diff</h1><p class="subtitle">${h(summary.differing === 0 && summary.requirementStatusChanges === 0 ? 'nothing differs' : `${summary.differing} case(s) differ, ${summary.requirementStatusChanges} requirement(s) with another status`)}</p></div>
</header>
${facts([
  ['A', side(diff.a)],
  ['B', side(diff.b)],
  ['Aligned', h(`${summary.compared} case exchanges by test, case path and position; ${summary.onlyInA} only in A, ${summary.onlyInB} only in B`)],
  ['Compared', h('status, content type, body fields, error class, headers')],
  ...summary.notes.map((n): [string, string] => ['Note', h(n)]),
])}
<h2>By requirement</h2>
<table class="matrix" id="matrix">
<thead><tr><th>ID</th><th>Level</th><th>A</th><th>B</th><th>Differing</th><th>Title and differing cases</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<h2>Differing cases${diff.cases.length > CASES_SHOWN ? ` (first ${CASES_SHOWN} of ${diff.cases.length}; all in diff.json)` : ''}</h2>
<table>
<thead><tr><th>Case</th><th>Difference (A → B)</th><th>A</th><th>B</th></tr></thead>
<tbody>
${caseRows.join('\n')}
</tbody>
</table>
<footer>Diff digest <code>${h(diff.digest)}</code>. This page loads nothing from the network.</footer>`;
  return htmlPage('Conformance diff', body);
}
