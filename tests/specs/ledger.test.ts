/**
 * Integrity of the requirements ledger: ids, cross references, levels, and that every row of the
 * document's response-code table is covered by a requirement expecting that code.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import { describe, expect, it } from 'vitest';
import { interpretations } from '../../specs/interpretations.ts';
import { ledger, operation, requirementById, schemas } from '../../specs/index.ts';
import { requirements } from '../../specs/requirements.ts';

describe('ledger integrity', () => {
  it('ledger.json is the hand-written interpretations and requirements, with the document identity', () => {
    expect(ledger.interpretations).toEqual(interpretations);
    expect(ledger.requirements).toEqual(requirements);
    expect(ledger.document).toEqual(schemas.document);
  });

  it('ids are well formed and unique', () => {
    const interpretationIds = interpretations.map((interpretation) => interpretation.id);
    const requirementIds = requirements.map((requirement) => requirement.id);
    for (const id of interpretationIds) expect(id).toMatch(/^INT-\d{2}$/);
    for (const id of requirementIds) expect(id).toMatch(/^CI-\d{3}$/);
    expect(new Set(interpretationIds).size).toBe(interpretationIds.length);
    expect(new Set(requirementIds).size).toBe(requirementIds.length);
  });

  it('every level is MUST, SHOULD or MAY', () => {
    for (const requirement of requirements) expect(['MUST', 'SHOULD', 'MAY'], requirement.id).toContain(requirement.level);
  });

  it("every requirement's interpretations exist", () => {
    const known = new Set(interpretations.map((interpretation) => interpretation.id));
    for (const requirement of requirements) {
      expect(requirement.interpretations.length, requirement.id).toBeGreaterThan(0);
      for (const id of requirement.interpretations) expect(known.has(id), `${requirement.id} cites ${id}`).toBe(true);
    }
  });

  it('every interpretation is referenced by at least one requirement', () => {
    const cited = new Set(requirements.flatMap((requirement) => requirement.interpretations));
    for (const interpretation of interpretations) expect(cited.has(interpretation.id), interpretation.id).toBe(true);
  });

  it('every interpretation quotes a clause, decides, reasons and names a source', () => {
    for (const interpretation of interpretations) {
      for (const text of [interpretation.topic, interpretation.clause, interpretation.decision, interpretation.reason]) {
        expect(text.trim(), interpretation.id).not.toBe('');
      }
      expect(interpretation.sources.length, interpretation.id).toBeGreaterThan(0);
    }
  });

  it('every row of the response-code table (rows 1 to 8, both 400s) is covered by a requirement expecting its code', () => {
    const rows = schemas.documentedResponseCodeRows;
    expect(rows.map((row) => row.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const { row, code } of rows) {
      const covering = requirements.filter(
        (requirement) => requirement.documentedCodeRows?.includes(row) === true && code !== null && requirement.expect.statuses.includes(code),
      );
      expect(covering.length, `row ${row} (${String(code)})`).toBeGreaterThan(0);
    }
  });

  it('documentedCodeRows only name rows the table has', () => {
    for (const requirement of requirements) {
      for (const row of requirement.documentedCodeRows ?? []) {
        expect(row, requirement.id).toBeGreaterThanOrEqual(1);
        expect(row, requirement.id).toBeLessThanOrEqual(operation.responseCodes.length);
      }
    }
  });

  it('requirementById finds every requirement and throws on an unknown id', () => {
    for (const requirement of requirements) expect(requirementById(requirement.id)).toEqual(requirement);
    expect(() => requirementById('CI-999' as RequirementId)).toThrow('no requirement CI-999 in the ledger');
  });
});
