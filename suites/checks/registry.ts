/**
 * The registry of checks: small named functions that judge what a scenario observed against one
 * requirement of the ledger. Requirements name their checks (specs/requirements.ts `checks`); a
 * scenario gathers the observations (it does the I/O), a check only judges them.
 *
 * Names follow Schemathesis's vocabulary where the idea is the same (status_code_conformance,
 * not_a_server_error, response_schema_conformance → here split by field, content_type_conformance).
 */
import type { ValidateFunction } from 'ajv';
import type { Requirement } from '../../specs/ledger-types.ts';
import { createAjv } from '../../specs/derive/ajv.ts';
import { compareMicroversions, responseRangeFor } from '../../specs/index.ts';
import type { HttpAnswer } from '../harness/http.ts';

/** What the request asked for: echo checks compare the answer to it. */
export interface AskedFor {
  readonly portId?: string;
  readonly netId?: string;
  readonly ip?: string;
  /** The tag sent, or null when none was sent. */
  readonly tag?: string | null;
}

export interface CheckSubject {
  readonly requirement: Requirement;
  /** The answer under judgement; undefined when the target did not answer. */
  readonly answer?: HttpAnswer;
  /** Microversion the request asked for ("2.1" when it sent no header). */
  readonly microversion: string;
  readonly asked?: AskedFor;
  /** Networks the project can see (from the network endpoint), for judging an allocation. */
  readonly networksVisible?: readonly string[];
  /**
   * Port ids attached to the server before and after the request (state checks). Absent: the
   * scenario did not look; null: it looked and the list could not be read (a missing observation).
   */
  readonly interfacesBefore?: readonly string[] | null;
  readonly interfacesAfter?: readonly string[] | null;
  /**
   * Attachment visibility, observed after a 200 (attachment_visible). Absent: nothing to look for;
   * null: the list could not be read, so whether the port is listed is unknown.
   */
  readonly listedAfter?: boolean | null;
  readonly showAnswer?: HttpAnswer;
  /** Why show got no answer, when it got none after a 200 (a missing observation). */
  readonly showUnanswered?: string;
  /** Detach observations (detach_removes). */
  readonly detachAnswer?: HttpAnswer;
  /** Why the DELETE got no answer, when it got none. */
  readonly detachUnanswered?: string;
  /** true: seen gone; false: seen still listed at the deadline; null: the list was never read after the DELETE. */
  readonly goneAfterDetach?: boolean | null;
  /** How long the suite waited for the port to leave the list (--detach-timeout-s, with backoff). */
  readonly detachWaitedMs?: number;
  /** What a generated sequence observed after one command, once the cloud settled (the stateful checks). */
  readonly sequence?: SequenceObservation;
}

/** A stateful sequence's observations after one command; each field is absent when not observed. */
export interface SequenceObservation {
  /** The answers to requests sent together (a concurrent group); undefined where none came. */
  readonly together?: ReadonlyArray<HttpAnswer | undefined>;
  /** Ports the model holds attached by the sequence now. */
  readonly modelAttached?: readonly string[];
  /** Ports attached before the sequence began (boot ports, others'): never the sequence's to judge. */
  readonly baseline?: readonly string[];
  /** The settled interface list as read, duplicates kept; null when it could not be read. */
  readonly listed?: readonly string[] | null;
  /** Show's answer for ports of the model and ports the sequence let go. */
  readonly shown?: ReadonlyArray<{ readonly portId: string; readonly answer: HttpAnswer | undefined }>;
  /** Ports the sequence detached or never got attached: neither listed, shown nor bound. */
  readonly released?: readonly string[];
  /** Neutron's ports whose device_id is the server; null without a network endpoint. */
  readonly boundInNeutron?: readonly string[] | null;
  /** The port a detach command detached (with interfacesBefore/After, settled). */
  readonly detachedPort?: string;
  /** A port the cloud created (net_id or allocation) and the sequence detached, and Neutron's answer to GET it once settled. */
  readonly createdPort?: { readonly portId: string; readonly answer: HttpAnswer | undefined };
}

/**
 * - fail: the target was seen doing something else than the requirement asks;
 * - error: an observation the judgement needs is missing (no answer, a reset, a timeout, a list
 *   that could not be read): the suite did not see, so it never says fail.
 */
export type Verdict =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly message: string }
  | { readonly status: 'not-exercisable'; readonly message: string; readonly exemptedLayer?: string }
  | { readonly status: 'error'; readonly message: string };

export interface Check {
  readonly name: string;
  /** One line for the report and --help. */
  readonly description: string;
  /** Set on checks that read the answer's body: one cut short so that it does not parse is not judged on. */
  readonly readsBody?: true;
  judge(subject: CheckSubject): Verdict;
}

const PASS: Verdict = { status: 'pass' };
const fail = (message: string): Verdict => ({ status: 'fail', message });
const notExercisable = (message: string): Verdict => ({ status: 'not-exercisable', message });
const unobserved = (message: string): Verdict => ({ status: 'error', message });

// ---- response fields ------------------------------------------------------------------------

/** The response field each field requirement is about (the one place this mapping lives). */
export const FIELD_OF_REQUIREMENT: Readonly<Record<string, string>> = {
  'CI-003': 'fixed_ips',
  'CI-004': 'mac_addr',
  'CI-005': 'net_id',
  'CI-006': 'port_id',
  'CI-007': 'port_state',
};

const ajv = createAjv();
const fieldValidators = new Map<string, ValidateFunction>();

function fieldValidator(microversion: string, field: string): ValidateFunction {
  const range = responseRangeFor(microversion);
  const key = `${range.minMicroversion}:${field}`;
  let validate = fieldValidators.get(key);
  if (!validate) {
    const schema = range.schema.properties?.interfaceAttachment?.properties?.[field];
    if (!schema) throw new Error(`response schema has no field ${field}`);
    validate = ajv.compile(schema);
    fieldValidators.set(key, validate);
  }
  return validate;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The object holding the response fields: interfaceAttachment when it is an object, else the body
 * itself, as the document's table lists the fields at the top level (INT-08). The wrapper has its
 * own requirement (CI-002), so a missing wrapper is judged once, not once per field.
 */
export function attachmentFields(answer: HttpAnswer): Record<string, unknown> | null {
  if (!isObject(answer.json)) return null;
  const wrapped = answer.json.interfaceAttachment;
  return isObject(wrapped) ? wrapped : answer.json;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Judges one response field against the derived response schema; used by field and echo checks. */
export function judgeField(answer: HttpAnswer, microversion: string, field: string): Verdict {
  const fields = attachmentFields(answer);
  if (fields === null) return fail('the 200 body is not a JSON object');
  if (!(field in fields)) return fail(`the 200 body has no ${field}`);
  const validate = fieldValidator(microversion, field);
  if (validate(fields[field])) return PASS;
  const why = validate.errors?.map((e) => `${e.instancePath || field} ${e.message ?? ''}`.trim()).join('; ') ?? 'invalid';
  return fail(`${field} ${describeValue(fields[field])} is not valid: ${why}`);
}

// ---- the checks -------------------------------------------------------------------------------

const statusCodeConformance: Check = {
  name: 'status_code_conformance',
  description: 'The status is one the requirement accepts.',
  judge({ answer, requirement }) {
    if (!answer) return unobserved('the target did not answer');
    const accepted = requirement.expect.statuses;
    return accepted.includes(answer.status) ? PASS : fail(`expected ${accepted.join(' or ')}, got ${answer.status}`);
  },
};

const SERVER_ERROR_ALLOWED = 503;
const notAServerError: Check = {
  name: 'not_a_server_error',
  description: 'No answer is a 5xx other than the documented 503.',
  judge({ answer }) {
    if (!answer) return PASS; // silence is judged by the scenario, not as a server error
    return answer.status >= 500 && answer.status <= 599 && answer.status !== SERVER_ERROR_ALLOWED ? fail(`server error ${answer.status}`) : PASS;
  },
};

const documentedStatusConformance: Check = {
  name: 'documented_status_conformance',
  description: 'Every answer below 500 carries a documented or ledger-accepted code (5xx are not_a_server_error\'s).',
  judge({ answer, requirement }) {
    if (!answer || answer.status >= 500) return PASS;
    return requirement.expect.statuses.includes(answer.status) ? PASS : fail(`status ${answer.status} is neither documented nor accepted by the ledger`);
  },
};

const responseWrapperConformance: Check = {
  readsBody: true,
  name: 'response_wrapper_conformance',
  description: 'A 200 body is {"interfaceAttachment": {...}} and nothing else.',
  judge({ answer }) {
    if (!answer || answer.status !== 200) return notExercisable('no 200 answer');
    if (answer.json === undefined) return fail('the 200 body is not JSON');
    if (!isObject(answer.json)) return fail(`the 200 body is ${describeValue(answer.json)}, not an object`);
    const keys = Object.keys(answer.json);
    if (!isObject(answer.json.interfaceAttachment)) return fail(`the 200 body has no interfaceAttachment object (keys: ${keys.join(', ') || 'none'})`);
    return keys.length === 1 ? PASS : fail(`the 200 body has keys besides interfaceAttachment: ${keys.filter((k) => k !== 'interfaceAttachment').join(', ')}`);
  },
};

const responseFieldConformance: Check = {
  readsBody: true,
  name: 'response_field_conformance',
  description: 'The field of a 200 body validates against the derived response schema.',
  judge({ answer, requirement, microversion }) {
    if (!answer || answer.status !== 200) return notExercisable('no 200 answer');
    const field = FIELD_OF_REQUIREMENT[requirement.id];
    if (!field) throw new Error(`response_field_conformance has no field for ${requirement.id}`);
    return judgeField(answer, microversion, field);
  },
};

/** Echo checks judge only well-formed fields: a malformed one is its field requirement's failure. */
function echoedField(answer: HttpAnswer, microversion: string, field: string): { value: unknown } | Verdict {
  const shape = judgeField(answer, microversion, field);
  if (shape.status !== 'pass') return notExercisable(`${field} is not well-formed; judged by its field requirement`);
  return { value: (attachmentFields(answer) ?? {})[field] };
}

const echoConformance: Check = {
  readsBody: true,
  name: 'echo_conformance',
  description: 'A 200 body names the port, network and address that were asked for.',
  judge({ answer, requirement, microversion, asked, interfacesBefore, networksVisible }) {
    if (!answer || answer.status !== 200) return notExercisable('no 200 answer');
    switch (requirement.id) {
      case 'CI-008': {
        if (!asked?.portId) return notExercisable('no port_id was asked for');
        const port = echoedField(answer, microversion, 'port_id');
        if (!('value' in port)) return port;
        return port.value === asked.portId ? PASS : fail(`asked for port ${asked.portId}, the answer names ${describeValue(port.value)}`);
      }
      case 'CI-009': {
        if (!asked?.netId) return notExercisable('no net_id was asked for');
        const net = echoedField(answer, microversion, 'net_id');
        if (!('value' in net)) return net;
        return net.value === asked.netId ? PASS : fail(`asked for network ${asked.netId}, the answer names ${describeValue(net.value)}`);
      }
      case 'CI-010': {
        if (!asked?.ip) return notExercisable('no fixed IP was asked for');
        const ips = echoedField(answer, microversion, 'fixed_ips');
        if (!('value' in ips)) return ips;
        const addresses = Array.isArray(ips.value) ? ips.value.map((item) => (isObject(item) ? item.ip_address : undefined)) : [];
        return addresses.includes(asked.ip) ? PASS : fail(`asked for address ${asked.ip}, the answer has ${describeValue(addresses)}`);
      }
      case 'CI-011': {
        const port = echoedField(answer, microversion, 'port_id');
        if (!('value' in port)) return port;
        if (interfacesBefore?.includes(String(port.value))) return fail(`the answer names port ${String(port.value)}, which was attached before: no port was allocated`);
        if (!networksVisible) return PASS;
        const net = echoedField(answer, microversion, 'net_id');
        if (!('value' in net)) return net;
        return networksVisible.includes(String(net.value)) ? PASS : fail(`the port was allocated on network ${String(net.value)}, which is not among the project's networks`);
      }
      default:
        throw new Error(`echo_conformance has no rule for ${requirement.id}`);
    }
  },
};

const nothingAttached: Check = {
  name: 'nothing_attached',
  description: 'The server\'s interfaces are the same after the request as before it.',
  judge({ interfacesBefore, interfacesAfter, requirement }) {
    if (interfacesBefore === undefined || interfacesAfter === undefined) return notExercisable('the interfaces were not compared');
    if (interfacesBefore === null) return unobserved('the server\'s interface list could not be read before the request');
    if (interfacesAfter === null) return unobserved('the server\'s interface list could not be read after the request');
    const added = interfacesAfter.filter((p) => !interfacesBefore.includes(p));
    // CI-015 (a second attach) must leave exactly the first attachment, which is already in "before".
    if (added.length > 0) return fail(`${requirement.id === 'CI-015' ? 'the second attach' : 'a refused request'} left ${added.length} new interface(s) attached: ${added.join(', ')}`);
    const removed = interfacesBefore.filter((p) => !interfacesAfter.includes(p));
    return removed.length > 0 ? fail(`the request removed interface(s): ${removed.join(', ')}`) : PASS;
  },
};

const attachmentVisible: Check = {
  name: 'attachment_visible',
  description: 'After a 200, the port is in the server\'s interface list, and show answers 200 for it.',
  judge({ listedAfter, showAnswer, showUnanswered, asked }) {
    if (listedAfter === undefined) return notExercisable('no attachment to look for');
    if (listedAfter === null) return unobserved(`the server's interface list could not be read after the 200, so whether port ${asked?.portId ?? ''} is listed is unknown`);
    if (!listedAfter) return fail(`port ${asked?.portId ?? ''} is not in the server's interface list after a 200`);
    if (!showAnswer) return unobserved(`show of port ${asked?.portId ?? ''} got no answer${showUnanswered ? `: ${showUnanswered}` : ''}`);
    if (showAnswer.status !== 200) return fail(`show of the attached port answered ${showAnswer.status}`);
    const shown = attachmentFields(showAnswer);
    return shown?.port_id === asked?.portId ? PASS : fail(`show answered port_id ${describeValue(shown?.port_id)}`);
  },
};

const detachRemoves: Check = {
  name: 'detach_removes',
  description: 'DELETE of an attached port answers 202 and the port leaves the list.',
  judge({ detachAnswer, detachUnanswered, goneAfterDetach, detachWaitedMs, asked, requirement }) {
    if (detachUnanswered !== undefined) return unobserved(`the detach got no answer: ${detachUnanswered}`);
    if (!detachAnswer) return notExercisable('nothing was detached');
    if (!requirement.expect.statuses.includes(detachAnswer.status)) return fail(`detach answered ${detachAnswer.status}, expected ${requirement.expect.statuses.join(' or ')}`);
    if (goneAfterDetach === null || goneAfterDetach === undefined) return unobserved('the server\'s interface list could not be read after the detach');
    const waited = detachWaitedMs === undefined ? 'after the detach deadline' : `${(detachWaitedMs / 1000).toFixed(1)} s after the detach's ${detachAnswer.status} (--detach-timeout-s)`;
    return goneAfterDetach ? PASS : fail(`port ${asked?.portId ?? '(unknown)'} is still in the server's interface list ${waited}; it is not waited for again`);
  },
};

function headerCheck(name: string, description: string, status: number, header: string, extra?: (value: string) => string | null): Check {
  return {
    name,
    description,
    judge({ answer }) {
      if (!answer || answer.status !== status) return notExercisable(`no ${status} answer`);
      const value = answer.headers[header];
      if (value === undefined) return fail(`a ${status} answer has no ${header} header`);
      const problem = extra?.(value) ?? null;
      return problem === null ? PASS : fail(problem);
    },
  };
}

const wwwAuthenticateConformance = headerCheck('www_authenticate_conformance', 'A 401 answer carries WWW-Authenticate.', 401, 'www-authenticate');
const retryAfterConformance = headerCheck('retry_after_conformance', 'A 503 answer carries Retry-After.', 503, 'retry-after');
const allowHeaderConformance = headerCheck('allow_header_conformance', 'A 405 answer carries an Allow header naming GET and POST.', 405, 'allow', (value) => {
  const methods = value.split(',').map((m) => m.trim().toUpperCase());
  return methods.includes('GET') && methods.includes('POST') ? null : `Allow is "${value}", which does not name GET and POST`;
});

const contentTypeConformance: Check = {
  name: 'content_type_conformance',
  description: 'A 200 answer is application/json.',
  judge({ answer }) {
    if (!answer || answer.status !== 200) return notExercisable('no 200 answer');
    const type = answer.headers['content-type'] ?? '';
    return /^application\/json\s*(;|$)/i.test(type) ? PASS : fail(`Content-Type is "${type}"`);
  },
};

/**
 * Layers in front of Nova in its paste pipeline that answer before Nova sees the request, with the
 * statuses they answer and how their body is recognised. Their answers are not Nova's, so Nova's
 * fault format is not asked of them (as the router's answers to a wrong method are judged apart).
 * Only webob's own error body ({"message", "code": "<status> <reason>", "title"}) is recognised:
 * Nova's FaultWrapper never writes it, so a Nova error in that shape is still judged.
 */
const LAYERS_IN_FRONT_OF_NOVA: ReadonlyArray<{ readonly layer: string; readonly statuses: readonly number[]; readonly why: string }> = [
  {
    layer: 'oslo.middleware sizelimit',
    statuses: [413],
    why: 'it refuses a body over max_request_body_size before Nova reads it (oslo_middleware/sizelimit.py raises webob.exc.HTTPRequestEntityTooLarge)',
  },
];

function isWebobErrorBody(body: unknown, status: number): boolean {
  if (!isObject(body)) return false;
  const keys = Object.keys(body).sort().join(',');
  return keys === 'code,message,title' && typeof body.code === 'string' && body.code.startsWith(`${status} `) && typeof body.message === 'string';
}

/** The layer in front of Nova that gave this answer, with why it is exempt, or null for Nova's own. */
export function answeredInFrontOfNova(answer: HttpAnswer): { layer: string; why: string } | null {
  const layer = LAYERS_IN_FRONT_OF_NOVA.find((l) => l.statuses.includes(answer.status));
  return layer && isWebobErrorBody(answer.json, answer.status) ? { layer: layer.layer, why: layer.why } : null;
}

const faultBodyConformance: Check = {
  readsBody: true,
  name: 'fault_body_conformance',
  description: 'An error answer is {"<faultName>": {"code": <status>, "message": "..."}} (or keystonemiddleware\'s {"error": {...}} on 401); answers of layers in front of Nova are exempt.',
  judge({ answer }) {
    if (!answer || answer.status < 400) return notExercisable('no error answer');
    const front = answeredInFrontOfNova(answer);
    if (front) return { status: 'not-exercisable', message: `the ${answer.status} came from ${front.layer} in front of Nova, not from Nova: ${front.why}`, exemptedLayer: front.layer };
    const body = answer.json;
    if (!isObject(body)) return fail(`the ${answer.status} body is not a JSON object`);
    const keys = Object.keys(body);
    const [name] = keys;
    if (keys.length !== 1 || name === undefined) return fail(`the ${answer.status} body has ${keys.length} keys, expected one naming the fault`);
    const fault = body[name];
    if (!isObject(fault)) return fail(`the ${answer.status} body's "${name}" is not an object`);
    if (fault.code !== answer.status) return fail(`the ${answer.status} body's "${name}".code is ${describeValue(fault.code)}`);
    return typeof fault.message === 'string' && fault.message.length > 0 ? PASS : fail(`the ${answer.status} body's "${name}" has no message`);
  },
};

const TAG_IN_RESPONSE = '2.70';
const tagEchoConformance: Check = {
  readsBody: true,
  name: 'tag_echo_conformance',
  description: 'From 2.70 a 200 body carries tag (the one asked for, or null); below 2.70 it has none.',
  judge({ answer, microversion, asked }) {
    if (!answer || answer.status !== 200) return notExercisable('no 200 answer');
    const fields = attachmentFields(answer);
    if (fields === null) return notExercisable('the 200 body is not an object; judged by CI-002');
    const atLeast270 = microversion !== 'latest' && compareMicroversions(microversion, TAG_IN_RESPONSE) >= 0;
    if (!atLeast270) return 'tag' in fields ? fail(`a ${microversion} answer carries tag ${describeValue(fields.tag)}`) : PASS;
    if (!('tag' in fields)) return fail(`a ${microversion} answer has no tag`);
    const expected = asked?.tag ?? null;
    return fields.tag === expected ? PASS : fail(`tag is ${describeValue(fields.tag)}, expected ${describeValue(expected)}`);
  },
};

const microversionHeaderConformance: Check = {
  name: 'microversion_header_conformance',
  description: 'A 200 answer carries OpenStack-API-Version: compute <the version asked for>.',
  judge({ answer, microversion }) {
    if (!answer || answer.status !== 200) return notExercisable('no 200 answer');
    const value = answer.headers['openstack-api-version'];
    if (value === undefined) return fail('no OpenStack-API-Version header');
    const match = /^compute\s+(\S+)$/i.exec(value.trim());
    if (!match) return fail(`OpenStack-API-Version is "${value}"`);
    return microversion === 'latest' || match[1] === microversion ? PASS : fail(`asked for ${microversion}, served ${match[1] ?? ''}`);
  },
};

// ---- stateful sequences (CI-100 to CI-104): judged after each command, once the cloud settled ------

const concurrentAttachSingleWinner: Check = {
  name: 'concurrent_attach_single_winner',
  description: 'Of attaches of one free port sent together, exactly one answers 200 and the others 409.',
  judge({ sequence }) {
    const answers = sequence?.together;
    if (!answers || answers.length < 2) return notExercisable('no attaches were sent together');
    const missing = answers.filter((a) => a === undefined).length;
    if (missing > 0) return unobserved(`${missing} of ${answers.length} attaches sent together got no answer`);
    const statuses = answers.map((a) => a?.status ?? 0);
    const accepted = statuses.filter((s) => s === 200).length;
    if (accepted === 0) return notExercisable(`none of ${answers.length} attaches was accepted (${statuses.join(', ')}); a free port refused is CI-001's`);
    if (accepted > 1) return fail(`${accepted} of ${answers.length} attaches of one port sent together answered 200 (${statuses.join(', ')})`);
    const others = statuses.filter((s) => s !== 200 && s !== 409);
    return others.length === 0 ? PASS : fail(`one attach answered 200, the others ${statuses.filter((s) => s !== 200).join(', ')}; expected 409`);
  },
};

function duplicatesOf(items: readonly string[]): string[] {
  return [...new Set(items.filter((item, index) => items.indexOf(item) !== index))];
}

const listingMatchesModel: Check = {
  name: 'listing_matches_model',
  description: 'After the cloud settles, the list holds every port of the model once, and show answers 200 for each.',
  judge({ sequence }) {
    if (!sequence?.modelAttached) return notExercisable('no model to compare with');
    if (!sequence.listed) return unobserved('the interface list could not be read once the cloud settled');
    const listed = sequence.listed;
    const twice = duplicatesOf(listed);
    if (twice.length > 0) return fail(`port(s) listed more than once: ${twice.join(', ')}`);
    const missing = sequence.modelAttached.filter((p) => !listed.includes(p));
    if (missing.length > 0) return fail(`port(s) the sequence attached are not listed once the cloud settled: ${missing.join(', ')}`);
    for (const portId of sequence.modelAttached) {
      const answer = sequence.shown?.find((s) => s.portId === portId)?.answer;
      if (!answer) return unobserved(`show of ${portId} got no answer`);
      if (answer.status !== 200) return fail(`show of attached port ${portId} answered ${answer.status}`);
      const shownId = attachmentFields(answer)?.port_id;
      if (shownId !== portId) return fail(`show of ${portId} answered port_id ${describeValue(shownId)}`);
    }
    return PASS;
  },
};

const detachRemovesOnlyItsPort: Check = {
  name: 'detach_removes_only_its_port',
  description: 'After a detach settles, every other port listed before is still listed and none appeared.',
  judge({ sequence, interfacesBefore, interfacesAfter }) {
    const port = sequence?.detachedPort;
    if (port === undefined) return notExercisable('nothing was detached');
    if (!interfacesBefore || !interfacesAfter) return unobserved('the interface list could not be read before or after the detach');
    const lost = interfacesBefore.filter((p) => p !== port && !interfacesAfter.includes(p));
    if (lost.length > 0) return fail(`the detach of ${port} also removed ${lost.join(', ')}`);
    const gained = interfacesAfter.filter((p) => !interfacesBefore.includes(p));
    return gained.length === 0 ? PASS : fail(`after the detach of ${port}, port(s) appeared: ${gained.join(', ')}`);
  },
};

const nothingUnknownAttached: Check = {
  name: 'nothing_unknown_attached',
  description: 'Once settled, no port is listed, bound in Neutron to the server, or shown that the sequence did not attach.',
  judge({ sequence }) {
    if (!sequence?.modelAttached) return notExercisable('no model to compare with');
    if (!sequence.listed) return unobserved('the interface list could not be read once the cloud settled');
    const known = new Set([...sequence.modelAttached, ...(sequence.baseline ?? [])]);
    const listedUnknown = [...new Set(sequence.listed.filter((p) => !known.has(p)))];
    if (listedUnknown.length > 0) return fail(`listed port(s) the sequence did not attach: ${listedUnknown.join(', ')}`);
    const boundUnknown = (sequence.boundInNeutron ?? []).filter((p) => !known.has(p));
    if (boundUnknown.length > 0) return fail(`Neutron port(s) bound to the server that the sequence did not attach or has detached: ${boundUnknown.join(', ')} (not listed: ${boundUnknown.filter((p) => !sequence.listed?.includes(p)).join(', ') || 'none'})`);
    for (const portId of sequence.released ?? []) {
      const answer = sequence.shown?.find((s) => s.portId === portId)?.answer;
      if (answer?.status === 200) return fail(`show answers 200 for port ${portId}, which the sequence detached or never got attached`);
    }
    return PASS;
  },
};

const createdPortDeleted: Check = {
  name: 'created_port_deleted',
  description: 'A port the cloud created for an attach is gone from Neutron (404) once its detach settled.',
  judge({ sequence }) {
    const created = sequence?.createdPort;
    if (!created) return notExercisable('no port the cloud created was detached');
    if (!created.answer) return unobserved(`Neutron did not answer for port ${created.portId}`);
    return created.answer.status === 404 ? PASS : fail(`Neutron still has port ${created.portId} (GET answered ${created.answer.status}) after its detach settled`);
  },
};

export const CHECKS: readonly Check[] = [
  statusCodeConformance,
  notAServerError,
  documentedStatusConformance,
  responseWrapperConformance,
  responseFieldConformance,
  echoConformance,
  nothingAttached,
  attachmentVisible,
  detachRemoves,
  wwwAuthenticateConformance,
  retryAfterConformance,
  allowHeaderConformance,
  contentTypeConformance,
  faultBodyConformance,
  tagEchoConformance,
  microversionHeaderConformance,
  concurrentAttachSingleWinner,
  listingMatchesModel,
  detachRemovesOnlyItsPort,
  nothingUnknownAttached,
  createdPortDeleted,
];

/**
 * A body cut short (the connection reset before it ended) that does not parse was not seen: a check
 * that reads it says so as an error. A cut body that parses is whole (no JSON value is a prefix of a
 * longer one) and is judged as usual; so is the status, which came.
 */
function withBodyGuard(check: Check): Check {
  if (!check.readsBody) return check;
  return {
    ...check,
    judge(subject) {
      const { answer } = subject;
      if (answer?.cutShort !== undefined && answer.json === undefined) return unobserved(`the ${answer.status} answer's body was cut short (${answer.cutShort}), so it could not be read`);
      return check.judge(subject);
    },
  };
}

const byName = new Map(CHECKS.map((c) => [c.name, withBodyGuard(c)]));

export function checkNamed(name: string): Check {
  const check = byName.get(name);
  if (!check) throw new Error(`no check named ${name}`);
  return check;
}
