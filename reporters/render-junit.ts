/**
 * junit.xml: one <testcase> per requirement, for CI systems that only read JUnit.
 *
 *   classname = level (MUST, SHOULD, MAY), name = "CI-xxx title"
 *   fail             → <failure message type="fail"> with messages and evidence as text
 *   error            → <error message type="error">
 *   not-exercisable  → <skipped message>
 *   not-run          → <skipped message="not run: ...">
 *   MAY (any status) → passes, with the observation in <system-out>: MAY is never judged
 * One more <testcase classname="run" name="verdict"> carries the verdict (failure when
 * nonconformant, error when the run could not judge), so a JUnit-only CI sees the decision too.
 * Text is escaped and characters XML 1.0 forbids are replaced by U+FFFD, so the file always parses.
 */
import type { ConformanceReport, MatrixReport, RequirementResult, VerdictValue } from './report-types.ts';
import { escapeMarkup, exchangeText } from './present.ts';

const xml = escapeMarkup;

/** Attribute values additionally keep their line breaks (a parser would fold raw ones into spaces). */
function attr(text: string): string {
  return xml(text).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** What one <testcase> needs; built from a full requirement result or from a matrix cell. */
interface CaseInput {
  readonly id: string;
  readonly level: RequirementResult['level'];
  readonly title: string;
  readonly status: RequirementResult['status'];
  readonly message: string;
  readonly detail: string;
}

interface SuiteInput {
  readonly name: string;
  readonly timeSeconds: number;
  readonly startedAt: string | null;
  readonly properties: readonly (readonly [string, string])[];
  readonly cases: readonly CaseInput[];
  readonly verdict: { readonly value: VerdictValue; readonly reason: string };
}

function detailText(requirement: RequirementResult): string {
  const parts = [`${requirement.id} (${requirement.level}): ${requirement.title}`, `Clause: ${requirement.clause}`, ''];
  for (const m of requirement.messages) {
    const replay = m.replay ? `; replay seed ${m.replay.seed}${m.replay.path ? ` path ${m.replay.path}` : ''}` : '';
    parts.push(`[${m.status}] ${m.text} (${m.test}${m.check ? `; check ${m.check}` : ''}${replay})`);
  }
  for (const [i, e] of requirement.evidence.entries())
    parts.push('', `--- evidence ${i + 1} (${e.status}, ${e.check}) ---`, exchangeText(e), '', `reproduce: ${e.curl}`);
  if (requirement.evidenceOmitted > 0) parts.push('', `(${requirement.evidenceOmitted} more exchanges not kept)`);
  return parts.join('\n');
}

function caseOfRequirement(requirement: RequirementResult): CaseInput {
  return {
    id: requirement.id,
    level: requirement.level,
    title: requirement.title,
    status: requirement.status,
    message: requirement.messages[0]?.text ?? `${requirement.status} (no message recorded)`,
    detail: detailText(requirement),
  };
}

function testcase(c: CaseInput): string {
  const open = `    <testcase classname="${attr(c.level)}" name="${attr(`${c.id} ${c.title}`)}" time="0">`;
  const body = (): string => {
    if (c.level === 'MAY') {
      return c.status === 'not-run' ? '' : `\n      <system-out>${xml(`observation (${c.status}):\n${c.detail}`)}</system-out>`;
    }
    switch (c.status) {
      case 'pass':
        return '';
      case 'fail':
        return `\n      <failure message="${attr(c.message)}" type="fail">${xml(c.detail)}</failure>`;
      case 'error':
        return `\n      <error message="${attr(c.message)}" type="error">${xml(c.detail)}</error>`;
      case 'not-exercisable':
        return `\n      <skipped message="${attr(`not exercisable: ${c.message}`)}"/>`;
      case 'not-run':
        return `\n      <skipped message="${attr('not run: no test recorded an outcome for this requirement')}"/>`;
    }
  };
  const inner = body();
  return inner === '' ? open.replace(/>$/, '/>') : `${open}${inner}\n    </testcase>`;
}

function verdictCase(verdict: SuiteInput['verdict']): string {
  const { value, reason } = verdict;
  const open = `    <testcase classname="run" name="verdict" time="0">`;
  if (value === 'conformant') return `${open}\n      <system-out>${xml(`conformant: ${reason}`)}</system-out>\n    </testcase>`;
  const tag = value === 'nonconformant' ? 'failure' : 'error';
  return `${open}\n      <${tag} message="${attr(`${value}: ${reason}`)}" type="${value}">${xml(reason)}</${tag}>\n    </testcase>`;
}

interface SuiteTotals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function totals(input: SuiteInput): SuiteTotals {
  const judged = input.cases.filter((c) => c.level !== 'MAY');
  return {
    tests: input.cases.length + 1,
    failures: judged.filter((c) => c.status === 'fail').length + (input.verdict.value === 'nonconformant' ? 1 : 0),
    errors: judged.filter((c) => c.status === 'error').length + (input.verdict.value === 'error' ? 1 : 0),
    skipped: judged.filter((c) => c.status === 'not-exercisable' || c.status === 'not-run').length,
  };
}

function testsuite(input: SuiteInput): { xml: string; totals: SuiteTotals } {
  const t = totals(input);
  const lines = [
    `  <testsuite name="${attr(input.name)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${input.timeSeconds.toFixed(3)}"${input.startedAt ? ` timestamp="${attr(input.startedAt)}"` : ''}>`,
    '    <properties>',
    ...input.properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
    ...input.cases.map(testcase),
    verdictCase(input.verdict),
    '  </testsuite>',
  ];
  return { xml: lines.join('\n'), totals: t };
}

function document(name: string, suites: readonly { xml: string; totals: SuiteTotals }[], timeSeconds: number): string {
  const sum = (key: keyof SuiteTotals): number => suites.reduce((n, s) => n + s.totals[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(name)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" skipped="${sum('skipped')}" time="${timeSeconds.toFixed(3)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

type RunFacts = Pick<ConformanceReport, 'target' | 'microversion' | 'seed' | 'runs' | 'document'> & { readonly suiteVersion: string; readonly digest: string };

function runProperties(facts: RunFacts, verdict: SuiteInput['verdict']): [string, string][] {
  return [
    ['verdict', verdict.value],
    ['verdict.reason', verdict.reason],
    ['target', facts.target.url],
    ['target.kind', facts.target.kind],
    ['microversion', facts.microversion],
    ['seed', String(facts.seed ?? 'unknown')],
    ['runs', String(facts.runs ?? 'unknown')],
    ['document', facts.document.name],
    ['document.sha256', facts.document.sha256 ?? 'unknown'],
    ['suite.version', facts.suiteVersion],
    ['report.digest', facts.digest],
  ];
}

export function renderReportJunit(report: ConformanceReport): string {
  const suite = testsuite({
    name: `conformance: ${report.target.url} @ ${report.microversion}`,
    timeSeconds: report.durationMs / 1000,
    startedAt: report.startedAt,
    properties: runProperties({ ...report, suiteVersion: report.suite.version }, report.verdict),
    cases: report.requirements.map(caseOfRequirement),
    verdict: report.verdict,
  });
  return document(report.suite.name, [suite], report.durationMs / 1000);
}

/** One <testsuite> per column. Columns carry no evidence, so a failure holds its first message only. */
export function renderMatrixJunit(matrix: MatrixReport): string {
  const suites = matrix.columns.map((column, index) =>
    testsuite({
      name: `${index + 1}: ${column.label}`,
      timeSeconds: 0,
      startedAt: column.startedAt,
      properties: runProperties({ ...column, digest: column.reportDigest }, column.verdict),
      cases: matrix.rows.flatMap((row): CaseInput[] => {
        const cell = row.cells[index];
        if (cell === undefined || cell.status === 'absent') return [];
        const message = cell.message ?? `${cell.status} (no message recorded)`;
        return [{ id: row.id, level: row.level, title: row.title, status: cell.status, message, detail: message }];
      }),
      verdict: column.verdict,
    }),
  );
  return document(`${matrix.suite.name} matrix`, suites, 0);
}
