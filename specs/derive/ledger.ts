/**
 * The requirements ledger as generated data: the document's identity with the hand-written
 * interpretations and requirements. Nothing here decides anything; it only gathers.
 */
import { interpretations } from '../interpretations.ts';
import type { Ledger } from '../ledger-types.ts';
import type { OperationModel } from '../model.ts';
import { requirements } from '../requirements.ts';
import { documentIdentity } from './schemas-file.ts';

export function buildLedger(model: OperationModel): Ledger {
  return { document: documentIdentity(model), interpretations, requirements };
}
