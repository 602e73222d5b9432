import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CsapiParseError, parseGridTable } from '../../specs/parser/index.ts';
import { renderGridTable } from './support/render-grid-table.ts';

/** Runs the reader and returns the error it throws (failing the test if it throws none). */
function gridError(lines: string[], firstLineNumber = 1): CsapiParseError {
  try {
    parseGridTable(lines, firstLineNumber, 'table.rst');
  } catch (error) {
    if (error instanceof CsapiParseError) return error;
    throw error;
  }
  throw new Error('expected a CsapiParseError');
}

describe('parseGridTable', () => {
  const table = [
    '+------+----------+',
    '|Name  |Text      |',
    '+======+==========+',
    '|a     |one two   |',
    '|      |three     |',
    '+------+----------+',
    '+------+----------+',
    '|      |          |',
    '+------+----------+',
  ];

  it('reads the header, joins wrapped cells and keeps empty cells', () => {
    const parsed = parseGridTable(table, 10);
    expect(parsed.columnCount).toBe(2);
    expect(parsed.header?.cells.map((cell) => cell.text)).toEqual(['Name', 'Text']);
    expect(parsed.rows.map((row) => row.cells.map((cell) => cell.text))).toEqual([
      ['a', 'one two three'],
      ['', ''],
    ]);
    expect(parsed.rows[0]?.cells[1]?.lines).toEqual(['one two', 'three']);
  });

  it('skips the empty row between two doubled rules and numbers lines from firstLineNumber', () => {
    const parsed = parseGridTable(table, 10);
    expect(parsed.rows.map((row) => row.span)).toEqual([
      { startLine: 13, endLine: 14 },
      { startLine: 17, endLine: 17 },
    ]);
    expect(parsed.span).toEqual({ startLine: 10, endLine: 18 });
  });

  it('reads a table without a header', () => {
    const parsed = parseGridTable(['+---+', '|x  |', '+---+'], 1);
    expect(parsed.header).toBeNull();
    expect(parsed.rows[0]?.cells[0]?.text).toBe('x');
  });

  it('reads | and + inside a cell as text', () => {
    const parsed = parseGridTable(['+-----+---+', '|a|b+c|d  |', '+-----+---+'], 1);
    expect(parsed.rows[0]?.cells.map((cell) => cell.text)).toEqual(['a|b+c', 'd']);
  });

  it('refuses a table that ends inside a row, naming its last line', () => {
    const error = gridError(table.slice(0, 5), 20);
    expect(error.line).toBe(24);
    expect(error.message).toMatch(/^table\.rst:24: the grid table ends inside a row: the row starting at line 23/);
  });

  it('refuses a misaligned column border, naming the line and the character', () => {
    const error = gridError(['+------+----+', '|Name   |Text|', '+------+----+'], 5);
    expect(error.message).toBe("table.rst:6: misaligned column border: expected '|' at character 8 (where the top border has '+'), found ' '");
  });

  it('refuses a row line shorter or longer than the top border', () => {
    expect(gridError(['+---+---+', '|a  |b', '+---+---+']).message).toMatch(/^table\.rst:2: .*found the end of the line/);
    expect(gridError(['+---+---+', '|a  |b  |c|', '+---+---+']).message).toMatch(/^table\.rst:2: the line runs past/);
  });

  it('refuses a rule whose + is not under a column border', () => {
    expect(gridError(['+---+---+', '|a  |b  |', '+--+----+']).line).toBe(3);
  });

  it('refuses a second header rule, a header rule with no header and a line that is not a table line', () => {
    expect(gridError(['+---+', '|a  |', '+===+', '|b  |', '+===+']).message).toMatch(/^table\.rst:5: .*header rule/);
    expect(gridError(['+---+', '+===+', '|b  |', '+---+']).message).toMatch(/^table\.rst:2: .*no header row/);
    expect(gridError(['+---+', 'text', '+---+']).message).toMatch(/^table\.rst:2: not a grid-table line/);
    expect(gridError(['|a  |']).message).toMatch(/^table\.rst:1: a grid table must start/);
    expect(gridError(['+---+']).message).toMatch(/^table\.rst:1: a grid table needs at least one row/);
  });
});

// ---- round trip -------------------------------------------------------------------------------

/** Characters a cell may hold: letters, digits, punctuation (incl. | + = - that draw tables) and some non-ASCII. */
const CELL_CHARACTERS = [...'abcXYZ019|+=-*`\\_.,:;()[]{}"\'<>/?!@#$%^&~éü—ß'];

function wordsUpTo(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...CELL_CHARACTERS), minLength: 1, maxLength });
}

/** A cell's text as the reader returns it: words separated by single spaces; no words is an empty cell. */
function cellText(width: number): fc.Arbitrary<string> {
  return fc.array(wordsUpTo(width), { maxLength: 12 }).map((words) => words.join(' '));
}

const randomTable = fc
  .array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 5 })
  .chain((widths) =>
    fc.record({
      widths: fc.constant(widths),
      header: fc.option(fc.tuple(...widths.map(cellText)), { nil: null }),
      rows: fc.array(fc.tuple(...widths.map(cellText)), { maxLength: 8 }),
      doubledRulesAfter: fc.array(fc.nat({ max: 8 }), { maxLength: 3 }),
    }),
  )
  // A lone top border is not a table (the reader refuses it, tested above).
  .filter((table) => table.header !== null || table.rows.length > 0);

describe('parseGridTable round trip', () => {
  test.prop([randomTable, fc.integer({ min: 1, max: 500 })])('a rendered table reads back as the same cells', (table, firstLineNumber) => {
    const lines = renderGridTable(table);
    const parsed = parseGridTable(lines, firstLineNumber);
    expect(parsed.columnCount).toBe(table.widths.length);
    expect(parsed.header?.cells.map((cell) => cell.text) ?? null).toEqual(table.header);
    expect(parsed.rows.map((row) => row.cells.map((cell) => cell.text))).toEqual(table.rows);
    expect(parsed.span).toEqual({ startLine: firstLineNumber, endLine: firstLineNumber + lines.length - 1 });
  });
});
