/** INT-23: the URI parameters accept Keystone project ids as Keystone issues them. */
import { describe, expect, it } from 'vitest';
import { createAjv, schemas } from '../../specs/index.ts';

describe('URI parameters', () => {
  const validate = createAjv().compile(schemas.uriParameters);
  const server = 'ce531f90-199f-48c0-816c-13e38010b442';

  it('accept a 32-hex project id (Keystone) and a dashed UUID', () => {
    expect(validate({ tenant_id: '6691e3266b6942d2bcbfd9e7f40db06d', server_id: server })).toBe(true);
    expect(validate({ tenant_id: '6691e326-6b69-42d2-bcbf-d9e7f40db06d', server_id: server })).toBe(true);
  });

  it('refuse what is no project id, and a server id that is no UUID', () => {
    expect(validate({ tenant_id: 'admin', server_id: server })).toBe(false);
    expect(validate({ tenant_id: '6691e3266b6942d2bcbfd9e7f40db06', server_id: server })).toBe(false);
    expect(validate({ tenant_id: '6691e3266b6942d2bcbfd9e7f40db06d', server_id: 'not-a-uuid' })).toBe(false);
  });

  it('name the interpretation behind the change', () => {
    expect(schemas.uriParameters.properties?.tenant_id?.['x-interpretation']).toEqual(['INT-23']);
  });
});
