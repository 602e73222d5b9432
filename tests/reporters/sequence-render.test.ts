/**
 * A stateful property's shrunk failing sequence, from what a test records to what the report shows:
 * aggregated into the requirement's message, valid against the report schema, and rendered as
 * numbered steps (each request and answer) with a script of curl lines in Markdown and HTML; the
 * stateful requirements are listed in their own matrix section.
 */
import { describe, expect, test } from 'vitest';
import { buildReportBody, type CollectedTest } from '../../reporters/aggregate.ts';
import { renderReportHtml } from '../../reporters/render-html.ts';
import { renderReportMarkdown } from '../../reporters/render-md.ts';
import { verifyReport } from '../../reporters/verify.ts';
import { sealReport } from '../../reporters/write.ts';
import { ledger } from '../../specs/index.ts';
import type { ExchangeRecord, RequirementOutcome, SequenceRecord } from '../../contract/outcome-types.ts';
import { runInfoFor } from './fixtures/support.ts';

const URL = 'http://127.0.0.1:8774/v2.1/servers/9e2c/os-interface';
const PORT = '2ca34497-ae64-4adf-b12c-3e549d88dc6d';

function exchange(method: string, url: string, status: number, body: string, requestBody?: string): ExchangeRecord {
  return {
    request: { method, url, headers: { 'X-Auth-Token': '$OS_TOKEN' }, ...(requestBody !== undefined ? { body: requestBody } : {}) },
    response: { status, headers: {}, body },
    durationMs: 3,
    curl: `curl -i -X '${method}' '${url}' -H "X-Auth-Token: $OS_TOKEN"`,
  };
}

const attach = exchange('POST', URL, 200, `{"interfaceAttachment":{"port_id":"${PORT}"}}`, `{"interfaceAttachment":{"port_id":"${PORT}"}}`);
const sequence: SequenceRecord = {
  seed: 42,
  path: '2:1:0',
  steps: [
    {
      n: 1,
      title: `attach port ${PORT} 2 times at once (sent in the order #2, #1)`,
      outcome: 'answers 200, 200; CI-100 failed',
      exchanges: [attach, attach, exchange('GET', URL, 200, '{"interfaceAttachments":[]}')],
      together: [0, 1],
    },
  ],
  script: `#!/bin/sh\n# 1. attach\n${attach.curl} &\n${attach.curl} &\nwait`,
};

function reportWith(outcome: RequirementOutcome) {
  const tests: CollectedTest[] = ledger.requirements.map((r) => ({
    file: 'suite/sample.test.ts',
    name: r.id,
    state: 'passed',
    declared: [r.id],
    outcomes: [r.id === outcome.requirement ? outcome : { requirement: r.id, status: 'pass', check: 'x', message: '', evidence: [] }],
    crash: null,
    skipNote: null,
  }));
  return sealReport(
    buildReportBody(
      ledger,
      runInfoFor('sequence'),
      { mode: 'run', testFiles: 1, tests, problems: [], notes: [], durationMs: 10 },
      { name: 'os-interface-conformance', version: '0.1.0' },
    ),
  );
}

describe('a failing sequence in the report', () => {
  const report = reportWith({
    requirement: 'CI-100',
    status: 'fail',
    check: 'concurrent_attach_single_winner',
    message: '2 of 2 attaches answered 200',
    evidence: [attach],
    replay: { seed: 42, path: '2:1:0' },
    sequence,
  });

  test("is carried into the requirement's message, marked as sent together, and valid against the schema", () => {
    const message = report.requirements.find((r) => r.id === 'CI-100')?.messages[0];
    expect(message?.sequence?.steps.map((s) => s.exchanges.map((e) => e.together))).toEqual([[true, true, false]]);
    expect(message?.sequence?.steps[0]?.exchanges[0]).toMatchObject({
      method: 'POST',
      status: 200,
      requestBody: `{"interfaceAttachment":{"port_id":"${PORT}"}}`,
    });
    expect(verifyReport(report).ok).toBe(true);
  });

  test('Markdown and HTML show numbered steps with each request and answer, and the curl script', () => {
    const md = renderReportMarkdown(report);
    expect(md).toContain('Shrunk failing sequence, 1 step (replay: --seed 42, path 2:1:0)');
    expect(md).toContain(`1. attach port ${PORT} 2 times at once`);
    expect(md).toContain(`   > POST ${URL}   (sent together)`);
    expect(md).toContain('   < 200 {"interfaceAttachment"');
    expect(md).toContain(`${attach.curl} &\n${attach.curl} &\nwait`);
    const html = renderReportHtml(report);
    expect(html).toContain('Shrunk failing sequence, 1 step');
    expect(html).toContain('wait');
  });

  test('the stateful requirements have their own matrix section, after the single-request ones', () => {
    const md = renderReportMarkdown(report);
    const heading = md.indexOf('#### Stateful sequences');
    expect(heading).toBeGreaterThan(md.indexOf('| CI-096 |'));
    for (const id of ['CI-100', 'CI-101', 'CI-102', 'CI-103', 'CI-104']) expect(md.indexOf(`| ${id} |`)).toBeGreaterThan(heading);
    expect(renderReportHtml(report)).toContain('<tr class="section"><th colspan="5" scope="rowgroup">Stateful sequences');
  });
});
