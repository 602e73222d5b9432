/**
 * The one error the csapi parser throws. Its message always reads `<source>:<line>: <what is wrong>`
 * (1-based line), so an editor or a terminal can jump straight to the offending text.
 */
export class CsapiParseError extends Error {
  override readonly name = 'CsapiParseError';

  constructor(
    readonly sourceName: string,
    /** 1-based line the problem is on (or, for a missing element, where it was expected). */
    readonly line: number,
    /** The problem alone, without the `<source>:<line>:` prefix. */
    readonly detail: string,
  ) {
    super(`${sourceName}:${line}: ${detail}`);
  }
}
