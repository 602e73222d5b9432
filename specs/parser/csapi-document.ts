/**
 * Parser for the csapi reStructuredText documents that wadl2rst generated from the OpenStack WADLs
 * (the family the Create Interface document belongs to). The layout it reads, in order:
 *
 *   ==== / title / ====                     the title block
 *   Name + ~~~~ underline                   the operation heading
 *   `Request <...>`__ link lines            navigation (skipped)
 *   .. code-block:: + "METHOD /path"        the method block
 *   paragraphs                              the summary
 *   then, in any order: "This table shows the ..." sentences each followed by a grid table,
 *   Request / Response headings (^^^^ underline), and **Example ...** headings each followed by a
 *   .. code:: block.
 *
 * It records what the document says, right or wrong (see specs/model.ts). Anything else is refused
 * with a CsapiParseError naming the line, never skipped: a silently partial model would let a
 * conformance suite test less than the document states without anyone noticing.
 */
import { createHash } from 'node:crypto';
import type { Example, OperationModel, ParameterRow, ResponseCodeRow } from '../model.ts';
import { isExampleHeading, readExample } from './examples.ts';
import { stripInlineMarkup } from './inline-markup.ts';
import { isUnderlined, SourceLines } from './source-lines.ts';
import { isTableSentence, readGridTableAfter, readTableIntro, toParameterRows, toResponseCodeRows, type Section, type TableKind } from './tables.ts';

/** Directives of the later os-api-ref output of the same converter; their parameters live in YAML files. */
const LATER_FORMAT_DIRECTIVE = /^\.\. (rest_method|rest_parameters|rest_expand_all|literalinclude)::/;
const METHOD_LINE = /^\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|COPY)\s+(\/\S*)$/;
const NAVIGATION_LINK = /^`[^`]*<[^>]*>`__$/;
const SECTIONS: Readonly<Record<string, Section>> = { Request: 'request', Response: 'response' };

export function parseCsapiDocument(text: string, sourceName: string): OperationModel {
  const lines = new SourceLines(text, sourceName);
  refuseLaterFormat(lines);

  let index = lines.skipBlank(0);
  const title = readTitle(lines, index);
  index = lines.skipBlank(index + 3);
  const name = readOperationHeading(lines, index);
  index = lines.skipBlank(index + 2);
  while (NAVIGATION_LINK.test(lines.at(index))) index = lines.skipBlank(index + 1);
  const { method, path, next } = readMethodBlock(lines, index);
  const summary = readSummary(lines, next);

  const tablesSeen = new Set<TableKind>();
  let responseCodes: ResponseCodeRow[] = [];
  const parameters: Record<Exclude<TableKind, 'responseCodes'>, ParameterRow[]> = {
    uriParameters: [],
    requestBodyParameters: [],
    responseBodyParameters: [],
  };
  const examples: Example[] = [];
  let section: Section | null = null;
  index = summary.next;

  for (index = lines.skipBlank(index); index < lines.length; index = lines.skipBlank(index)) {
    const line = lines.at(index);
    if (isUnderlined(lines, index, '^')) {
      const heading = line.trim();
      section = SECTIONS[heading] ?? lines.fail(index, `unknown section '${heading}': expected Request or Response`);
      index += 2;
    } else if (isTableSentence(line)) {
      const intro = readTableIntro(lines, index);
      if (intro.section !== null && intro.section !== section) {
        lines.fail(index, `this table belongs to the ${intro.section} but stands in ${section === null ? 'no section' : `the ${section} section`}`);
      }
      if (tablesSeen.has(intro.kind)) lines.fail(index, `a second table of ${describeKind(intro.kind)}`);
      tablesSeen.add(intro.kind);
      const { table, next: after } = readGridTableAfter(lines, index);
      if (intro.kind === 'responseCodes') responseCodes = toResponseCodeRows(lines, table);
      else parameters[intro.kind] = toParameterRows(lines, table, intro.kind === 'uriParameters');
      index = after;
    } else if (isExampleHeading(line)) {
      const { example, next: after } = readExample(lines, index, section);
      examples.push(example);
      index = after;
    } else {
      lines.fail(index, `unexpected text ${lines.quote(index)}: expected a table sentence, a section heading or an example`);
    }
  }

  return {
    title,
    name,
    method,
    path,
    summary: summary.text,
    responseCodes,
    ...parameters,
    examples,
    sourceSha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    sourceName,
  };
}

function refuseLaterFormat(lines: SourceLines): void {
  for (let index = 0; index < lines.length; index++) {
    const directive = LATER_FORMAT_DIRECTIVE.exec(lines.at(index));
    if (directive !== null) {
      lines.fail(
        index,
        `'.. ${directive[1]}::' belongs to the later os-api-ref format, whose parameters live in separate ` +
          'YAML files; this parser reads only the csapi grid-table format',
      );
    }
  }
}

function readTitle(lines: SourceLines, index: number): string {
  const isRule = (at: number): boolean => /^=+$/.test(lines.at(at));
  const title = lines.at(index + 1).trim();
  if (!isRule(index) || title === '' || !isRule(index + 2)) {
    lines.fail(index, `expected the title block ('====' rule, title, '====' rule), found ${lines.quote(index)}`);
  }
  return title;
}

function readOperationHeading(lines: SourceLines, index: number): string {
  if (!isUnderlined(lines, index, '~')) {
    lines.fail(index, `expected the operation name underlined with '~~~~', found ${lines.quote(index)}`);
  }
  return lines.at(index).trim();
}

function readMethodBlock(lines: SourceLines, index: number): { method: string; path: string; next: number } {
  if (!/^\.\. code-block::/.test(lines.at(index))) {
    lines.fail(index, `expected the method block ('.. code-block::' holding 'METHOD /path'), found ${lines.quote(index)}`);
  }
  const methodIndex = lines.skipBlank(index + 1);
  const match = METHOD_LINE.exec(lines.at(methodIndex));
  if (match === null) {
    lines.fail(methodIndex, `expected an indented 'METHOD /path' line in the method block, found ${lines.quote(methodIndex)}`);
  }
  return { method: match[1] ?? '', path: match[2] ?? '', next: methodIndex + 1 };
}

/** Paragraphs up to the first table, heading or example; lines joined with spaces, paragraphs with a blank line. */
function readSummary(lines: SourceLines, index: number): { text: string; next: number } {
  const paragraphs: string[][] = [];
  let current: string[] = [];
  let at = index;
  for (; at < lines.length; at++) {
    const line = lines.at(at);
    if (isTableSentence(line) || isExampleHeading(line) || isUnderlined(lines, at, '^')) break;
    if (line.trim() === '') {
      if (current.length > 0) paragraphs.push(current);
      current = [];
    } else {
      current.push(line.trim());
    }
  }
  if (current.length > 0) paragraphs.push(current);
  return { text: paragraphs.map((paragraph) => stripInlineMarkup(paragraph.join(' '))).join('\n\n'), next: at };
}

function describeKind(kind: TableKind): string {
  const descriptions: Record<TableKind, string> = {
    responseCodes: 'response codes',
    uriParameters: 'URI parameters',
    requestBodyParameters: 'request body parameters',
    responseBodyParameters: 'response body parameters',
  };
  return descriptions[kind];
}
