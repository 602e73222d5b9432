/**
 * The parser on the seed's siblings from the same generator: other methods, a missing request or
 * response table, a table-less response, examples in both sections, a response-code table without a
 * success row. Values are asserted per file, as read from the text.
 */
import { describe, expect, it } from 'vitest';
import { CsapiParseError, parseCsapiDocument } from '../../specs/parser/index.ts';
import type { OperationModel } from '../../specs/model.ts';
import { referenceFiles, referenceText, seedText } from './support/reference-data.ts';

interface Expected {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly codes: readonly (number | null)[];
  readonly uri: readonly string[];
  readonly request: readonly string[];
  readonly response: readonly string[];
  /** section/claimed direction of each example, in order. */
  readonly examples: readonly string[];
  /** The first top-level key of each example's JSON. */
  readonly exampleKeys: readonly string[];
}

const BASE = '/v2.1/{tenant_id}/servers/{server_id}';
const PORT_FIELDS = ['port_state', 'fixed_ips', 'mac_addr', 'net_id', 'port_id'];

const EXPECTED: Readonly<Record<string, Expected>> = {
  'DELETE_detach_interface_v2.1_tenant_id_servers_server_id_os-interface_port_id_.rst': {
    name: 'Detach Interface',
    method: 'DELETE',
    path: `${BASE}/os-interface/{port_id}`,
    codes: [202, 503, 400, 401, 403, 405, 415, 400],
    uri: ['tenant_id', 'server_id', 'port_id'],
    request: [],
    response: [],
    examples: [],
    exampleKeys: [],
  },
  'GET_list_port_interfaces_v2.1_tenant_id_servers_server_id_os-interface.rst': {
    name: 'List Port Interfaces',
    method: 'GET',
    path: `${BASE}/os-interface`,
    codes: [200, 503, 400, 401, 403, 405, 404],
    uri: ['tenant_id', 'server_id'],
    request: [],
    response: PORT_FIELDS,
    examples: ['response/request'],
    exampleKeys: ['interfaceAttachments'],
  },
  'GET_list_virtual_interfaces_v2.1_tenant_id_servers_server_id_os-virtual-interfaces.rst': {
    name: 'List Virtual Interfaces',
    method: 'GET',
    path: `${BASE}/os-virtual-interfaces`,
    codes: [200],
    uri: ['tenant_id', 'server_id'],
    request: [],
    response: ['virtual_interfaces', 'id', 'mac_address'],
    examples: ['response/request'],
    exampleKeys: ['virtual_interfaces'],
  },
  'GET_show_port_interface_details_v2.1_tenant_id_servers_server_id_os-interface_port_id_.rst': {
    name: 'Show Port Interface Details',
    method: 'GET',
    path: `${BASE}/os-interface/{port_id}`,
    codes: [200, 503, 400, 401, 403, 405, 404],
    uri: ['tenant_id', 'server_id', 'port_id'],
    request: [],
    response: [],
    examples: ['response/request'],
    exampleKeys: ['interfaceAttachment'],
  },
  'POST_add_interface_to_bare_metal_node_v2.1_tenant_id_servers_server_id_os-baremetal-nodes_action.rst': {
    name: 'Add Interface To Bare Metal Node',
    method: 'POST',
    path: `${BASE}/os-baremetal-nodes/action`,
    codes: [202, 503, 400, 401, 403, 405, 404, 415, 400, 409],
    uri: ['tenant_id', 'server_id'],
    request: [],
    response: [],
    examples: ['request/request', 'response/request'],
    exampleKeys: ['add_interface', 'interface'],
  },
  'POST_create_interface_v2.1_tenant_id_servers_server_id_os-interface.rst': {
    name: 'Create Interface',
    method: 'POST',
    path: `${BASE}/os-interface`,
    codes: [200, 503, 400, 401, 403, 405, 415, 400],
    uri: ['tenant_id', 'server_id'],
    request: ['interfaceAttachment', 'port_id', 'net_id', 'fixed_ips'],
    response: ['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state'],
    examples: ['request/request', 'response/request'],
    exampleKeys: ['interfaceAttachment', 'interfaceAttachment'],
  },
  // Its code table has no success row: the header rule is followed directly by a second rule.
  'POST_delete_interface_from_bare_metal_node_v2.1_tenant_id_servers_server_id_os-baremetal-nodes_action.rst': {
    name: 'Delete Interface From Bare Metal Node',
    method: 'POST',
    path: `${BASE}/os-baremetal-nodes/action`,
    codes: [503, 400, 401, 403, 405, 404, 415, 400, 409],
    uri: ['tenant_id', 'server_id'],
    request: [],
    response: [],
    examples: ['request/request'],
    exampleKeys: ['remove_interface'],
  },
};

function summarise(model: OperationModel): Expected {
  return {
    name: model.name,
    method: model.method,
    path: model.path,
    codes: model.responseCodes.map((row) => row.code),
    uri: model.uriParameters.map((row) => row.name),
    request: model.requestBodyParameters.map((row) => row.name),
    response: model.responseBodyParameters.map((row) => row.name),
    examples: model.examples.map((example) => `${example.section}/${example.headingClaims ?? 'none'}`),
    exampleKeys: model.examples.map((example) => Object.keys(example.json as object)[0] ?? ''),
  };
}

describe('sibling csapi documents', () => {
  const files = referenceFiles('csapi-docs', '.rst');

  it('are all covered by this test', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s parses into the model its text states', (file) => {
    const model = parseCsapiDocument(referenceText(`csapi-docs/${file}`), file);
    expect(summarise(model)).toEqual(EXPECTED[file]);
    expect(model.title).toBe(`${EXPECTED[file]?.name} -  OpenStack Compute API v2.1`);
    expect(model.uriParameters.every((row) => row.type === 'csapi:UUID' && !row.requiredMark)).toBe(true);
  });

  it('the create sibling is the project source document, byte for byte', () => {
    expect(referenceText('csapi-docs/POST_create_interface_v2.1_tenant_id_servers_server_id_os-interface.rst')).toBe(seedText());
  });

  it('reads the multi-paragraph summary and the literal-marked descriptions of List Virtual Interfaces', () => {
    const file = 'GET_list_virtual_interfaces_v2.1_tenant_id_servers_server_id_os-virtual-interfaces.rst';
    const model = parseCsapiDocument(referenceText(`csapi-docs/${file}`), file);
    expect(model.summary.split('\n\n')).toEqual([
      'Lists the virtual interfaces for an instance.',
      'Policy defaults enable only users with the administrative role or the owner of the server to perform this ' +
        'operation. Change these permissions through the policy.json file.',
      'The API v2 returns the network ID in the OS-EXT-VIF-NET:net_id response attribute.',
      'The API v2.1 base version does not return the network ID.',
      'The API v2.12 microversion returns the network ID in the net_id response attribute.',
    ]);
    expect(model.responseBodyParameters.map((row) => [row.type, row.requiredMark, row.description])).toEqual([
      ['xsd:string', true, 'A virtual_interfaces object.'],
      ['csapi:UUID', true, 'The UUID of the virtual interface.'],
      ['xsd:string', true, 'The MAC address.'],
    ]);
  });

  it('reads JSON with null values in the bare-metal response example', () => {
    const file = 'POST_add_interface_to_bare_metal_node_v2.1_tenant_id_servers_server_id_os-baremetal-nodes_action.rst';
    const model = parseCsapiDocument(referenceText(`csapi-docs/${file}`), file);
    expect(model.examples[1]?.json).toEqual({
      interface: { address: 'aa:aa:aa:aa:aa:aa', datapath_id: null, id: 1, port_no: null },
    });
  });
});

describe('later-format documents (rest_method / rest_parameters)', () => {
  const files = referenceFiles('csapi-docs/later-format', '.rst');

  it('are all four present', () => {
    expect(files).toHaveLength(4);
  });

  it.each(files)('%s is refused with an error naming the rest_method line', (file) => {
    const parse = () => parseCsapiDocument(referenceText(`csapi-docs/later-format/${file}`), file);
    expect(parse).toThrow(CsapiParseError);
    expect(parse).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}:5: '\\.\\. rest_method::' belongs to the later os-api-ref format`));
  });
});
