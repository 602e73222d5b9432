/**
 * conformance.html and matrix.html: the matrix for people, colour per status, filters (failed only,
 * by level), every requirement expandable to its messages and exchanges. Every string from the run
 * goes through h() (HTML escaping): response bodies are written by the target, and the target may
 * be hostile.
 */
import { h, htmlPage } from './html-page.ts';
import {
  STATEFUL_SECTION_TITLE,
  STATUS_GLYPH,
  STATUS_MEANING,
  exchangeCaption,
  formatDuration,
  matrixSections,
  observation,
  sections,
  sequenceCaption,
  sequenceText,
  shownStatus,
  type CellStatus,
  signatureFacts,
} from './present.ts';
import { LEVELS, REQUIREMENT_STATUSES } from './report-types.ts';
import type { ConformanceReport, MatrixReport, ReportCounts, ReportEvidence, RequirementResult, VerdictValue } from './report-types.ts';

export function pill(status: CellStatus): string {
  return `<span class="pill s-${status}" title="${h(STATUS_MEANING[status])}">${STATUS_GLYPH[status]} ${h(status)}</span>`;
}

const VERDICT_STATUS: Readonly<Record<VerdictValue, CellStatus>> = { conformant: 'pass', nonconformant: 'fail', error: 'error' };

export function verdictPill(value: VerdictValue): string {
  return `<span class="pill s-${VERDICT_STATUS[value]}">${STATUS_GLYPH[VERDICT_STATUS[value]]} ${h(value)}</span>`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function verdictBox(verdict: ConformanceReport['verdict']): string {
  const coverage = verdict.coverage ? `<span class="label">${verdict.coverage.judged} of ${verdict.coverage.total} MUSTs judged</span>` : '';
  return `<div class="verdict verdict-${h(verdict.value)}"><span class="label">Verdict</span><strong>${h(verdict.value)}</strong>${coverage}</div>`;
}

export function facts(entries: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${entries.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function countsTable(counts: ReportCounts): string {
  const head = `<tr><th>Level</th>${REQUIREMENT_STATUSES.map((s) => `<th class="n">${pill(s)}</th>`).join('')}<th class="n">total</th></tr>`;
  const rows = [...LEVELS, 'all' as const].map((level) => {
    const c = counts[level];
    const cells = REQUIREMENT_STATUSES.map((s) => `<td class="n${c[s] === 0 ? ' zero' : ''}">${c[s]}</td>`).join('');
    return `<tr><th scope="row">${h(level)}</th>${cells}<td class="n">${c.total}</td></tr>`;
  });
  return `<table class="counts"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function legend(): string {
  return `<div class="legend">${REQUIREMENT_STATUSES.map((s) => `<span>${pill(s)} ${h(STATUS_MEANING[s])}</span>`).join('')}</div>`;
}

function toolbar(withDetails: boolean): string {
  const levels = LEVELS.map((l) => `<label><input type="checkbox" class="level-filter" value="${l}" checked> ${l}</label>`).join('');
  return `<div class="toolbar" role="group" aria-label="Filters">
<label><input type="checkbox" id="failed-only"> Failed only</label>
<fieldset><legend>Level</legend>${levels}</fieldset>
${withDetails ? '<span><button type="button" id="expand-failures">Expand failures</button> <button type="button" id="collapse-all">Collapse all</button></span>\n' : ''}<span class="count" id="shown-count" aria-live="polite"></span>
</div>`;
}

function exchange(evidence: ReportEvidence, index: number): string {
  const headers = (hs: Readonly<Record<string, string>>): string =>
    Object.entries(hs)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
  const request =
    [`${evidence.request.method} ${evidence.request.url}`, headers(evidence.request.headers)].filter((s) => s !== '').join('\n') +
    (evidence.request.body === undefined ? '' : `\n\n${evidence.request.body}`);
  const response = evidence.response
    ? [`${evidence.response.status} (${evidence.durationMs} ms)`, headers(evidence.response.headers)].filter((s) => s !== '').join('\n') +
      (evidence.response.body === '' ? '' : `\n\n${evidence.response.body}`)
    : `no answer after ${evidence.durationMs} ms: ${evidence.transportError ?? 'unknown transport error'}`;
  return `<details class="exchange"${index === 0 && evidence.status === 'fail' ? ' open' : ''}>
<summary>${pill(evidence.status)} ${h(exchangeCaption(evidence))} <span class="meta">(${h(evidence.check)})</span></summary>
<div class="exchange-body">
<h4>Request</h4><pre class="request">${h(request)}</pre>
<h4>Response</h4><pre class="response">${h(response)}</pre>
<h4>Reproduce</h4><pre class="curl">${h(evidence.curl)}</pre>
</div>
</details>`;
}

function requirementDetail(r: RequirementResult): string {
  const messages = r.messages.map((m) => {
    const replay = m.replay ? ` · replay seed <code>${m.replay.seed}</code>${m.replay.path ? ` path <code>${h(m.replay.path)}</code>` : ''}` : '';
    return `<li>${pill(m.status)} ${h(m.text)} <span class="meta">— ${h(m.test)}${m.check ? ` · check ${h(m.check)}` : ''}${replay}</span></li>`;
  });
  if (r.messagesOmitted > 0) messages.push(`<li class="meta">${plural(r.messagesOmitted, 'more message', 'more messages')} in conformance.json</li>`);
  const sequences = r.messages.flatMap(({ sequence }) =>
    sequence
      ? [
          `<details class="sequence" open><summary>${h(sequenceCaption(sequence))}</summary>
<pre class="request">${h(sequenceText(sequence))}</pre>
<h4>Reproduce, step by step</h4><pre class="curl">${h(sequence.script)}</pre>
</details>`,
        ]
      : [],
  );
  const tests = r.tests.map((t) => `<li><code>${h(t.file)}</code> › ${h(t.name)} <span class="meta">(${h(t.state)})</span></li>`);
  const omitted =
    r.evidenceOmitted > 0 ? `<p class="meta">${plural(r.evidenceOmitted, 'more exchange is', 'more exchanges are')} not kept in the report.</p>` : '';
  return `<blockquote>${h(r.clause)}</blockquote>
${r.interpretations.length > 0 ? `<p class="meta">Interpretations: ${r.interpretations.map((id) => `<a href="#${h(id)}">${h(id)}</a>`).join(', ')}</p>` : ''}
${messages.length > 0 ? `<ul class="messages">${messages.join('')}</ul>` : '<p class="meta">No message recorded.</p>'}
${sequences.join('\n')}
${r.evidence.map(exchange).join('\n')}${omitted}
${tests.length > 0 ? `<p class="meta">Tests</p><ul class="plain">${tests.join('')}</ul>` : '<p class="meta">No test declared or judged this requirement.</p>'}`;
}

function matrixRow(r: RequirementResult): string {
  const detailId = `detail-${r.id}`;
  return `<tr class="req" id="req-${h(r.id)}" data-level="${h(r.level)}" data-status="${h(r.status)}" data-failed="${r.status === 'fail' && r.level !== 'MAY'}" data-detail="${h(detailId)}">
<td>${h(r.id)}</td><td><span class="level level-${h(r.level)}">${h(r.level)}</span></td><td>${pill(shownStatus(r))}</td><td class="title">${h(r.title)}</td>
<td><button type="button" class="toggle" aria-expanded="false" aria-controls="${h(detailId)}">Details</button></td>
</tr>
<tr class="detail" id="${h(detailId)}" hidden><td colspan="5">${requirementDetail(r)}</td></tr>`;
}

function listSection(title: string, items: readonly string[]): string {
  return items.length === 0 ? '' : `<h2>${h(title)}</h2><ul class="plain">${items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`;
}

/** The readings of unclear or self-contradictory clauses; requirement rows link here by id. */
function interpretationsSection(interpretations: ConformanceReport['interpretations']): string {
  if (interpretations.length === 0) return '';
  const items = interpretations
    .map(
      (i) =>
        `<details class="interpretation" id="${h(i.id)}"><summary><strong>${h(i.id)}</strong> ${h(i.topic)}</summary><p class="meta">Clause: ${h(i.clause)}</p><p><strong>Decision.</strong> ${h(i.decision)}</p><p><strong>Reason.</strong> ${h(i.reason)}</p></details>`,
    )
    .join('\n');
  return `<h2>Interpretations of the document</h2>\n${items}`;
}

/** After a requirement in a list: what a MAY showed, or the first message. */
function linkNote(r: RequirementResult): string {
  const text = shownStatus(r) === 'observed' ? observation(r) : (r.messages[0]?.text ?? null);
  return text === null ? '' : ` <span class="meta">— ${h(text)}</span>`;
}

export function renderReportHtml(report: ConformanceReport): string {
  const { failures, errors, warnings, observations } = sections(report);
  const { single, stateful } = matrixSections(report.requirements);
  const linkList = (title: string, items: readonly RequirementResult[]): string =>
    items.length === 0
      ? ''
      : `<h2>${h(title)}</h2><ul class="plain">${items.map((r) => `<li>${pill(shownStatus(r))} <a href="#${h(r.id)}">${h(r.id)}</a> ${h(r.title)}${linkNote(r)}</li>`).join('')}</ul>`;
  const body = `<header class="page-head">
<div><h1>Conformance report</h1><p class="subtitle">${h(report.document.name)}</p></div>
${verdictBox(report.verdict)}
</header>
<p class="reason">${h(report.verdict.reason)}</p>
${facts([
  ['Target', `<code>${h(report.target.url)}</code> (${h(report.target.kind)})`],
  ['Microversion', `<code>${h(report.microversion)}</code>`],
  ['Seed', h(String(report.seed ?? 'unknown'))],
  ['Runs', h(String(report.runs ?? 'unknown'))],
  ['Started', `${h(report.startedAt ?? 'unknown')} · ${h(formatDuration(report.durationMs))}${report.source.mode === 'merged' ? ' (merged from shards)' : ''}`],
  ['Tests', h(`${plural(report.source.tests, 'test', 'tests')} in ${plural(report.source.testFiles, 'file', 'files')}`)],
  ['Document sha256', `<code>${h(report.document.sha256 ?? 'unknown')}</code>`],
  ['Suite', h(`${report.suite.name} ${report.suite.version}`)],
  ['Report digest', `<code>${h(report.digest)}</code>`],
  ...signatureFacts(report).map(([label, text]): [string, string] => [label, `<code>${h(text)}</code>`]),
])}
${listSection('Problems with the run', report.verdict.problems)}
<h2>Counts</h2>
${countsTable(report.counts)}
${legend()}
${linkList('Failures (MUST)', failures)}
${linkList('Could not judge (error)', errors)}
${linkList('Warnings (failed SHOULD)', warnings)}
${linkList('Observations (MAY)', observations)}
<h2>Requirements</h2>
${toolbar(true)}
<table class="matrix" id="matrix">
<thead><tr><th>ID</th><th>Level</th><th>Status</th><th>Title</th><th><span class="meta">Evidence</span></th></tr></thead>
<tbody>
${single.map(matrixRow).join('\n')}
${stateful.length > 0 ? `<tr class="section"><th colspan="5" scope="rowgroup">${h(STATEFUL_SECTION_TITLE)}</th></tr>\n` : ''}${stateful.map(matrixRow).join('\n')}
</tbody>
</table>
<p class="empty" id="no-rows" hidden>No requirement matches the filters.</p>
${interpretationsSection(report.interpretations)}
${listSection('Notes for the suite maintainers', report.notes)}
<footer>Written by ${h(report.suite.name)} ${h(report.suite.version)}. Verify with <code>npm run conformance -- verify conformance.json</code>. This page loads nothing from the network.</footer>`;
  return htmlPage(`Conformance ${report.verdict.value}: ${report.target.url} @ ${report.microversion}`, body);
}

export function renderMatrixHtml(matrix: MatrixReport): string {
  const columnHeads = matrix.columns
    .map(
      (c, i) =>
        `<th class="cell column" title="${h(`${c.verdict.value}: ${c.verdict.reason}`)}"><span class="column-label">${i + 1}. ${h(c.label)}</span>${verdictPill(c.verdict.value)}</th>`,
    )
    .join('');
  const rows = matrix.rows.map((row) => {
    // A MAY is observed, never judged: never a failure, and shown as "observed" like in the report.
    const failed = row.level !== 'MAY' && row.cells.some((c) => c.status === 'fail');
    const worst = REQUIREMENT_STATUSES.find((s) => row.cells.some((c) => c.status === s)) ?? 'not-run';
    const cells = row.cells
      .map(
        (c) =>
          `<td class="cell"${c.message ? ` title="${h(c.message)}"` : ''}>${pill(c.status === 'absent' ? 'absent' : shownStatus({ level: row.level, status: c.status }))}</td>`,
      )
      .join('');
    return `<tr class="req" id="req-${h(row.id)}" data-level="${h(row.level)}" data-status="${h(worst)}" data-failed="${failed}">
<td>${h(row.id)}</td><td><span class="level level-${h(row.level)}">${h(row.level)}</span></td><td class="title">${h(row.title)}</td>${cells}</tr>`;
  });
  const columnFacts = matrix.columns.map(
    (c, i) =>
      `<li><strong>${i + 1}.</strong> <code>${h(c.target.url)}</code> (${h(c.target.kind)}) @ <code>${h(c.microversion)}</code> · seed ${h(String(c.seed ?? 'unknown'))} · ${h(String(c.runs ?? 'unknown'))} runs · suite ${h(c.suiteVersion)} · ${verdictPill(c.verdict.value)} ${h(c.verdict.reason)} <span class="meta">report digest <code>${h(c.reportDigest)}</code></span></li>`,
  );
  const body = `<header class="page-head">
<div><h1>Conformance matrix</h1><p class="subtitle">${matrix.columns.length} reports side by side</p></div>
</header>
<h2>Columns</h2>
<ul class="plain columns">${columnFacts.join('')}</ul>
${legend()}
<h2>Requirements</h2>
${toolbar(false)}
<table class="matrix" id="matrix">
<thead><tr><th>ID</th><th>Level</th><th>Title</th>${columnHeads}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="empty" id="no-rows" hidden>No requirement matches the filters.</p>
<footer>Matrix digest <code>${h(matrix.digest)}</code>. This page loads nothing from the network.</footer>`;
  return htmlPage('Conformance matrix', body);
}
