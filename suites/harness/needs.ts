/**
 * What a target offers, in the ledger's terms (`needs` of a requirement: a free port, a network, a
 * reader token, …; specs/needs.ts says how each is offered). Scenarios ask it before they run
 * (Scenario.exercisable); global setup writes it into RunInfo, and the reporter uses it so that
 * every requirement ends with a status whatever the target was given.
 */
import { compareMicroversions } from '../../specs/index.ts';
import type { Need } from '../../specs/ledger-types.ts';

export interface OfferedBy {
  readonly portIds: readonly string[];
  readonly netId: string | null;
  readonly subnet: unknown;
  readonly networkUrl: string | null;
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
    ['network-endpoint', target.networkUrl !== null],
    ['reader-token', target.readerToken !== null],
    ['alt-token', target.altToken !== null],
    ['fault-injection', target.controlUrl !== null && target.controlToken !== null],
    ['microversion-2.49', reaches(target.maxMicroversion, '2.49')],
    ['microversion-2.70', reaches(target.maxMicroversion, '2.70')],
  ];
  return offered.filter(([, yes]) => yes).map(([need]) => need);
}
