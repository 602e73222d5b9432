/**
 * The typed model of one operation, as the csapi reStructuredText document states it.
 *
 * This is what the parser yields: it records the document's words (types, "Required" marks,
 * duplicated rows) exactly, right or wrong. Correcting them is the job of the interpretations
 * file, never of the parser, so that every correction is visible and reasoned.
 */

/** A 1-based line range in the source document, so errors and the ledger can point at text. */
export interface SourceSpan {
  readonly startLine: number;
  readonly endLine: number;
}

export interface ResponseCodeRow {
  /** The code as written, e.g. 200; rows whose code cell is empty are kept with `code: null`. */
  readonly code: number | null;
  readonly name: string;
  readonly description: string;
  readonly span: SourceSpan;
}

export interface ParameterRow {
  /** Name as written, braces removed for URI parameters ("{server_id}" → "server_id"). */
  readonly name: string;
  /** Type as written without the required mark, e.g. "csapi:UUID", "xsd:string", "xsd:list". */
  readonly type: string;
  /** True when the type cell carries "*(Required)*", false for "*(Optional)*" or no mark. */
  readonly requiredMark: boolean;
  /** Description with the cell's wrapped lines joined and reStructuredText inline markup removed. */
  readonly description: string;
  readonly span: SourceSpan;
}

export type ExampleDirection = 'request' | 'response';

export interface Example {
  /** The bold heading above the code block, e.g. "Example Create Interface: JSON request". */
  readonly heading: string;
  /** The section the example stands in (Request or Response), which may contradict the heading. */
  readonly section: ExampleDirection;
  /** The direction the heading claims ("JSON request" → request), or null if it names none. */
  readonly headingClaims: ExampleDirection | null;
  /** The code block's text, dedented. */
  readonly text: string;
  /** The parsed JSON, or undefined when the block is not JSON. */
  readonly json: unknown;
  readonly span: SourceSpan;
}

export interface OperationModel {
  /** Title line, e.g. "Create Interface -  OpenStack Compute API v2.1". */
  readonly title: string;
  /** Operation name, e.g. "Create Interface". */
  readonly name: string;
  readonly method: string;
  /** Path template as written, e.g. "/v2.1/{tenant_id}/servers/{server_id}/os-interface". */
  readonly path: string;
  /** Free text under the method/path block. */
  readonly summary: string;
  readonly responseCodes: readonly ResponseCodeRow[];
  readonly uriParameters: readonly ParameterRow[];
  readonly requestBodyParameters: readonly ParameterRow[];
  readonly responseBodyParameters: readonly ParameterRow[];
  readonly examples: readonly Example[];
  /** SHA-256 (hex) of the source bytes: the report names the exact document it checked. */
  readonly sourceSha256: string;
  /** File name of the source document. */
  readonly sourceName: string;
}
