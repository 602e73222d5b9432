/**
 * Writes a whole csapi document in the generator's layout from plain values, so property tests can
 * check that parsing gives the values back. Text is escaped for RST where it holds markup characters.
 */
import { renderGridTable } from './render-grid-table.ts';

export interface ParameterToRender {
  readonly name: string;
  readonly type: string;
  readonly mark: 'Required' | 'Optional' | null;
  /** Already RST (escaped or marked up) text. */
  readonly descriptionRst: string;
}

export interface ExampleToRender {
  readonly heading: string;
  readonly section: 'request' | 'response';
  readonly json: unknown;
}

export interface DocumentToRender {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly summary: readonly string[];
  readonly codes: readonly (number | null)[];
  readonly uriParameters: readonly ParameterToRender[] | null;
  readonly requestParameters: readonly ParameterToRender[] | null;
  readonly responseParameters: readonly ParameterToRender[] | null;
  readonly examples: readonly ExampleToRender[];
  /** Content widths of the three columns. */
  readonly widths: readonly [number, number, number];
}

/** Backslash-escapes every character that could start or end RST inline markup. */
export function escapeRst(text: string): string {
  return text.replace(/[\\`*_|]/g, '\\$&');
}

export function renderCsapiDocument(document: DocumentToRender): string {
  const rule = '='.repeat(77);
  const lines = [rule, `${document.name} -  OpenStack Compute API v2.1`, rule, '', document.name, '~'.repeat(25), ''];
  lines.push('`Request <doc.rst#request>`__', '`Response <doc.rst#response>`__', '');
  lines.push('.. code-block:: javascript', '', `    ${document.method} ${document.path}`, '');
  for (const paragraph of document.summary) lines.push(paragraph, '');
  lines.push('', 'This table shows the possible response codes for this operation:', '', '');
  lines.push(
    ...renderGridTable({
      header: ['Response Code', 'Name', 'Description'],
      rows: document.codes.map((code) => [code === null ? '' : String(code), '', '']),
      widths: document.widths,
    }),
  );

  lines.push('', '', 'Request', '^'.repeat(17), '');
  table(lines, 'This table shows the URI parameters for the request:', document.uriParameters, document.widths, true);
  table(lines, 'This table shows the body parameters for the request:', document.requestParameters, document.widths, false);
  examples(lines, document.examples, 'request');
  lines.push('', 'Response', '^'.repeat(18), '');
  table(lines, 'This table shows the body parameters for the response:', document.responseParameters, document.widths, false);
  examples(lines, document.examples, 'response');
  return `${lines.join('\n')}\n`;
}

function table(lines: string[], sentence: string, parameters: readonly ParameterToRender[] | null, widths: readonly number[], braces: boolean): void {
  if (parameters === null) return;
  lines.push(sentence, '');
  lines.push(
    ...renderGridTable({
      header: ['Name', 'Type', 'Description'],
      rows: parameters.map((parameter) => [
        braces ? `{${parameter.name}}` : parameter.name,
        parameter.mark === null ? parameter.type : `${parameter.type} *(${parameter.mark})*`,
        parameter.descriptionRst,
      ]),
      widths,
    }),
  );
  lines.push('', '', '');
}

function examples(lines: string[], all: readonly ExampleToRender[], section: 'request' | 'response'): void {
  for (const example of all.filter((candidate) => candidate.section === section)) {
    lines.push(`**${example.heading}**`, '', '', '.. code::', '');
    lines.push(
      ...JSON.stringify(example.json, null, 4)
        .split('\n')
        .map((line) => `    ${line}`),
      '    ',
      '',
    );
  }
}
