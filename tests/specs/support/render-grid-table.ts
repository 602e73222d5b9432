/**
 * Writes grid tables the way the csapi generator does (content flush against the left border,
 * padded with spaces, long text wrapped at spaces), for round-trip tests of the reader.
 */
export interface TableToRender {
  readonly header: readonly string[] | null;
  readonly rows: readonly (readonly string[])[];
  /** Content width of each column (characters between two borders). */
  readonly widths: readonly number[];
  /** Indexes of rows after which the closing rule is written twice (as the seed does after 200). */
  readonly doubledRulesAfter?: readonly number[];
}

export function renderGridTable(table: TableToRender): string[] {
  const rule = (char: '-' | '=') => `+${table.widths.map((width) => char.repeat(width)).join('+')}+`;
  const lines = [rule('-')];
  if (table.header !== null) lines.push(...renderRow(table.header, table.widths), rule('='));
  table.rows.forEach((row, index) => {
    lines.push(...renderRow(row, table.widths), rule('-'));
    if (table.doubledRulesAfter?.includes(index)) lines.push(rule('-'));
  });
  return lines;
}

function renderRow(cells: readonly string[], widths: readonly number[]): string[] {
  const wrapped = cells.map((cell, column) => wrapWords(cell, widths[column] ?? 1));
  const height = Math.max(1, ...wrapped.map((cellLines) => cellLines.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = wrapped.map((cellLines, column) => (cellLines[line] ?? '').padEnd(widths[column] ?? 1));
    lines.push(`|${parts.join('|')}|`);
  }
  return lines;
}

/** Greedy wrap at spaces; a word longer than the width would not fit, so callers never make one. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ').filter((part) => part !== '')) {
    if (word.length > width) throw new Error(`word '${word}' is wider than the column (${width})`);
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}
