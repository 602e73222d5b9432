/**
 * Rules a conforming request obeys that the request schemas deliberately leave out. Nova enforces
 * them in its controller, after the schema (and after the server lookup), so a request breaking
 * only one of them passes Nova's schema and gets a controller 400. Kept apart so generators can
 * build requests that break exactly one rule, and checks can name it.
 *
 * Each schema applies to the interfaceAttachment object, not to the whole body.
 */
import type { RequirementId } from '../ledger-types.ts';
import type { JsonSchema } from './json-schema.ts';

export interface SchemaRule {
  readonly requirement: RequirementId;
  readonly interpretation: string;
  readonly description: string;
  readonly schema: JsonSchema;
}

export const rules: readonly SchemaRule[] = [
  {
    requirement: 'CI-020',
    interpretation: 'INT-05',
    description: 'net_id and port_id are mutually exclusive',
    // The empty property schemas only declare the names: ajv's strictRequired wants every required
    // name defined next to it; they constrain nothing.
    schema: { type: 'object', not: { properties: { net_id: {}, port_id: {} }, required: ['net_id', 'port_id'] } },
  },
  {
    requirement: 'CI-021',
    interpretation: 'INT-06',
    description: 'fixed_ips requires net_id',
    schema: { type: 'object', dependencies: { fixed_ips: ['net_id'] } },
  },
];
