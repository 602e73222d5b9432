/**
 * What a requirement needs from the target (`needs` in the ledger), and how a user offers each:
 * the one table from a need to the option that provides it. A requirement whose needs the target
 * was not given is "not exercisable" with this text, whether the scenario found it out (the suites)
 * or nothing ran it at all (the reporter).
 */
import type { Need } from './ledger-types.ts';

/** How to offer each need, for the message of a requirement that lacked it. */
const NEED_TEXT: Readonly<Record<Need, string>> = {
  port: 'a free port (--port-id)',
  network: 'a network (--net-id)',
  'subnet-ip': "a free address on the network's subnet (--net-id with --network-url)",
  'network-endpoint': 'the network endpoint (--network-url)',
  'reader-token': 'a read-only token (--reader-token)',
  'alt-token': "a second project's token (--alt-token)",
  'fault-injection': 'a switch to make the target unavailable (--control-url)',
  'microversion-2.49': 'microversion 2.49 or later',
  'microversion-2.70': 'microversion 2.70 or later',
};

/** The needs of a requirement the target did not offer. */
export function unmetNeeds(needs: readonly Need[] | undefined, offered: readonly Need[]): Need[] {
  return (needs ?? []).filter((need) => !offered.includes(need));
}

/** Why a requirement is not exercisable on a target that lacks these needs. */
export function lackedNeedsReason(unmet: readonly Need[]): string {
  return `The target was not given ${unmet.map((need) => NEED_TEXT[need]).join(' or ')}, which this requirement needs.`;
}
