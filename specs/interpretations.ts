/**
 * Interpretations: every place where the Create Interface document is unclear, contradicts itself,
 * or contradicts real Nova, with the reading this suite takes and why.
 *
 * This file is written and reviewed by people. The parser never writes it; `npm run specs` only
 * copies it into specs/generated/ledger.json next to the requirements that cite it.
 * Facts about Nova come from ../shared/reference/nova-os-interface.md (section numbers below).
 */
import type { InterpretationDefinition, Interpretation } from './ledger-types.ts';

const NOVA_SCHEMA = 'openstack/nova nova/api/openstack/compute/schemas/attach_interfaces.py';
const NOVA_CONTROLLER = 'openstack/nova nova/api/openstack/compute/attach_interfaces.py';
const NOVA_WSGI = 'openstack/nova nova/api/openstack/wsgi.py';

const definitions = [
  {
    id: 'INT-01',
    topic: 'The "(Required)" marks on port_id, net_id and fixed_ips',
    clause:
      'port_id csapi:UUID *(Required)* ... net_id csapi:UUID *(Required)* ... fixed_ips xsd:list *(Required)* ... ' +
      'The ``net_id`` and ``port_id`` parameters are mutually exclusive.',
    decision:
      'port_id, net_id and fixed_ips are all optional. A request carries at most one of port_id and net_id; ' +
      'fixed_ips only with net_id. No requirement expects a 400 for leaving any of the three out.',
    reason:
      'Read literally, the marks forbid every request: port_id and net_id cannot both be required and mutually ' +
      'exclusive. The marks come from a converter bug: the source WADL says required="false", and wadl2rst ' +
      'renders any present required attribute as "Required" because the string "false" is truthy. The ' +
      "descriptions themselves describe leaving port_id or net_id out. Nova's schema requires none of them.",
    sources: [
      { kind: 'wadl', where: 'openstack/api-site api-ref/src/wadls/compute-api/src/v2.1/wadl/os-interface-v2.1.wadl' },
      { kind: 'wadl', where: 'annegentle/wadl2rst wadl2rst/nodes/parameter.py (necessity string treated as boolean)' },
      { kind: 'nova', where: NOVA_SCHEMA },
    ],
  },
  {
    id: 'INT-02',
    topic: 'interfaceAttachment typed xsd:string',
    clause: 'interfaceAttachment xsd:string *(Required)* Specify the ``interfaceAttachment`` action in the request body.',
    decision:
      'interfaceAttachment is a JSON object holding the other body parameters. A string, number, array or null ' + 'in its place is a bad request (400).',
    reason:
      "The document's own request example nests port_id inside an object named interfaceAttachment, and so do " +
      "Nova's API samples and schema (type object, additionalProperties false). A string could carry none of " +
      'the parameters the same table lists, so the type cell cannot be right.',
    sources: [
      { kind: 'document', where: 'request example "Example Create Interface: JSON request"' },
      { kind: 'nova', where: NOVA_SCHEMA },
    ],
  },
  {
    id: 'INT-03',
    topic: 'Whether interfaceAttachment itself may be left out',
    clause: 'interfaceAttachment xsd:string *(Required)*',
    decision:
      'A request with no body at all is a bad request (400): both readings agree. A body of {} is ambiguous: the ' +
      'document marks the wrapper required (400), Nova treats {} as "allocate on the project\'s network" (200). ' +
      "Either answer satisfies the MUST; the SHOULD prefers Nova's 200, since the WADL's required mark on the " +
      'wrapper came through the same buggy converter as the others.',
    reason:
      "In Nova's schema nothing is required, and the controller reads {} as auto-allocation; an empty HTTP body " +
      'is parsed as None and fails "type: object" with 400. The document gives no way to tell which was meant.',
    sources: [
      { kind: 'nova', where: NOVA_SCHEMA },
      { kind: 'nova', where: `${NOVA_CONTROLLER} (create: "if body:" branch)` },
      { kind: 'nova', where: `${NOVA_WSGI} (_get_request_content: empty body is None)` },
    ],
  },
  {
    id: 'INT-04',
    topic: 'An empty interfaceAttachment, or neither port_id nor net_id',
    clause:
      'If you do not specify the ``port_id`` parameter, the OpenStack Networking API v2.0 allocates a port and ' +
      'creates an interface for it on the network. ... If you do not specify the ``net_id`` parameter, the ' +
      'OpenStack Networking API v2.0 uses the network information cache that is associated with the instance.',
    decision:
      '{"interfaceAttachment": {}} asks the cloud to allocate a port on a network it chooses. It succeeds with 200 ' +
      'and a new port, or is refused with 400 when the cloud cannot choose a single network (none or several ' +
      'available). Both satisfy the MUST; the SHOULD expects 200 on a target whose project has exactly one network.',
    reason:
      "The document describes the allocation but not how the network is picked. Nova lists the project's " +
      'networks: one is used; none gives 400 InterfaceAttachFailedNoNetwork; several give 400 NetworkAmbiguous ' +
      '(Tempest tolerates the latter). The "network information cache" wording is not what Nova does.',
    sources: [
      { kind: 'nova', where: 'openstack/nova nova/network/neutron.py (auto-allocation)' },
      { kind: 'tempest', where: 'openstack/tempest tempest/api/compute/servers/test_attach_interfaces.py' },
    ],
  },
  {
    id: 'INT-05',
    topic: 'The mutual exclusion of net_id and port_id',
    clause: 'The ``net_id`` and ``port_id`` parameters are mutually exclusive.',
    decision: 'A request carrying both net_id and port_id is refused with 400, whatever else it carries, and attaches ' + 'nothing.',
    reason:
      'The document states the exclusion twice and lists 400 for bad requests. Nova enforces it in the controller ' +
      '(not in its JSON Schema) with 400 "Must not input both network_id and port_id".',
    sources: [
      { kind: 'document', where: 'port_id and net_id descriptions' },
      { kind: 'nova', where: NOVA_CONTROLLER },
    ],
  },
  {
    id: 'INT-06',
    topic: 'fixed_ips without net_id, including with port_id',
    clause: 'If you request a specific fixed IP address without a ``net_id``, the request returns a ``Bad Request (400)`` ' + 'response code.',
    decision: 'fixed_ips with no net_id is refused with 400 and attaches nothing, both when port_id is given and when ' + 'neither id is.',
    reason:
      'The clause says "without a net_id" with no exception for port_id; Nova answers 400 "Must input network_id ' + 'when request IP address" in both cases.',
    sources: [
      { kind: 'document', where: 'fixed_ips description' },
      { kind: 'nova', where: NOVA_CONTROLLER },
    ],
  },
  {
    id: 'INT-07',
    topic: 'What a request may put in fixed_ips',
    clause: 'fixed_ips xsd:list *(Required)* Fixed IP addresses with subnet IDs.',
    decision:
      'In a request, fixed_ips is a list whose items are objects carrying ip_address (an IPv4 or IPv6 address, ' +
      "not a CIDR). The suite's valid requests send exactly one item with ip_address only. A fixed_ips that is " +
      "not a list, or an item whose ip_address is not an address, is a bad request (400, MUST). Nova's narrower " +
      'rules (exactly one item; no subnet_id; ip_address required) are SHOULD: a literal reader of "with subnet ' +
      'IDs" may accept a subnet_id or several items.',
    reason:
      'The document gives no item shape for requests; "with subnet IDs" describes the response items. Nova\'s ' +
      "schema has minItems 1, maxItems 1, items {ip_address} with additionalProperties false, and Nova's own " +
      'api-ref later dropped "with subnet IDs" from the request text.',
    sources: [
      { kind: 'nova', where: NOVA_SCHEMA },
      { kind: 'nova', where: 'openstack/nova api-ref/source/parameters.yaml (ip_address_req), commit 0c183948f4' },
    ],
  },
  {
    id: 'INT-08',
    topic: 'The response body: nesting and fields',
    clause: 'This table shows the body parameters for the response: fixed_ips, mac_addr, net_id, port_id, port_state',
    decision:
      'A 200 answer is a JSON object with one key, interfaceAttachment, holding fixed_ips (list of {ip_address, ' +
      'subnet_id}, or null when the port has no address), mac_addr (a MAC address), net_id and port_id (UUIDs) ' +
      'and port_state (a string). A field check reads the field inside interfaceAttachment.',
    reason:
      "The table lists the fields at the top level, but the document's response example, Nova's schema " +
      "(_interface_attachment), Nova's samples and Tempest's schema all nest them in interfaceAttachment. " +
      'fixed_ips may be null in Nova\'s schema. A MAC that is not six colon-separated octets is not "The MAC ' +
      'address" (Tempest enforces the same pattern).',
    sources: [
      { kind: 'document', where: 'response example' },
      { kind: 'nova', where: `${NOVA_SCHEMA} (_interface_attachment)` },
      { kind: 'tempest', where: 'openstack/tempest tempest/lib/api_schema/response/compute/v2_1/interfaces.py' },
    ],
  },
  {
    id: 'INT-09',
    topic: 'The response example labelled "JSON request"',
    clause: '**Example Create Interface: JSON request** (under the Response heading)',
    decision: 'The second example is the response body of a successful create.',
    reason:
      'It stands under "Response", carries the response fields (mac_addr, port_state), and Nova fixed the same ' +
      'heading to "JSON response" in its api-ref (6f8cda2f39).',
    sources: [{ kind: 'nova', where: 'openstack/nova api-ref/source/os-interface.inc, commit 6f8cda2f39' }],
  },
  {
    id: 'INT-10',
    topic: '400 listed twice; the second is NetworkNotFound',
    clause: 'Response Code 400 ... (listed a second time, after 415)',
    decision:
      "The first 400 is the generic bad request (validation, mutual exclusion). The second is the WADL's " +
      'NetworkNotFound fault. A net_id or port_id that names nothing is refused with 400 or 404 (MUST); 404 is ' +
      'preferred (SHOULD), as Nova answers.',
    reason:
      'The fault list is the WADL boilerplate &commonFaults; &postPutFaults;, whose second 400 is ' +
      'csapi:NetworkNotFound. Nova maps NetworkNotFound and PortNotFound to 404 itemNotFound. The document alone ' +
      'supports 400, Nova supports 404; neither may fail.',
    sources: [
      { kind: 'wadl', where: 'openstack/api-site api-ref/src/wadls/compute-api/src/v2.1/common.ent' },
      { kind: 'nova', where: NOVA_CONTROLLER },
    ],
  },
  {
    id: 'INT-11',
    topic: '405 listed, Nova answers 404 for a wrong method',
    clause: 'Response Code 405',
    decision:
      'PUT, PATCH and DELETE on the collection URL are refused with 404 or 405 (MUST); 405 with an Allow header ' +
      'naming the methods the URL takes is preferred (SHOULD), as the document lists 405.',
    reason:
      'Nova registers routes per method, so an unmatched method finds no route and the router answers 404 with ' +
      "webob's body. The document lists 405, the HTTP-correct answer. Both are tolerated; the document's wins " +
      'the preference.',
    sources: [
      { kind: 'nova', where: 'openstack/nova nova/api/wsgi.py (Router._dispatch)' },
      { kind: 'http', where: 'RFC 9110 section 15.5.6 (405 requires Allow)' },
    ],
  },
  {
    id: 'INT-12',
    topic: '415 and which Content-Types are accepted',
    clause: 'Response Code 415',
    decision:
      'application/json is accepted. A Content-Type that is not JSON and not text/plain (application/xml, ' +
      'application/x-www-form-urlencoded, multipart/form-data, ...) is refused with 415 (MUST). text/plain or a ' +
      'missing Content-Type on a JSON body may be accepted (Nova) or refused with 415: either is fine (MAY), ' +
      'and the matrix records which.',
    reason:
      'The document lists 415 without naming types. Nova treats a missing header, an empty one and text/plain as ' +
      '"no type" and parses the body as JSON, and answers 415 badMediaType only for other types.',
    sources: [{ kind: 'nova', where: `${NOVA_WSGI} (Request.get_content_type)` }],
  },
  {
    id: 'INT-13',
    topic: '401: status, body and header',
    clause: 'Response Code 401',
    decision:
      'A request with no token, or a token the cloud does not know, is refused with 401 (MUST) and attaches ' +
      'nothing. The body may be Nova\'s fault format {"unauthorized": {...}} or keystonemiddleware\'s ' +
      '{"error": {...}}; a WWW-Authenticate header is expected (SHOULD).',
    reason:
      'Real 401s come from keystonemiddleware, not from Nova: body {"error": {"code": 401, "title": ' +
      '"Unauthorized", ...}} and WWW-Authenticate: Keystone uri=... . RFC 9110 requires WWW-Authenticate on 401.',
    sources: [
      { kind: 'nova', where: 'openstack/keystonemiddleware keystonemiddleware/auth_token/__init__.py' },
      { kind: 'http', where: 'RFC 9110 section 15.5.2' },
    ],
  },
  {
    id: 'INT-14',
    topic: '403: who is forbidden',
    clause: 'Response Code 403',
    decision:
      "A user whose role does not allow attaching (Nova's default: the project reader role) is refused with 403 " +
      'and nothing is attached. Exercisable only when the suite is given a reader token.',
    reason:
      "The document lists 403 without a cause. Nova's create policy is project_member_or_admin, checked after the " +
      'instance lookup, and answers 403 "Policy doesn\'t allow ... to be performed."',
    sources: [{ kind: 'nova', where: 'openstack/nova nova/policies/attach_interfaces.py' }],
  },
  {
    id: 'INT-15',
    topic: '503: when and how',
    clause: 'Response Code 503',
    decision:
      'When the service is unavailable it answers 503 and attaches nothing (MUST); a Retry-After header is ' +
      'expected (SHOULD). It is exercisable only on a target that can be told to be unavailable (the embedded ' +
      'fake cloud\'s fault switch); elsewhere it is reported "not exercisable".',
    reason:
      'Nova never produces 503 for this call; it comes from a proxy or load balancer in front of it. A suite cannot ' +
      'make a production cloud unavailable, and must not treat the absence of 503 as a failure.',
    sources: [{ kind: 'nova', where: 'openstack/api-site common.ent (&commonFaults; serviceUnavailable)' }],
  },
  {
    id: 'INT-16',
    topic: 'Codes Nova uses that the document does not list: 404, 409, 406, 413',
    clause: 'This table shows the possible response codes for this operation: 200, 503, 400, 401, 403, 405, 415, 400',
    decision:
      'The list is taken as the codes a client must be ready for, not a closed set. Where Nova answers with an ' +
      'unlisted code for a case the document does not cover, the MUST accepts the listed code that fits and ' +
      "Nova's code: server not found 400|404 (SHOULD 404); port already attached 400|409 (SHOULD 409); " +
      'unsupported microversion 406 and malformed microversion 400 (SHOULD); body over the size limit 400|413 ' +
      '(SHOULD 413). Any other unlisted code, and any 5xx but 503, fails.',
    reason:
      "Nova's create declares 400, 403, 404, 409, 500, 501 and the pipeline adds 401, 406, 413, 415. The " +
      "document's list is WADL boilerplate with no 404 or 409. A vendor that follows Nova must not fail; one " +
      'that follows the document must not either.',
    sources: [
      { kind: 'nova', where: `${NOVA_CONTROLLER} (expected_errors)` },
      { kind: 'nova', where: 'openstack/nova api-ref/source/os-interface.inc' },
    ],
  },
  {
    id: 'INT-17',
    topic: 'Microversions 2.49 (tag in requests) and 2.70 (tag in responses)',
    clause: '(the document, written for v2.1, does not mention microversions or tag)',
    decision:
      'Without a microversion header the call is 2.1. From 2.49, interfaceAttachment may carry tag (string of 1 to ' +
      '60 characters without "," or "/"); below 2.49 a tag is an unknown key. From 2.70 the 200 body carries tag ' +
      '(the requested tag or null); below it, no tag. All of this is SHOULD, applying only when the suite runs at ' +
      'that microversion and the target supports it.',
    reason:
      "Nova: create_v249 schema adds tag; the view adds tag from 2.70 (required in Nova's own response schema, " +
      "optional in Tempest's). The document predates both and states none of it.",
    sources: [
      { kind: 'nova', where: 'openstack/nova nova/api/openstack/compute/rest_api_version_history.rst (2.49, 2.70)' },
      { kind: 'tempest', where: 'openstack/tempest tempest/lib/api_schema/response/compute/v2_70/interfaces.py' },
    ],
  },
  {
    id: 'INT-18',
    topic: 'Unknown keys and the UUID format',
    clause: 'port_id csapi:UUID ... net_id csapi:UUID',
    decision:
      'A value for port_id or net_id that is not a string, or not a UUID even in the loose forms Nova accepts ' +
      '(dashless, upper-case, braced), is a bad request (400, MUST). Unknown keys at the top level or inside ' +
      'interfaceAttachment are refused with 400 (SHOULD; the document does not say extra keys are errors).',
    reason:
      "csapi:UUID is the document's type; Nova validates it with oslo is_uuid_like, so the suite's malformed " +
      "UUIDs are malformed under both. Nova's schema has additionalProperties false at both levels.",
    sources: [
      { kind: 'nova', where: NOVA_SCHEMA },
      { kind: 'nova', where: 'openstack/oslo.utils oslo_utils/uuidutils.py (is_uuid_like)' },
    ],
  },
  {
    id: 'INT-19',
    topic: 'What a successful create leaves behind, and detach',
    clause: 'Creates a port interface and uses it to attach a port to a server instance.',
    decision:
      "After a 200, the port is attached: it appears in the server's interface list and show. A second attach " +
      'of the same port is refused. Detach (DELETE .../os-interface/{port_id}, 202 in the sibling document) ' +
      'removes it, possibly asynchronously: the suite polls list until the port is gone or a deadline passes.',
    reason:
      "Attaching is the operation's whole effect; Nova's create is a synchronous call, its detach an RPC cast " +
      '(Tempest polls). port_state in the 200 may still be DOWN or BUILD.',
    sources: [
      { kind: 'sibling-document', where: 'DELETE_detach_interface_v2.1_tenant_id_servers_server_id_os-interface_port_id_.rst' },
      { kind: 'tempest', where: 'openstack/tempest tempest/api/compute/servers/test_attach_interfaces.py' },
    ],
  },
  {
    id: 'INT-20',
    topic: 'The {tenant_id} segment of the URL',
    clause: 'POST /v2.1/{tenant_id}/servers/{server_id}/os-interface',
    decision:
      'The suite accepts a compute endpoint with or without the project segment (catalogs publish both). A ' +
      "project segment that differs from the token's project is refused, never served (MUST: 400, 403 or 404; " +
      "SHOULD: 400 as Nova answers). Another project's token never attaches to this project's server.",
    reason:
      'Nova routes /v2.1/servers/... and /v2.1/{project_id}/servers/...; a mismatch gives 400 "Malformed request ' +
      'URL". Isolation between projects is what 403/404 exist for.',
    sources: [{ kind: 'nova', where: `${NOVA_WSGI} (Resource._process_stack)` }],
  },
  {
    id: 'INT-21',
    topic: 'Error bodies and headers',
    clause: '(the document gives no error body format)',
    decision:
      'An error answer is JSON in Nova\'s fault format {"<name>": {"code": <status>, "message": "..."}} (SHOULD), ' +
      'or keystonemiddleware\'s {"error": {...}} for 401; a 200 answer has Content-Type application/json (MUST, ' +
      'its example is JSON). Nova answers carry OpenStack-API-Version (SHOULD). Answers given by a layer in front ' +
      "of Nova are not Nova's and are exempt from the fault format, with the layer named in the evidence: " +
      'oslo.middleware sizelimit\'s 413 in webob\'s {"message", "code", "title"} body, and the router\'s answers ' +
      'to a wrong method.',
    reason:
      'Nova\'s Fault writes the named format; clients (novaclient, openstacksdk) read "message" from it. The ' +
      'document is silent, so the format is a SHOULD.',
    sources: [
      { kind: 'nova', where: `${NOVA_WSGI} (Fault, _fault_names)` },
      {
        kind: 'nova',
        where:
          "oslo_middleware/sizelimit.py (RequestBodySizeLimiter raises webob.exc.HTTPRequestEntityTooLarge), in Nova's api-paste.ini pipeline before the compute app",
      },
    ],
  },
  {
    id: 'INT-22',
    topic: 'Malformed and oversized bodies',
    clause: 'Response Code 400',
    decision:
      'A body that is not JSON, or JSON that is not an object, is a bad request (400, MUST). No input may produce ' +
      'a server error: any 5xx other than 503 fails. A body over the size limit is refused with 400 or 413.',
    reason: 'Nova: invalid JSON → 400 "Malformed request body"; a non-object → 400 from the schema; oslo sizelimit → 413.',
    sources: [{ kind: 'nova', where: `${NOVA_WSGI}` }],
  },
  {
    id: 'INT-23',
    topic: 'The type of {tenant_id}',
    clause: '{tenant_id} csapi:UUID The UUID of the tenant in a multi-tenancy cloud.',
    decision:
      'tenant_id is a Keystone project id: 32 hexadecimal digits as Keystone issues them, or a dashed UUID. The ' +
      'URI parameter schema accepts both; the suite never refuses a target for a project id without dashes.',
    reason:
      'Keystone project ids are uuid4().hex (no dashes), which a strict UUID format rejects; Nova routes the ' +
      "segment with [0-9a-f-]+ and compares it with the token's project id as a string.",
    sources: [
      { kind: 'nova', where: 'openstack/nova nova/api/openstack/__init__.py (ProjectMapper, project_id:[0-9a-f-]+)' },
      { kind: 'nova', where: 'openstack/keystone keystone/resource/core.py (project ids are uuid4().hex)' },
    ],
  },
  {
    id: 'INT-24',
    topic: 'Sequences and concurrency: what attach and detach leave behind over many requests',
    clause: 'Creates a port interface and uses it to attach a port to a server instance.',
    decision:
      'The document describes one request at a time; it says nothing of requests sent together, nor of what list and ' +
      "show hold after a sequence of attaches and detaches. The suite holds a cloud to Nova's behaviour there as " +
      'SHOULDs, judged after every command of a generated sequence once the cloud has settled (bounded waits with ' +
      'backoff; a list that lags is not a failure): of attaches of one free port sent together exactly one succeeds and ' +
      'the others answer 409; list and show equal what the requests did; a detach removes only its port; nothing is ' +
      'attached (listed, or bound in Neutron to the server) that the requests did not attach; a port the cloud created for ' +
      'a net_id attach is deleted by its detach. Where requests race (an attach and a detach of one port sent together) ' +
      'either order is right, and the settled cloud decides which one the model follows.',
    reason:
      'In Nova, attach_interface and detach_interface run on the compute host under a lock named after the instance and ' +
      "the port, so attaches of one port to one server are serialised; the second finds the port's device_id set and " +
      "raises PortInUse, which the API answers 409. List reads Neutron's ports with device_id = the server and show " +
      'reads the port and requires that device_id, so both are views of one binding. On detach Nova deletes a port it ' +
      'created and unbinds one the user gave. Detach is an RPC cast: its effect is seen later.',
    sources: [
      { kind: 'nova', where: 'openstack/nova nova/compute/manager.py attach_interface, detach_interface (lock "interface-<instance>-<port>")' },
      {
        kind: 'nova',
        where: 'openstack/nova nova/network/neutron.py _validate_requested_port_ids (PortInUse when the port has a device_id), deallocate_port_for_instance',
      },
      { kind: 'nova', where: 'openstack/nova nova/api/openstack/compute/attach_interfaces.py (PortInUse → 409; index by device_id; show requires device_id)' },
      { kind: 'tempest', where: 'openstack/tempest tempest/api/compute/servers/test_attach_interfaces.py (waits for the port to detach)' },
    ],
  },
] as const satisfies readonly InterpretationDefinition[];

/** The id of an interpretation of the ledger: a typo is a type error. */
export type InterpretationId = (typeof definitions)[number]['id'];

export const interpretations: readonly Interpretation[] = definitions;
