import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCsapiDocument } from '../../specs/parser/index.ts';
import { SEED_NAME, seedText } from './support/reference-data.ts';

describe('the model of the Create Interface document', () => {
  const text = seedText();
  const model = parseCsapiDocument(text, SEED_NAME);

  it('names the operation, its method and its path', () => {
    expect(model.title).toBe('Create Interface -  OpenStack Compute API v2.1');
    expect(model.name).toBe('Create Interface');
    expect(model.method).toBe('POST');
    expect(model.path).toBe('/v2.1/{tenant_id}/servers/{server_id}/os-interface');
    expect(model.summary).toBe('Creates a port interface and uses it to attach a port to a server instance.');
    expect(model.sourceName).toBe(SEED_NAME);
    expect(model.sourceSha256).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
  });

  it('keeps all 8 response-code rows, both 400s included, with the empty name and description cells', () => {
    expect(model.responseCodes.map((row) => row.code)).toEqual([200, 503, 400, 401, 403, 405, 415, 400]);
    expect(model.responseCodes.every((row) => row.name === '' && row.description === '')).toBe(true);
    // The doubled rule after 200 (lines 26-27) is not a row: 503 stands on line 28.
    expect(model.responseCodes[0]?.span).toEqual({ startLine: 25, endLine: 25 });
    expect(model.responseCodes[1]?.span).toEqual({ startLine: 28, endLine: 28 });
    expect(model.responseCodes[7]?.span).toEqual({ startLine: 40, endLine: 40 });
  });

  it('reads the URI parameters without braces', () => {
    expect(model.uriParameters).toEqual([
      {
        name: 'tenant_id',
        type: 'csapi:UUID',
        requiredMark: false,
        description: 'The UUID of the tenant in a multi-tenancy cloud.',
        span: { startLine: 52, endLine: 53 },
      },
      { name: 'server_id', type: 'csapi:UUID', requiredMark: false, description: 'The UUID of the server.', span: { startLine: 55, endLine: 55 } },
    ]);
  });

  it('reads the 4 request body parameters as written: all marked Required, types without the mark', () => {
    expect(model.requestBodyParameters.map(({ name, type, requiredMark }) => ({ name, type, requiredMark }))).toEqual([
      { name: 'interfaceAttachment', type: 'xsd:string', requiredMark: true },
      { name: 'port_id', type: 'csapi:UUID', requiredMark: true },
      { name: 'net_id', type: 'csapi:UUID', requiredMark: true },
      { name: 'fixed_ips', type: 'xsd:list', requiredMark: true },
    ]);
  });

  it('joins wrapped descriptions with single spaces and strips inline markup', () => {
    const [wrapper, portId, , fixedIps] = model.requestBodyParameters;
    expect(wrapper?.description).toBe('Specify the interfaceAttachment action in the request body.');
    expect(portId?.description).toBe(
      'The ID of the port for which you want to create an interface. The net_id and port_id parameters are ' +
        'mutually exclusive. If you do not specify the port_id parameter, the OpenStack Networking API v2.0 ' +
        'allocates a port and creates an interface for it on the network.',
    );
    expect(portId?.span).toEqual({ startLine: 72, endLine: 84 });
    // ``Bad Request (400)`` is a literal wrapped over two lines.
    expect(fixedIps?.description).toBe(
      'Fixed IP addresses with subnet IDs. If you request a specific fixed IP address without a net_id, the ' +
        'request returns a Bad Request (400) response code.',
    );
  });

  it('reads the 5 response body parameters', () => {
    expect(model.responseBodyParameters.map(({ name, type, requiredMark, description }) => [name, type, requiredMark, description])).toEqual([
      ['fixed_ips', 'xsd:list', true, 'Fixed IP addresses with subnet IDs.'],
      ['mac_addr', 'xsd:string', true, 'The MAC address.'],
      ['net_id', 'csapi:UUID', true, 'The network ID.'],
      ['port_id', 'csapi:UUID', true, 'The port ID.'],
      ['port_state', 'xsd:string', true, 'The port state.'],
    ]);
  });

  it('reads 2 examples; the second is headed "JSON request" but stands in the Response section', () => {
    expect(model.examples).toHaveLength(2);
    const [request, response] = model.examples;
    expect(request).toMatchObject({
      heading: 'Example Create Interface: JSON request',
      section: 'request',
      headingClaims: 'request',
      json: { interfaceAttachment: { port_id: 'ce531f90-199f-48c0-816c-13e38010b442' } },
      span: { startLine: 113, endLine: 122 },
    });
    expect(request?.text.split('\n')[0]).toBe('{');
    expect(response).toMatchObject({
      heading: 'Example Create Interface: JSON request',
      section: 'response',
      headingClaims: 'request',
      span: { startLine: 151, endLine: 169 },
    });
    expect(response?.json).toEqual({
      interfaceAttachment: {
        fixed_ips: [{ ip_address: '192.168.1.3', subnet_id: 'f8a6e8f8-c2ec-497c-9f23-da9616de54ef' }],
        mac_addr: 'fa:16:3e:4c:2c:30',
        net_id: '3cb9bc59-5699-4588-a4b1-b87f96708bc6',
        port_id: 'ce531f90-199f-48c0-816c-13e38010b442',
        port_state: 'ACTIVE',
      },
    });
  });

  it('reads the same model from CRLF line endings', () => {
    const crlf = parseCsapiDocument(text.replace(/\n/g, '\r\n'), SEED_NAME);
    expect({ ...crlf, sourceSha256: '' }).toEqual({ ...model, sourceSha256: '' });
  });
});
