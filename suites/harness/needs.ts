/**
 * What a target offers, in the ledger's terms (`needs` of a requirement: a free port, a network, a
 * reader token, …). Global setup writes it into RunInfo, and the reporter uses it so that every
 * requirement ends with a status whatever the target was given: one that nothing exercised
 * because the target lacks what it needs is `not-exercisable`, with what to give the suite.
 */
import { compareMicroversions } from '../../specs/index.ts';
import type { Need } from '../../specs/ledger-types.ts';

/** How to offer each need, for the message of a requirement that lacked it. */
export const NEED_TEXT: Readonly<Record<Need, string>> = {
  port: 'a free port (--port-id)',
  network: 'a network (--net-id)',
  'subnet-ip': 'a free address on the network\'s subnet (--net-id with --network-url)',
  'reader-token': 'a read-only token (--reader-token)',
  'alt-token': 'a second project\'s token (--alt-token)',
  'fault-injection': 'a switch to make the target unavailable (--control-url)',
  'microversion-2.49': 'microversion 2.49 or later',
  'microversion-2.70': 'microversion 2.70 or later',
};

export interface OfferedBy {
  readonly portIds: readonly string[];
  readonly netId: string | null;
  readonly subnet: unknown;
  readonly readerToken: string | null;
  readonly altToken: string | null;
  readonly controlUrl: string | null;
  readonly controlToken: string | null;
  readonly maxMicroversion: string | null;
}

function reaches(max: string | null, version: string): boolean {
  return max !== null && max !== 'latest' && compareMicroversions(max, version) >= 0;
}

export function offeredNeeds(target: OfferedBy): Need[] {
  const offered: Array<[Need, boolean]> = [
    ['port', target.portIds.length > 0],
    ['network', target.netId !== null],
    ['subnet-ip', target.netId !== null && target.subnet !== null && target.subnet !== undefined],
    ['reader-token', target.readerToken !== null],
    ['alt-token', target.altToken !== null],
    ['fault-injection', target.controlUrl !== null && target.controlToken !== null],
    ['microversion-2.49', reaches(target.maxMicroversion, '2.49')],
    ['microversion-2.70', reaches(target.maxMicroversion, '2.70')],
  ];
  return offered.filter(([, yes]) => yes).map(([need]) => need);
}

/** The needs of a requirement the target did not offer. */
export function unmetNeeds(needs: readonly Need[] | undefined, offered: readonly Need[]): Need[] {
  return (needs ?? []).filter((need) => !offered.includes(need));
}
