/**
 * Types of the requirements ledger and of the interpretations it rests on.
 *
 * Levels follow one rule (see README "How levels are chosen"):
 * - MUST: what the document states, read through the interpretations. Where the document and real
 *   Nova disagree, the MUST accepts both answers, so neither a literal reader nor Nova fails it.
 * - SHOULD: the preferred answer where the two disagree, and Nova behaviour the document does not
 *   state. A failed SHOULD is a warning; it never changes the verdict.
 * - MAY: behaviour the suite observes and reports but never judges (either answer is fine).
 */

export type Level = 'MUST' | 'SHOULD' | 'MAY';

/** Where a fact comes from: the document itself, or a named public source about real Nova. */
export interface SourceRef {
  readonly kind: 'document' | 'nova' | 'tempest' | 'wadl' | 'sibling-document' | 'http';
  /** e.g. "seed lines 100-112", "openstack/nova nova/api/openstack/compute/schemas/attach_interfaces.py". */
  readonly where: string;
}

import type { CheckCall, ExchangeFilter } from './checks.ts';
import type { InterpretationId } from './interpretations.ts';
import type { RequirementId } from './requirements.ts';

export type { InterpretationId } from './interpretations.ts';
export type { RequirementId } from './requirements.ts';

/** An interpretation as written in specs/interpretations.ts; its id becomes a literal type there. */
export interface InterpretationDefinition {
  /** Stable id, "INT-" and two digits. Never renumbered; retired ones stay with `retired: true`. */
  readonly id: string;
  readonly topic: string;
  /** The document's words this interpretation reads, quoted exactly. */
  readonly clause: string;
  /** What the suite takes the clause to mean. */
  readonly decision: string;
  /** Why, with the facts that decide it. */
  readonly reason: string;
  readonly sources: readonly SourceRef[];
}

export interface Interpretation extends InterpretationDefinition {
  readonly id: InterpretationId;
}

/** The part of the ledger the suites act on: which answers satisfy the requirement. */
export interface Expectation {
  /**
   * HTTP status codes that satisfy the requirement; empty when the status is not what is judged.
   * Only ever "what satisfies": which answers a requirement applies to is `judgedOnEvery.answers`.
   */
  readonly statuses: readonly number[];
  /** Further observations that must hold, in words (the check named by `checks` verifies them). */
  readonly observe: readonly string[];
}

/**
 * A requirement as written in specs/requirements.ts. Its id becomes a literal type there
 * (`RequirementId`), so a typo in an id anywhere in the project fails the type check.
 */
export interface RequirementDefinition {
  /** Stable id, "CI-" and three digits. Never renumbered. */
  readonly id: string;
  readonly level: Level;
  /** One line a person reads in the matrix. */
  readonly title: string;
  /** The quoted clause of the document, or of the interpretation, the requirement comes from. */
  readonly clause: string;
  /** Interpretation ids that shape this requirement. */
  readonly interpretations: readonly InterpretationId[];
  /** What the suite does to exercise it. */
  readonly scenario: string;
  readonly expect: Expectation;
  /** The checks (suites/checks registry) that decide it, each with its arguments. */
  readonly checks: readonly CheckCall[];
  /**
   * Set on a cross-cutting requirement: besides any scenario of its own, it is judged on every
   * exchange of every test that matches (the cross-cutting pass loops over the ledger for them).
   */
  readonly judgedOnEvery?: ExchangeFilter;
  /** Microversion range in which the requirement applies ("2.49" means 2.49 and later). */
  readonly microversion?: { readonly min?: string; readonly max?: string };
  /** What the target must offer for the requirement to be exercisable (e.g. a reader token). */
  readonly needs?: readonly Need[];
  /** The documented response-code rows (1-based order in the document's table) it covers. */
  readonly documentedCodeRows?: readonly number[];
  /** The matrix section it is listed in when not the single-request one: generated sequences of attaches and detaches. */
  readonly section?: 'stateful';
}

export interface Requirement extends RequirementDefinition {
  readonly id: RequirementId;
}

/** Capabilities a target may lack; a requirement needing one it lacks is "not-exercisable". */
export type Need =
  | 'port' // a free port to attach
  | 'network' // a network id to attach to
  | 'subnet-ip' // a free address on that network's subnet (needs the network endpoint)
  | 'network-endpoint' // the network (Neutron) endpoint, to read the project's networks
  | 'reader-token' // a token with a read-only role in the project
  | 'alt-token' // a token of another project
  | 'fault-injection' // the target can be asked to answer 503 (the embedded fake cloud)
  | 'microversion-2.49'
  | 'microversion-2.70';

export interface Ledger {
  readonly document: { readonly name: string; readonly sha256: string; readonly title: string };
  readonly interpretations: readonly Interpretation[];
  readonly requirements: readonly Requirement[];
}

export type { AskedKey, CheckCall, CheckName, ExchangeFilter, ResponseField } from './checks.ts';
