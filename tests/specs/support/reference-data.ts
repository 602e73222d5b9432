/**
 * Read access to fixtures/reference-data/ and the project's source document, for the specs tests.
 * Everything is read relative to this file: the tests never reach outside the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';

const REFERENCE_DATA = new URL('../../../fixtures/reference-data/', import.meta.url);
const SOURCE_DOCUMENT = new URL('../../../specs/source/POST_create_interface_v2.1_tenant_id_servers_server_id_os-interface.rst', import.meta.url);

export function referenceText(path: string): string {
  return readFileSync(new URL(path, REFERENCE_DATA), 'utf8');
}

export function referenceJson(path: string): unknown {
  return JSON.parse(referenceText(path)) as unknown;
}

/** File names (not paths) in a folder of the reference data, sorted, filtered by extension. */
export function referenceFiles(folder: string, extension: string): string[] {
  return readdirSync(new URL(`${folder}/`, REFERENCE_DATA))
    .filter((name) => name.endsWith(extension))
    .sort();
}

export function seedText(): string {
  return readFileSync(SOURCE_DOCUMENT, 'utf8');
}

export const SEED_NAME = 'POST_create_interface_v2.1_tenant_id_servers_server_id_os-interface.rst';
