/** The csapi reStructuredText parser: document → OperationModel, plus the generic grid-table reader. */
export { parseCsapiDocument } from './csapi-document.ts';
export { CsapiParseError } from './errors.ts';
export { parseGridTable, joinWrappedLines, type GridCell, type GridRow, type GridTable } from './grid-table.ts';
export { stripInlineMarkup } from './inline-markup.ts';
