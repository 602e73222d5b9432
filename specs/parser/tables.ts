/**
 * The csapi tables: which kinds exist, how the sentence above a table names its kind, and how a
 * generic grid table becomes response-code rows or parameter rows of the model.
 */
import type { ParameterRow, ResponseCodeRow } from '../model.ts';
import { parseGridTable, type GridRow, type GridTable } from './grid-table.ts';
import { stripInlineMarkup } from './inline-markup.ts';
import type { SourceLines } from './source-lines.ts';

export type TableKind = 'responseCodes' | 'uriParameters' | 'requestBodyParameters' | 'responseBodyParameters';
export type Section = 'request' | 'response';

/** "This table shows the <subject> for <this operation | the request | the response>:" */
const TABLE_SENTENCE = /^This table shows the (.+?) for (this operation|the request|the response):$/;

export interface TableIntro {
  readonly kind: TableKind;
  /** The section the sentence says the table belongs to; null for the operation-wide codes table. */
  readonly section: Section | null;
}

export function isTableSentence(line: string): boolean {
  return TABLE_SENTENCE.test(line.trim());
}

/** Which table a "This table shows ..." sentence introduces; refuses subjects the model has no place for. */
export function readTableIntro(lines: SourceLines, index: number): TableIntro {
  const match = TABLE_SENTENCE.exec(lines.at(index).trim());
  const subject = match?.[1] ?? '';
  const owner = match?.[2] ?? '';
  if (subject === 'possible response codes' && owner === 'this operation') {
    return { kind: 'responseCodes', section: null };
  }
  if (subject === 'URI parameters' && owner === 'the request') return { kind: 'uriParameters', section: 'request' };
  if (subject === 'body parameters' && owner === 'the request') return { kind: 'requestBodyParameters', section: 'request' };
  if (subject === 'body parameters' && owner === 'the response') {
    return { kind: 'responseBodyParameters', section: 'response' };
  }
  return lines.fail(index, `unsupported table: the model has no place for "the ${subject} for ${owner}"`);
}

/** The grid table following a sentence: from its top border to the first line that is not part of it. */
export function readGridTableAfter(lines: SourceLines, sentenceIndex: number): { table: GridTable; next: number } {
  const start = lines.skipBlank(sentenceIndex + 1);
  if (!lines.at(start).startsWith('+')) {
    lines.fail(start, `expected a grid table after the sentence on line ${sentenceIndex + 1}, found ${lines.quote(start)}`);
  }
  let end = start;
  while (end < lines.length && /^[+|]/.test(lines.at(end))) end++;
  const table = parseGridTable(lines.lines.slice(start, end), start + 1, lines.sourceName);
  return { table, next: end };
}

const RESPONSE_CODE_HEADER = ['Response Code', 'Name', 'Description'] as const;
const PARAMETER_HEADER = ['Name', 'Type', 'Description'] as const;

export function toResponseCodeRows(lines: SourceLines, table: GridTable): ResponseCodeRow[] {
  checkHeader(lines, table, RESPONSE_CODE_HEADER);
  return table.rows.map((row) => {
    const [code, name, description] = cellTexts(row);
    if (code !== '' && !/^[1-5]\d\d$/.test(code)) {
      lines.fail(row.span.startLine - 1, `response code '${code}' is not an HTTP status code`);
    }
    return {
      code: code === '' ? null : Number(code),
      name: stripInlineMarkup(name),
      description: stripInlineMarkup(description),
      span: row.span,
    };
  });
}

const REQUIRED_MARK = /\s*\*\((Required|Optional)\)\*$/;

export function toParameterRows(lines: SourceLines, table: GridTable, isUriTable: boolean): ParameterRow[] {
  checkHeader(lines, table, PARAMETER_HEADER);
  return table.rows.map((row) => {
    const [rawName, rawType, description] = cellTexts(row);
    let name = stripInlineMarkup(rawName);
    if (isUriTable) name = name.replace(/^\{(.*)\}$/, '$1');
    if (name === '') lines.fail(row.span.startLine - 1, 'parameter row has an empty name cell');
    const mark = REQUIRED_MARK.exec(rawType);
    return {
      name,
      type: stripInlineMarkup(mark === null ? rawType : rawType.slice(0, mark.index)),
      requiredMark: mark?.[1] === 'Required',
      description: stripInlineMarkup(description),
      span: row.span,
    };
  });
}

function checkHeader(lines: SourceLines, table: GridTable, expected: readonly string[]): void {
  if (table.header === null) {
    lines.fail(table.span.startLine - 1, `table has no header row; expected ${expected.join(' | ')}`);
  }
  const found = table.header.cells.map((cell) => cell.text);
  if (found.length !== expected.length || found.some((text, column) => text !== expected[column])) {
    lines.fail(table.header.span.startLine - 1, `table header is '${found.join(' | ')}', expected '${expected.join(' | ')}'`);
  }
}

function cellTexts(row: GridRow): [string, string, string] {
  return [row.cells[0]?.text ?? '', row.cells[1]?.text ?? '', row.cells[2]?.text ?? ''];
}
