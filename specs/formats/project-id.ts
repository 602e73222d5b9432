/**
 * A Keystone project id as the document's {tenant_id} must be (INT-23): 32 hex digits (what
 * Keystone issues), or a UUID with dashes. The derived URI-parameter schema carries this pattern.
 */
export const PROJECT_ID_PATTERN = '^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const PROJECT_ID = new RegExp(PROJECT_ID_PATTERN);

export function isProjectId(value: string): boolean {
  return PROJECT_ID.test(value);
}
