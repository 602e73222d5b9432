/**
 * The corrections that turn the literal derivation (raw-schemas.ts) into the schemas the suite
 * judges with. Each one carries out one interpretation of specs/interpretations.ts, is named for
 * what it changes, and stamps that interpretation's id into `x-interpretation` on every node it
 * changes, so a reader of schemas.json can go from any constraint the document does not state to
 * the reasoned decision behind it.
 *
 * Corrections run in the order listed, each on the previous one's result. A correction that cannot
 * find the node it is about throws: the document has changed and the interpretation needs a look.
 */
import type { JsonSchema } from './json-schema.ts';
import { compareMicroversions } from './microversions.ts';
import { PROJECT_ID_PATTERN } from '../formats/project-id.ts';

/** lenient: what a literal reader of the document would accept; strict: what Nova's own schema accepts. */
export type Reading = 'lenient' | 'strict';
/** What a correction applies to: the request body, the 200 body, or the URI parameters. */
export type Direction = 'request' | 'response' | 'uri';

export interface Correction {
  /** What the correction does, as a short sentence (shown in failures and the ledger tests). */
  readonly name: string;
  readonly interpretation: string;
  readonly direction: Direction;
  /** First microversion it applies to; absent means every microversion. */
  readonly since?: string;
  /** Applies only under this reading (requests only); absent means both. */
  readonly onlyIn?: Reading;
  /** Changes `schema` in place (it is always a private copy). `reading` is null for responses and URI parameters. */
  apply(schema: JsonSchema, reading: Reading | null): void;
}

const MAC_ADDRESS = '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$';
/** Nova parameter_types.tag: no comma or slash, 1 to 60 characters (nova/objects/tag.py MAX_TAG_LENGTH). */
const TAG_PATTERN = '^[^,/]*$';
const TAG_MAX_LENGTH = 60;
const WRAPPER = 'interfaceAttachment';

const ipAddress = (description: string): JsonSchema => ({
  description,
  type: 'string',
  anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }],
});

export const corrections: readonly Correction[] = [
  // ---- URI parameters --------------------------------------------------------------------------
  {
    name: 'tenant_id is a Keystone project id (32 hex digits), not a dashed UUID',
    interpretation: 'INT-23',
    direction: 'uri',
    apply(uri) {
      const tenant = property(uri, 'tenant_id');
      delete tenant.format;
      tenant.type = 'string';
      tenant.pattern = PROJECT_ID_PATTERN;
      annotate(tenant, this.interpretation);
    },
  },
  // ---- request ------------------------------------------------------------------------------
  {
    name: 'interfaceAttachment is an object holding the other body parameters',
    interpretation: 'INT-02',
    direction: 'request',
    apply(body) {
      const wrapper = property(body, WRAPPER);
      const moved = Object.keys(body.properties ?? {}).filter((key) => key !== WRAPPER);
      wrapper.type = 'object';
      wrapper.properties = {};
      for (const key of moved) {
        wrapper.properties[key] = property(body, key);
        delete body.properties?.[key];
      }
      const requiredInside = (body.required ?? []).filter((key) => moved.includes(key));
      if (requiredInside.length > 0) wrapper.required = requiredInside;
      setRequired(
        body,
        (body.required ?? []).filter((key) => !moved.includes(key)),
      );
      annotate(wrapper, this.interpretation);
      annotate(body, this.interpretation);
    },
  },
  {
    name: 'port_id, net_id and fixed_ips are optional',
    interpretation: 'INT-01',
    direction: 'request',
    apply(body) {
      const wrapper = property(body, WRAPPER);
      const optional = ['port_id', 'net_id', 'fixed_ips'];
      for (const key of optional) property(wrapper, key); // each must still be documented
      setRequired(
        wrapper,
        (wrapper.required ?? []).filter((key) => !optional.includes(key)),
      );
      annotate(wrapper, this.interpretation);
    },
  },
  {
    // INT-03 leaves {} to the ledger (document: 400, Nova: 200), so neither reading may call {}
    // invalid. Any other body without the wrapper stays invalid under both: the document requires
    // the wrapper, and Nova refuses the stray keys (strict: INT-18 closes the object).
    name: 'an empty body {} may leave interfaceAttachment out (lenient); nothing is required (strict)',
    interpretation: 'INT-03',
    direction: 'request',
    apply(body, reading) {
      property(body, WRAPPER);
      setRequired(
        body,
        (body.required ?? []).filter((key) => key !== WRAPPER),
      );
      if (reading === 'lenient') {
        // The empty property schema only declares the name for ajv's strictRequired; it constrains nothing.
        body.anyOf = [{ properties: { [WRAPPER]: {} }, required: [WRAPPER] }, { maxProperties: 0 }];
      }
      annotate(body, this.interpretation);
    },
  },
  {
    name: 'fixed_ips items are objects carrying an IPv4 or IPv6 ip_address (strict: exactly one, nothing else)',
    interpretation: 'INT-07',
    direction: 'request',
    apply(body, reading) {
      const fixedIps = attachmentField(body, 'fixed_ips');
      fixedIps.items = {
        type: 'object',
        properties: { ip_address: ipAddress('The fixed IP address to request (IPv4 or IPv6, not a CIDR).') },
        required: ['ip_address'],
      };
      if (reading === 'strict') {
        fixedIps.minItems = 1;
        fixedIps.maxItems = 1;
        fixedIps.items.additionalProperties = false;
      }
      annotate(fixedIps, this.interpretation);
    },
  },
  {
    name: 'from 2.49 interfaceAttachment may carry a tag',
    interpretation: 'INT-17',
    direction: 'request',
    since: '2.49',
    apply(body) {
      addAttachmentField(
        body,
        'tag',
        {
          description: 'Device tag for the attached interface (not in the document: Nova microversion 2.49 and later).',
          type: 'string',
          minLength: 1,
          maxLength: TAG_MAX_LENGTH,
          pattern: TAG_PATTERN,
        },
        this.interpretation,
      );
    },
  },
  {
    name: 'unknown keys are refused at the top level and inside interfaceAttachment',
    interpretation: 'INT-18',
    direction: 'request',
    onlyIn: 'strict',
    apply(body) {
      closeBodyAndAttachment(body, this.interpretation);
    },
  },

  // ---- response -----------------------------------------------------------------------------
  {
    name: 'the response fields are nested in an interfaceAttachment object, all five present',
    interpretation: 'INT-08',
    direction: 'response',
    apply(body) {
      const fields = body.properties ?? {};
      const wrapper: JsonSchema = {
        description: 'The attached interface (the document lists its fields at the top level; its example nests them here).',
        type: 'object',
        properties: fields,
        required: Object.keys(fields),
      };
      body.properties = { [WRAPPER]: wrapper };
      body.required = [WRAPPER];
      annotate(wrapper, this.interpretation);
      annotate(body, this.interpretation);
    },
  },
  {
    name: 'response fixed_ips is a list of {ip_address, subnet_id}, or null',
    interpretation: 'INT-08',
    direction: 'response',
    apply(body) {
      const fixedIps = attachmentField(body, 'fixed_ips');
      fixedIps.type = ['array', 'null'];
      fixedIps.items = {
        type: 'object',
        properties: {
          ip_address: ipAddress('The fixed IP address (IPv4 or IPv6).'),
          subnet_id: { description: 'The UUID of the subnet the address is on.', type: 'string', format: 'uuid' },
        },
        required: ['ip_address', 'subnet_id'],
        additionalProperties: false,
      };
      annotate(fixedIps, this.interpretation);
    },
  },
  {
    name: 'mac_addr is six colon-separated hexadecimal octets',
    interpretation: 'INT-08',
    direction: 'response',
    apply(body) {
      const mac = attachmentField(body, 'mac_addr');
      mac.pattern = MAC_ADDRESS;
      annotate(mac, this.interpretation);
    },
  },
  {
    name: 'port_state is a non-empty string',
    interpretation: 'INT-08',
    direction: 'response',
    apply(body) {
      const portState = attachmentField(body, 'port_state');
      portState.minLength = 1;
      annotate(portState, this.interpretation);
    },
  },
  {
    name: 'a 200 body holds interfaceAttachment and nothing else, which holds the documented fields and nothing else',
    interpretation: 'INT-08',
    direction: 'response',
    apply(body) {
      closeBodyAndAttachment(body, this.interpretation);
    },
  },
  {
    name: 'from 2.70 interfaceAttachment carries tag, a string or null',
    interpretation: 'INT-17',
    direction: 'response',
    since: '2.70',
    apply(body) {
      addAttachmentField(
        body,
        'tag',
        {
          description: 'The device tag of the interface, or null (not in the document: Nova microversion 2.70 and later).',
          type: ['string', 'null'],
        },
        this.interpretation,
      );
      const wrapper = property(body, WRAPPER);
      wrapper.required = [...(wrapper.required ?? []), 'tag'];
    },
  },
];

/**
 * Applies, to a copy of `raw`, every correction for `direction` that holds at `microversion` under
 * `reading` (null for responses, which have one reading).
 */
export function applyCorrections(raw: JsonSchema, direction: Direction, microversion: string, reading: Reading | null): JsonSchema {
  const schema = structuredClone(raw);
  for (const correction of correctionsFor(direction, microversion, reading)) correction.apply(schema, reading);
  return schema;
}

export function correctionsFor(direction: Direction, microversion: string, reading: Reading | null): Correction[] {
  return corrections.filter(
    (correction) =>
      correction.direction === direction &&
      (correction.since === undefined || compareMicroversions(correction.since, microversion) <= 0) &&
      (correction.onlyIn === undefined || correction.onlyIn === reading),
  );
}

/** A property of interfaceAttachment, the object every request and response field lives in. */
function attachmentField(body: JsonSchema, key: string): JsonSchema {
  return property(property(body, WRAPPER), key);
}

/** Adds a field the document does not list to interfaceAttachment. */
function addAttachmentField(body: JsonSchema, key: string, field: JsonSchema, interpretation: string): void {
  const wrapper = property(body, WRAPPER);
  wrapper.properties = { ...wrapper.properties, [key]: { ...field, 'x-interpretation': [interpretation] } };
  annotate(wrapper, interpretation);
}

/** No keys beyond the listed ones, at the top level or inside interfaceAttachment. */
function closeBodyAndAttachment(body: JsonSchema, interpretation: string): void {
  for (const node of [body, property(body, WRAPPER)]) {
    node.additionalProperties = false;
    annotate(node, interpretation);
  }
}

function property(node: JsonSchema, key: string): JsonSchema {
  const child = node.properties?.[key];
  if (child === undefined) throw new Error(`correction expected a '${key}' property, which the document no longer has`);
  return child;
}

function setRequired(node: JsonSchema, required: string[]): void {
  if (required.length > 0) node.required = required;
  else delete node.required;
}

function annotate(node: JsonSchema, interpretation: string): void {
  const ids = node['x-interpretation'] ?? [];
  if (!ids.includes(interpretation)) node['x-interpretation'] = [...ids, interpretation];
}
