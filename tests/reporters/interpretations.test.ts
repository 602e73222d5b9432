/** The report shows every reading of the document it rests on, not only the ids. */
import { describe, expect, it } from 'vitest';
import { ledger } from '../../specs/index.ts';
import { renderReportHtml } from '../../reporters/render-html.ts';
import { renderReportMarkdown } from '../../reporters/render-md.ts';
import { sealReport } from '../../reporters/write.ts';
import { sampleReportBody } from './sample-report.ts';

describe('interpretations in the report', () => {
  const report = sealReport(sampleReportBody());

  it('carries every interpretation the requirements cite, with decision and reason', () => {
    const cited = new Set(ledger.requirements.flatMap((r) => r.interpretations));
    expect(report.interpretations.map((i) => i.id).sort()).toEqual([...cited].sort());
    const int10 = report.interpretations.find((i) => i.id === 'INT-10');
    expect(int10?.decision).toMatch(/400 or 404/);
  });

  it('shows them in Markdown and HTML, linked from the requirements', () => {
    const md = renderReportMarkdown(report);
    const html = renderReportHtml(report);
    for (const i of report.interpretations) {
      expect(md).toContain(`**${i.id}:`);
      expect(html).toContain(`id="${i.id}"`);
    }
    expect(html).toContain('href="#INT-01"');
  });
});
