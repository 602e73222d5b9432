/**
 * Everything `npm run specs` writes to specs/generated/, computed in memory so the build can write it
 * and a test can compare it with what is checked in.
 */
import { parseCsapiDocument } from '../parser/csapi-document.ts';
import { buildLedger } from './ledger.ts';
import { renderLedgerMarkdown } from './ledger-markdown.ts';
import { buildSchemasFile } from './schemas-file.ts';
import { stableStringify } from './stable-json.ts';

export const SOURCE_DOCUMENT_NAME = 'POST_create_interface_v2.1_tenant_id_servers_server_id_os-interface.rst';
export const SOURCE_DOCUMENT_URL = new URL(`../source/${SOURCE_DOCUMENT_NAME}`, import.meta.url);
export const GENERATED_DIR_URL = new URL('../generated/', import.meta.url);

export interface GeneratedFile {
  /** File name inside specs/generated/. */
  readonly name: string;
  readonly content: string;
}

/** The generated files for one source document; throws CsapiParseError when the document cannot be read. */
export function generateSpecFiles(sourceText: string, sourceName: string): GeneratedFile[] {
  const model = parseCsapiDocument(sourceText, sourceName);
  const ledger = buildLedger(model);
  return [
    { name: 'operation.json', content: stableStringify(model) },
    { name: 'schemas.json', content: stableStringify(buildSchemasFile(model)) },
    { name: 'ledger.json', content: stableStringify(ledger) },
    { name: 'ledger.md', content: renderLedgerMarkdown(ledger) },
  ];
}
