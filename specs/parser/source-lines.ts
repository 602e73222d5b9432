/**
 * The document as numbered lines, with the few line-level questions the csapi parser asks.
 * Indexes are 0-based internally; everything that leaves this module (errors, spans) is 1-based.
 */
import { CsapiParseError } from './errors.ts';

export class SourceLines {
  readonly lines: readonly string[];

  constructor(
    text: string,
    readonly sourceName: string,
  ) {
    // Trailing spaces carry no meaning in this format (the generator pads some lines with them).
    this.lines = text.split(/\r?\n/).map((line) => line.trimEnd());
  }

  get length(): number {
    return this.lines.length;
  }

  at(index: number): string {
    return this.lines[index] ?? '';
  }

  /** 1-based line number of an index; an index past the end names the last line. */
  lineNumber(index: number): number {
    return Math.min(index, Math.max(this.lines.length - 1, 0)) + 1;
  }

  isBlank(index: number): boolean {
    return this.at(index).trim() === '';
  }

  /** The first index at or after `index` holding a non-blank line, or `length` if there is none. */
  skipBlank(index: number): number {
    let next = index;
    while (next < this.lines.length && this.isBlank(next)) next++;
    return next;
  }

  fail(index: number, detail: string): never {
    throw new CsapiParseError(this.sourceName, this.lineNumber(index), detail);
  }

  /** The line shortened for an error message. */
  quote(index: number): string {
    if (index >= this.lines.length) return 'the end of the document';
    const line = this.at(index).trim();
    return `'${line.length > 60 ? `${line.slice(0, 57)}...` : line}'`;
  }
}

/** An RST section heading: a text line underlined by a run of one punctuation character. */
export function isUnderlined(lines: SourceLines, index: number, underline: string): boolean {
  const text = lines.at(index).trim();
  const rule = lines.at(index + 1);
  return text !== '' && rule.length >= 2 && [...rule].every((char) => char === underline);
}
