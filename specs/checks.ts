/**
 * The checks the ledger can name, each with its arguments, and which exchanges a cross-cutting
 * requirement is judged on. A check is declared here (its name and arguments, so that the ledger in
 * requirements.ts is typed) and implemented in suites/checks/registry.ts, whose registry is typed
 * by this union: a check named here and not implemented there, or the other way round, fails tsc.
 */

/** A field of the 200 body (inside interfaceAttachment). */
export type ResponseField = 'fixed_ips' | 'mac_addr' | 'net_id' | 'port_id' | 'port_state';

/** What a create asked for, as the suites record it: a port, a network, an address on it. */
export type AskedKey = 'portId' | 'netId' | 'ip';

/**
 * Which exchanges of a test a cross-cutting requirement is judged on.
 * - exchange: `create` (POST to the collection) or `collection` (any method on the collection URL);
 * - answers: only these statuses, or `errors` (400 and above); absent: every answer;
 * - asked: only creates that asked for this (a port, a network, an address).
 * The requirement's microversion range applies too.
 */
export interface ExchangeFilter {
  readonly exchange: 'create' | 'collection';
  readonly answers?: readonly number[] | 'errors';
  readonly asked?: AskedKey;
}

/**
 * A check of the registry (suites/checks/registry.ts) with its arguments. The names are the
 * registry's keys: a check the ledger names must exist there (the registry is typed by this union),
 * and a check never learns which requirement it judges.
 */
export type CheckCall =
  | { readonly check: 'status_code_conformance' }
  | { readonly check: 'not_a_server_error' }
  | { readonly check: 'documented_status_conformance' }
  | { readonly check: 'response_wrapper_conformance' }
  | { readonly check: 'response_field_conformance'; readonly field: ResponseField }
  /** The answer names what was asked for: `field` equals (or, for fixed_ips, holds) the asked value. */
  | { readonly check: 'echo_conformance'; readonly field: 'port_id' | 'net_id' | 'fixed_ips'; readonly asked: AskedKey }
  /** The answer names a port allocated for the request: not one attached before, on a network of the project. */
  | { readonly check: 'echo_conformance'; readonly allocation: true }
  /** `request` names the request in a failure ("a refused request" by default). */
  | { readonly check: 'nothing_attached'; readonly request?: string }
  | { readonly check: 'attachment_visible' }
  | { readonly check: 'detach_removes' }
  | { readonly check: 'www_authenticate_conformance' }
  | { readonly check: 'retry_after_conformance' }
  | { readonly check: 'allow_header_conformance' }
  | { readonly check: 'content_type_conformance' }
  /** `faultName`: the one name the fault must have for the statuses the requirement is judged on (Nova's Fault._fault_names). */
  | { readonly check: 'fault_body_conformance'; readonly faultName?: string }
  | { readonly check: 'tag_echo_conformance' }
  | { readonly check: 'microversion_header_conformance' }
  | { readonly check: 'concurrent_attach_single_winner' }
  | { readonly check: 'listing_matches_model' }
  | { readonly check: 'detach_removes_only_its_port' }
  | { readonly check: 'nothing_unknown_attached' }
  | { readonly check: 'created_port_deleted' };

export type CheckName = CheckCall['check'];
