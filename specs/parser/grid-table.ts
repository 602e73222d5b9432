/**
 * A reader for reStructuredText grid tables, independent of what the table means.
 *
 * It reads the subset the csapi generator writes: every row spans every column (no merged cells),
 * an optional header row closed by a `+===+` rule, and rows closed by `+---+` rules. Two rules in a
 * row (the csapi generator writes one where it dropped a status-less fault) close an empty row, which
 * is skipped rather than reported, since it carries no cell at all.
 *
 * Column positions come from the top border; every later line must put its borders at exactly those
 * positions. Text between borders is cell content, so a `|` or `+` inside a cell is read as text.
 */
import type { SourceSpan } from '../model.ts';
import { CsapiParseError } from './errors.ts';

export interface GridCell {
  /** The cell's lines as written, trailing spaces removed (leading spaces kept). */
  readonly lines: readonly string[];
  /** The lines trimmed and joined with single spaces, blank lines dropped: a wrapped cell's text. */
  readonly text: string;
}

export interface GridRow {
  readonly cells: readonly GridCell[];
  /** The row's content lines (not its borders). */
  readonly span: SourceSpan;
}

export interface GridTable {
  readonly columnCount: number;
  /** The row above the `+===+` rule, or null when the table has no header. */
  readonly header: GridRow | null;
  readonly rows: readonly GridRow[];
  /** From the top border to the last border. */
  readonly span: SourceSpan;
}

const TOP_BORDER = /^\+(?:-+\+)+$/;
const RULE = /^\+(?:[-=]+\+)+$/;

/**
 * Reads the lines of one grid table (from its top border to its last border, nothing else).
 * `firstLineNumber` is the 1-based line of `lines[0]` in the source, used in error messages.
 */
export function parseGridTable(lines: readonly string[], firstLineNumber: number, sourceName = '<grid table>'): GridTable {
  const fail = (index: number, detail: string): never => {
    throw new CsapiParseError(sourceName, firstLineNumber + index, detail);
  };

  const top = (lines[0] ?? '').trimEnd();
  if (!TOP_BORDER.test(top)) {
    fail(0, `a grid table must start with a border line like '+----+----+', found '${top}'`);
  }
  if (lines.length < 2) fail(0, 'a grid table needs at least one row below its top border');
  const borders = borderPositions(top);
  const width = top.length;

  let header: GridRow | null = null;
  const rows: GridRow[] = [];
  let pending: { start: number; lines: string[][] } | null = null;

  const closeRow = (): GridRow | null => {
    if (pending === null) return null;
    const row = toRow(pending.lines, firstLineNumber + pending.start, pending.lines.length);
    pending = null;
    return row;
  };

  for (let index = 1; index < lines.length; index++) {
    const line = (lines[index] ?? '').trimEnd();
    if (line.startsWith('+')) {
      checkRule(line, index);
      const isHeaderRule = line.includes('=');
      const row = closeRow();
      if (isHeaderRule) {
        if (header !== null || rows.length > 0) fail(index, "a '+===+' header rule may only close the first row");
        if (row === null) fail(index, "a '+===+' header rule with no header row above it");
        header = row;
      } else if (row !== null) {
        rows.push(row);
      }
    } else if (line.startsWith('|')) {
      const cells = splitContentLine(line, index);
      if (pending === null) pending = { start: index, lines: [] };
      pending.lines.push(cells);
    } else {
      fail(index, `not a grid-table line: expected '+' or '|' at the start, found '${line}'`);
    }
  }

  // Re-typed on purpose: TypeScript does not see closeRow() resetting `pending` and would narrow it to null.
  const unclosed: { start: number; lines: string[][] } | null = pending;
  if (unclosed !== null) {
    fail(
      lines.length - 1,
      `the grid table ends inside a row: the row starting at line ${firstLineNumber + unclosed.start} ` + "has no closing '+----+' border",
    );
  }

  return {
    columnCount: borders.length - 1,
    header,
    rows,
    span: { startLine: firstLineNumber, endLine: firstLineNumber + lines.length - 1 },
  };

  function checkRule(line: string, index: number): void {
    if (!RULE.test(line) || (line.includes('-') && line.includes('='))) {
      fail(index, `malformed border line '${line}': expected '+' and a run of '-' or '=' per column`);
    }
    checkBorders(line, '+', index);
  }

  function splitContentLine(line: string, index: number): string[] {
    checkBorders(line, '|', index);
    const cells: string[] = [];
    for (let column = 0; column + 1 < borders.length; column++) {
      cells.push(line.slice((borders[column] ?? 0) + 1, borders[column + 1]).trimEnd());
    }
    return cells;
  }

  /** Every border character sits where the top border put one, and the line is as wide as the table. */
  function checkBorders(line: string, border: '+' | '|', index: number): void {
    for (const position of borders) {
      if (line[position] !== border) {
        const found = position < line.length ? `'${line[position]}'` : 'the end of the line';
        fail(index, `misaligned column border: expected '${border}' at character ${position + 1} ` + `(where the top border has '+'), found ${found}`);
      }
    }
    if (line.length > width) {
      fail(index, `the line runs past the table's right border (character ${width}) to character ${line.length}`);
    }
    if (border === '+') {
      const stray = [...line].findIndex((char, position) => char === '+' && !borders.includes(position));
      if (stray >= 0) fail(index, `misaligned column border: '+' at character ${stray + 1} has no column border above it`);
    }
  }
}

function borderPositions(border: string): number[] {
  const positions: number[] = [];
  for (let position = 0; position < border.length; position++) {
    if (border[position] === '+') positions.push(position);
  }
  return positions;
}

function toRow(contentLines: readonly string[][], startLine: number, lineCount: number): GridRow {
  const columnCount = contentLines[0]?.length ?? 0;
  const cells: GridCell[] = [];
  for (let column = 0; column < columnCount; column++) {
    const cellLines = contentLines.map((cells) => cells[column] ?? '');
    cells.push({ lines: cellLines, text: joinWrappedLines(cellLines) });
  }
  return { cells, span: { startLine, endLine: startLine + lineCount - 1 } };
}

/** A cell wrapped over several lines reads as one text: lines trimmed, joined with single spaces. */
export function joinWrappedLines(lines: readonly string[]): string {
  return lines
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}
