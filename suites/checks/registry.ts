/**
 * The registry of checks: small named functions that judge what a scenario observed against one
 * requirement of the ledger. Requirements name their checks (specs/requirements.ts `checks`); a
 * scenario gathers the observations (it does the I/O), a check only judges them.
 *
 * Names follow Schemathesis's vocabulary where the idea is the same (status_code_conformance,
 * not_a_server_error, response_schema_conformance → here split by field, content_type_conformance).
 */
import type { ValidateFunction } from 'ajv';
import type { AskedKey, CheckCall, CheckName, Requirement, ResponseField } from '../../specs/ledger-types.ts';
import { createAjv } from '../../specs/derive/ajv.ts';
import { compareMicroversions, responseRangeFor } from '../../specs/index.ts';
import { TAG_IN_RESPONSE } from '../../specs/formats/tag.ts';
import type { HttpAnswer } from '../harness/http.ts';

/** What the request asked for: echo checks compare the answer to it. */
export interface AskedFor {
  readonly portId?: string;
  readonly netId?: string;
  readonly ip?: string;
  /** The tag sent, or null when none was sent. */
  readonly tag?: string | null;
}

/**
 * What a scenario observed, handed to the checks: one tagged union, each kind holding exactly what
 * was seen. A list that could not be read is null (a missing observation: the check says error).
 */
export type Observation =
  /** An answer to a request on the collection URL (a create, or another method). */
  | {
      readonly kind: 'answer';
      readonly answer: HttpAnswer;
      /** Microversion the request asked for ("2.1" when it sent no header). */
      readonly microversion: string;
      readonly asked?: AskedFor;
      /** Port ids attached before the create (an allocation must name a new one); absent when not read. */
      readonly before?: readonly string[] | null;
      /** Networks the project can see (from the network endpoint), for judging an allocation. */
      readonly networksVisible?: readonly string[];
    }
  /** An answer to a request that must be refused, with the server's interfaces before and after it. */
  | {
      readonly kind: 'refusal';
      readonly answer: HttpAnswer;
      readonly microversion: string;
      readonly asked?: AskedFor;
      readonly before: readonly string[] | null;
      readonly after: readonly string[] | null;
    }
  /** After a 200: whether the port is listed (null: the list could not be read) and show's answer. */
  | {
      readonly kind: 'visibility';
      readonly portId: string | undefined;
      readonly listed: boolean | null;
      readonly show: HttpAnswer | undefined;
      /** Why show got no answer, when it got none. */
      readonly showUnanswered?: string;
    }
  /** A detach: the DELETE's answer (or why none came) and whether the port left the list. */
  | {
      readonly kind: 'detach';
      readonly portId: string;
      readonly answer: HttpAnswer | undefined;
      readonly unanswered?: string;
      /** true: seen gone; false: still listed at the deadline; null: the list was never read after the DELETE. */
      readonly gone: boolean | null;
      /** How long the suite waited for the port to leave the list (--detach-timeout-s, with backoff). */
      readonly waitedMs?: number;
    }
  /** Requests a sequence sent together (a concurrent group): each answer, undefined where none came. */
  | { readonly kind: 'together'; readonly answers: ReadonlyArray<HttpAnswer | undefined> }
  /** A sequence's view once the cloud settled after a command. */
  | {
      readonly kind: 'settled';
      /** Ports the model holds attached by the sequence now. */
      readonly modelAttached: readonly string[];
      /** Ports attached before the sequence began (boot ports, others'): never the sequence's to judge. */
      readonly baseline: readonly string[];
      /** The settled interface list as read, duplicates kept; null when it could not be read. */
      readonly listed: readonly string[] | null;
      /** Show's answer for ports of the model and ports the sequence let go. */
      readonly shown: ReadonlyArray<{ readonly portId: string; readonly answer: HttpAnswer | undefined }>;
      /** Ports the sequence detached or never got attached: neither listed, shown nor bound. */
      readonly released: readonly string[];
      /** Neutron's ports whose device_id is the server; null without a network endpoint. */
      readonly boundInNeutron: readonly string[] | null;
    }
  /** A detach a sequence sent, with the settled lists before and after it. */
  | { readonly kind: 'detach-settled'; readonly portId: string; readonly before: readonly string[] | null; readonly after: readonly string[] | null }
  /** A port the cloud created for an attach, detached since: Neutron's answer to GET it once settled. */
  | { readonly kind: 'created-port'; readonly portId: string; readonly answer: HttpAnswer | undefined };

type ObservationKind = Observation['kind'];
type ObservationOf<K extends ObservationKind> = Extract<Observation, { kind: K }>;
/** The kinds that carry one HTTP answer to judge. */
type Answered = 'answer' | 'refusal';

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

/** The arguments a requirement gives one of its checks (its entry in the ledger, without the name). */
type ArgumentsOf<N extends CheckName> = WithoutName<Extract<CheckCall, { check: N }>>;
/** Omit distributed over a union (a check may take one of several argument shapes). */
type WithoutName<C> = C extends unknown ? Omit<C, 'check'> : never;

/**
 * A check: a small named function that judges one observation. It takes the arguments the ledger
 * gives it and the statuses the requirement accepts, never the requirement itself.
 */
export interface Check<N extends CheckName = CheckName, K extends ObservationKind = ObservationKind> {
  /** One line for the report and --help. */
  readonly description: string;
  /** The kinds of observation it judges; any other is a bug in the suite. */
  readonly observes: readonly K[];
  /** Set on checks that read the answer's body: one cut short so that it does not parse is not judged on. */
  readonly readsBody?: true;
  judge(observation: ObservationOf<K>, args: ArgumentsOf<N>, accepted: readonly number[]): Verdict;
}

const PASS: Verdict = { status: 'pass' };
const fail = (message: string): Verdict => ({ status: 'fail', message });
const notExercisable = (message: string): Verdict => ({ status: 'not-exercisable', message });
const unobserved = (message: string): Verdict => ({ status: 'error', message });

// ---- response fields ------------------------------------------------------------------------

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
 * own requirement (response_wrapper_conformance), so a missing wrapper is judged once, not once per field.
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

const statusCodeConformance: Check<'status_code_conformance', Answered> = {
  description: 'The status is one the requirement accepts.',
  observes: ['answer', 'refusal'],
  judge({ answer }, _args, accepted) {
    return accepted.includes(answer.status) ? PASS : fail(`expected ${accepted.join(' or ')}, got ${answer.status}`);
  },
};

const SERVER_ERROR_ALLOWED = 503;
const notAServerError: Check<'not_a_server_error', Answered> = {
  description: 'No answer is a 5xx other than the documented 503.',
  observes: ['answer', 'refusal'],
  judge({ answer }) {
    return answer.status >= 500 && answer.status <= 599 && answer.status !== SERVER_ERROR_ALLOWED ? fail(`server error ${answer.status}`) : PASS;
  },
};

const documentedStatusConformance: Check<'documented_status_conformance', Answered> = {
  description: "Every answer below 500 carries a documented or ledger-accepted code (5xx are not_a_server_error's).",
  observes: ['answer', 'refusal'],
  judge({ answer }, _args, accepted) {
    if (answer.status >= 500) return PASS;
    return accepted.includes(answer.status) ? PASS : fail(`status ${answer.status} is neither documented nor accepted by the ledger`);
  },
};

const responseWrapperConformance: Check<'response_wrapper_conformance', Answered> = {
  readsBody: true,
  description: 'A 200 body is {"interfaceAttachment": {...}} and nothing else.',
  observes: ['answer', 'refusal'],
  judge({ answer }) {
    if (answer.status !== 200) return notExercisable('no 200 answer');
    if (answer.json === undefined) return fail('the 200 body is not JSON');
    if (!isObject(answer.json)) return fail(`the 200 body is ${describeValue(answer.json)}, not an object`);
    const keys = Object.keys(answer.json);
    if (!isObject(answer.json.interfaceAttachment)) return fail(`the 200 body has no interfaceAttachment object (keys: ${keys.join(', ') || 'none'})`);
    return keys.length === 1 ? PASS : fail(`the 200 body has keys besides interfaceAttachment: ${keys.filter((k) => k !== 'interfaceAttachment').join(', ')}`);
  },
};

const responseFieldConformance: Check<'response_field_conformance', Answered> = {
  readsBody: true,
  description: 'The field of a 200 body validates against the derived response schema.',
  observes: ['answer', 'refusal'],
  judge({ answer, microversion }, { field }) {
    if (answer.status !== 200) return notExercisable('no 200 answer');
    return judgeField(answer, microversion, field);
  },
};

/** Echo checks judge only well-formed fields: a malformed one is its field requirement's failure. */
function echoedField(answer: HttpAnswer, microversion: string, field: ResponseField): { value: unknown } | Verdict {
  const shape = judgeField(answer, microversion, field);
  if (shape.status !== 'pass') return notExercisable(`${field} is not well-formed; judged by its field requirement`);
  return { value: attachmentFields(answer)?.[field] };
}

/** How the answer names each thing that can be asked for, in a failure message. */
const ASKED_WORDS: Readonly<Record<AskedKey, string>> = { portId: 'port', netId: 'network', ip: 'address' };
const ASKED_ARGUMENT: Readonly<Record<AskedKey, string>> = { portId: 'port_id', netId: 'net_id', ip: 'fixed IP' };

const echoConformance: Check<'echo_conformance', 'answer'> = {
  readsBody: true,
  description: 'A 200 body names the port, network and address that were asked for.',
  observes: ['answer'],
  judge({ answer, microversion, asked, before, networksVisible }, args) {
    if (answer.status !== 200) return notExercisable('no 200 answer');
    if ('allocation' in args) {
      const port = echoedField(answer, microversion, 'port_id');
      if (!('value' in port)) return port;
      if (before?.includes(String(port.value))) return fail(`the answer names port ${String(port.value)}, which was attached before: no port was allocated`);
      if (!networksVisible) return PASS;
      const net = echoedField(answer, microversion, 'net_id');
      if (!('value' in net)) return net;
      return networksVisible.includes(String(net.value))
        ? PASS
        : fail(`the port was allocated on network ${String(net.value)}, which is not among the project's networks`);
    }
    const wanted = asked?.[args.asked];
    if (!wanted) return notExercisable(`no ${ASKED_ARGUMENT[args.asked]} was asked for`);
    const echoed = echoedField(answer, microversion, args.field);
    if (!('value' in echoed)) return echoed;
    if (args.field === 'fixed_ips') {
      // fixed_ips is a list: the asked address must be among its ip_address values.
      const addresses = Array.isArray(echoed.value) ? echoed.value.map((item) => (isObject(item) ? item.ip_address : undefined)) : [];
      return addresses.includes(wanted) ? PASS : fail(`asked for ${ASKED_WORDS[args.asked]} ${wanted}, the answer has ${describeValue(addresses)}`);
    }
    return echoed.value === wanted ? PASS : fail(`asked for ${ASKED_WORDS[args.asked]} ${wanted}, the answer names ${describeValue(echoed.value)}`);
  },
};

const nothingAttached: Check<'nothing_attached', 'refusal'> = {
  description: "The server's interfaces are the same after the request as before it.",
  observes: ['refusal'],
  judge({ before, after }, { request = 'a refused request' }) {
    if (before === null) return unobserved("the server's interface list could not be read before the request");
    if (after === null) return unobserved("the server's interface list could not be read after the request");
    // A second attach must leave exactly the first attachment, which is already in "before".
    const added = after.filter((p) => !before.includes(p));
    if (added.length > 0) return fail(`${request} left ${added.length} new interface(s) attached: ${added.join(', ')}`);
    const removed = before.filter((p) => !after.includes(p));
    return removed.length > 0 ? fail(`the request removed interface(s): ${removed.join(', ')}`) : PASS;
  },
};

const attachmentVisible: Check<'attachment_visible', 'visibility'> = {
  description: "After a 200, the port is in the server's interface list, and show answers 200 for it.",
  observes: ['visibility'],
  judge({ portId, listed, show, showUnanswered }) {
    if (listed === null) return unobserved(`the server's interface list could not be read after the 200, so whether port ${portId ?? ''} is listed is unknown`);
    if (!listed) return fail(`port ${portId ?? ''} is not in the server's interface list after a 200`);
    if (!show) return unobserved(`show of port ${portId ?? ''} got no answer${showUnanswered ? `: ${showUnanswered}` : ''}`);
    if (show.status !== 200) return fail(`show of the attached port answered ${show.status}`);
    const shown = attachmentFields(show);
    return shown?.port_id === portId ? PASS : fail(`show answered port_id ${describeValue(shown?.port_id)}`);
  },
};

const detachRemoves: Check<'detach_removes', 'detach'> = {
  description: 'DELETE of an attached port answers 202 and the port leaves the list.',
  observes: ['detach'],
  judge({ portId, answer, unanswered, gone, waitedMs }, _args, accepted) {
    if (!answer) return unobserved(`the detach got no answer: ${unanswered ?? 'no answer'}`);
    if (!accepted.includes(answer.status)) return fail(`detach answered ${answer.status}, expected ${accepted.join(' or ')}`);
    if (gone === null) return unobserved("the server's interface list could not be read after the detach");
    const waited =
      waitedMs === undefined ? 'after the detach deadline' : `${(waitedMs / 1000).toFixed(1)} s after the detach's ${answer.status} (--detach-timeout-s)`;
    return gone ? PASS : fail(`port ${portId} is still in the server's interface list ${waited}; it is not waited for again`);
  },
};

function headerCheck<N extends CheckName>(description: string, status: number, header: string, extra?: (value: string) => string | null): Check<N, Answered> {
  return {
    description,
    observes: ['answer', 'refusal'],
    judge({ answer }) {
      if (answer.status !== status) return notExercisable(`no ${status} answer`);
      const value = answer.headers[header];
      if (value === undefined) return fail(`a ${status} answer has no ${header} header`);
      const problem = extra?.(value) ?? null;
      return problem === null ? PASS : fail(problem);
    },
  };
}

const wwwAuthenticateConformance = headerCheck<'www_authenticate_conformance'>('A 401 answer carries WWW-Authenticate.', 401, 'www-authenticate');
const retryAfterConformance = headerCheck<'retry_after_conformance'>('A 503 answer carries Retry-After.', 503, 'retry-after');
const allowHeaderConformance = headerCheck<'allow_header_conformance'>('A 405 answer carries an Allow header naming GET and POST.', 405, 'allow', (value) => {
  const methods = value.split(',').map((m) => m.trim().toUpperCase());
  return methods.includes('GET') && methods.includes('POST') ? null : `Allow is "${value}", which does not name GET and POST`;
});

const contentTypeConformance: Check<'content_type_conformance', Answered> = {
  description: 'A 200 answer is application/json.',
  observes: ['answer', 'refusal'],
  judge({ answer }) {
    if (answer.status !== 200) return notExercisable('no 200 answer');
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

const faultBodyConformance: Check<'fault_body_conformance', Answered> = {
  readsBody: true,
  description:
    'An error answer is {"<faultName>": {"code": <status>, "message": "..."}} (or keystonemiddleware\'s {"error": {...}} on 401); answers of layers in front of Nova are exempt.',
  observes: ['answer', 'refusal'],
  judge({ answer }, { faultName }) {
    if (answer.status < 400) return notExercisable('no error answer');
    const front = answeredInFrontOfNova(answer);
    if (front)
      return {
        status: 'not-exercisable',
        message: `the ${answer.status} came from ${front.layer} in front of Nova, not from Nova: ${front.why}`,
        exemptedLayer: front.layer,
      };
    const body = answer.json;
    if (!isObject(body)) return fail(`the ${answer.status} body is not a JSON object`);
    const keys = Object.keys(body);
    const [name] = keys;
    if (keys.length !== 1 || name === undefined) return fail(`the ${answer.status} body has ${keys.length} keys, expected one naming the fault`);
    const fault = body[name];
    if (!isObject(fault)) return fail(`the ${answer.status} body's "${name}" is not an object`);
    if (fault.code !== answer.status) return fail(`the ${answer.status} body's "${name}".code is ${describeValue(fault.code)}`);
    if (typeof fault.message !== 'string' || fault.message.length === 0) return fail(`the ${answer.status} body's "${name}" has no message`);
    return faultName === undefined || name === faultName ? PASS : fail(`the ${answer.status} body names the fault "${name}"; Nova names it "${faultName}"`);
  },
};

const tagEchoConformance: Check<'tag_echo_conformance', Answered> = {
  readsBody: true,
  description: 'From 2.70 a 200 body carries tag (the one asked for, or null); below 2.70 it has none.',
  observes: ['answer', 'refusal'],
  judge({ answer, microversion, asked }) {
    if (answer.status !== 200) return notExercisable('no 200 answer');
    const fields = attachmentFields(answer);
    if (fields === null) return notExercisable('the 200 body is not an object; judged with the response wrapper');
    const atLeast270 = microversion !== 'latest' && compareMicroversions(microversion, TAG_IN_RESPONSE) >= 0;
    if (!atLeast270) return 'tag' in fields ? fail(`a ${microversion} answer carries tag ${describeValue(fields.tag)}`) : PASS;
    if (!('tag' in fields)) return fail(`a ${microversion} answer has no tag`);
    const expected = asked?.tag ?? null;
    return fields.tag === expected ? PASS : fail(`tag is ${describeValue(fields.tag)}, expected ${describeValue(expected)}`);
  },
};

const microversionHeaderConformance: Check<'microversion_header_conformance', Answered> = {
  description: 'A 200 answer carries OpenStack-API-Version: compute <the version asked for>.',
  observes: ['answer', 'refusal'],
  judge({ answer, microversion }) {
    if (answer.status !== 200) return notExercisable('no 200 answer');
    const value = answer.headers['openstack-api-version'];
    if (value === undefined) return fail('no OpenStack-API-Version header');
    const match = /^compute\s+(\S+)$/i.exec(value.trim());
    if (!match) return fail(`OpenStack-API-Version is "${value}"`);
    return microversion === 'latest' || match[1] === microversion ? PASS : fail(`asked for ${microversion}, served ${match[1] ?? ''}`);
  },
};

// ---- stateful sequences (generated attaches and detaches): judged after each command, once the cloud settled ------

const concurrentAttachSingleWinner: Check<'concurrent_attach_single_winner', 'together'> = {
  description: 'Of attaches of one free port sent together, exactly one answers 200 and the others 409.',
  observes: ['together'],
  judge({ answers }) {
    if (answers.length < 2) return notExercisable('no attaches were sent together');
    const missing = answers.filter((a) => a === undefined).length;
    if (missing > 0) return unobserved(`${missing} of ${answers.length} attaches sent together got no answer`);
    const statuses = answers.map((a) => a?.status ?? 0);
    const accepted = statuses.filter((s) => s === 200).length;
    if (accepted === 0)
      return notExercisable(`none of ${answers.length} attaches was accepted (${statuses.join(', ')}); a free port refused is the single attach's requirement`);
    if (accepted > 1) return fail(`${accepted} of ${answers.length} attaches of one port sent together answered 200 (${statuses.join(', ')})`);
    const others = statuses.filter((s) => s !== 200 && s !== 409);
    return others.length === 0 ? PASS : fail(`one attach answered 200, the others ${statuses.filter((s) => s !== 200).join(', ')}; expected 409`);
  },
};

function duplicatesOf(items: readonly string[]): string[] {
  return [...new Set(items.filter((item, index) => items.indexOf(item) !== index))];
}

const listingMatchesModel: Check<'listing_matches_model', 'settled'> = {
  description: 'After the cloud settles, the list holds every port of the model once, and show answers 200 for each.',
  observes: ['settled'],
  judge({ listed, modelAttached, shown }) {
    if (!listed) return unobserved('the interface list could not be read once the cloud settled');
    const twice = duplicatesOf(listed);
    if (twice.length > 0) return fail(`port(s) listed more than once: ${twice.join(', ')}`);
    const missing = modelAttached.filter((p) => !listed.includes(p));
    if (missing.length > 0) return fail(`port(s) the sequence attached are not listed once the cloud settled: ${missing.join(', ')}`);
    for (const portId of modelAttached) {
      const answer = shown.find((s) => s.portId === portId)?.answer;
      if (!answer) return unobserved(`show of ${portId} got no answer`);
      if (answer.status !== 200) return fail(`show of attached port ${portId} answered ${answer.status}`);
      const shownId = attachmentFields(answer)?.port_id;
      if (shownId !== portId) return fail(`show of ${portId} answered port_id ${describeValue(shownId)}`);
    }
    return PASS;
  },
};

const detachRemovesOnlyItsPort: Check<'detach_removes_only_its_port', 'detach-settled'> = {
  description: 'After a detach settles, every other port listed before is still listed and none appeared.',
  observes: ['detach-settled'],
  judge({ portId, before, after }) {
    if (!before || !after) return unobserved('the interface list could not be read before or after the detach');
    const lost = before.filter((p) => p !== portId && !after.includes(p));
    if (lost.length > 0) return fail(`the detach of ${portId} also removed ${lost.join(', ')}`);
    const gained = after.filter((p) => !before.includes(p));
    return gained.length === 0 ? PASS : fail(`after the detach of ${portId}, port(s) appeared: ${gained.join(', ')}`);
  },
};

const nothingUnknownAttached: Check<'nothing_unknown_attached', 'settled'> = {
  description: 'Once settled, no port is listed, bound in Neutron to the server, or shown that the sequence did not attach.',
  observes: ['settled'],
  judge({ listed, modelAttached, baseline, boundInNeutron, released, shown }) {
    if (!listed) return unobserved('the interface list could not be read once the cloud settled');
    const known = new Set([...modelAttached, ...baseline]);
    const listedUnknown = [...new Set(listed.filter((p) => !known.has(p)))];
    if (listedUnknown.length > 0) return fail(`listed port(s) the sequence did not attach: ${listedUnknown.join(', ')}`);
    const boundUnknown = (boundInNeutron ?? []).filter((p) => !known.has(p));
    if (boundUnknown.length > 0)
      return fail(
        `Neutron port(s) bound to the server that the sequence did not attach or has detached: ${boundUnknown.join(', ')} (not listed: ${boundUnknown.filter((p) => !listed.includes(p)).join(', ') || 'none'})`,
      );
    for (const portId of released) {
      const answer = shown.find((s) => s.portId === portId)?.answer;
      if (answer?.status === 200) return fail(`show answers 200 for port ${portId}, which the sequence detached or never got attached`);
    }
    return PASS;
  },
};

const createdPortDeleted: Check<'created_port_deleted', 'created-port'> = {
  description: 'A port the cloud created for an attach is gone from Neutron (404) once its detach settled.',
  observes: ['created-port'],
  judge({ portId, answer }) {
    if (!answer) return unobserved(`Neutron did not answer for port ${portId}`);
    return answer.status === 404 ? PASS : fail(`Neutron still has port ${portId} (GET answered ${answer.status}) after its detach settled`);
  },
};

/** The registry: every check the ledger can name, by name (typed by the ledger's CheckCall). */
export const CHECKS = {
  status_code_conformance: statusCodeConformance,
  not_a_server_error: notAServerError,
  documented_status_conformance: documentedStatusConformance,
  response_wrapper_conformance: responseWrapperConformance,
  response_field_conformance: responseFieldConformance,
  echo_conformance: echoConformance,
  nothing_attached: nothingAttached,
  attachment_visible: attachmentVisible,
  detach_removes: detachRemoves,
  www_authenticate_conformance: wwwAuthenticateConformance,
  retry_after_conformance: retryAfterConformance,
  allow_header_conformance: allowHeaderConformance,
  content_type_conformance: contentTypeConformance,
  fault_body_conformance: faultBodyConformance,
  tag_echo_conformance: tagEchoConformance,
  microversion_header_conformance: microversionHeaderConformance,
  concurrent_attach_single_winner: concurrentAttachSingleWinner,
  listing_matches_model: listingMatchesModel,
  detach_removes_only_its_port: detachRemovesOnlyItsPort,
  nothing_unknown_attached: nothingUnknownAttached,
  created_port_deleted: createdPortDeleted,
} as const satisfies { readonly [N in CheckName]: Check<N, never> | object };

/**
 * Runs one check of a requirement on an observation. A body cut short (the connection reset before
 * it ended) that does not parse was not seen: a check that reads it says so as an error. A cut
 * body that parses is whole (no JSON value is a prefix of a longer one) and is judged as usual; so
 * is the status, which came.
 */
export function runCheck(call: CheckCall, observation: Observation, accepted: readonly number[]): Verdict {
  // The registry is indexed by the call's own name, so its arguments are the check's (TypeScript
  // cannot follow that correlation through a union: this is the one place that widens it).
  const check = CHECKS[call.check] as Check<CheckName, ObservationKind>;
  if (!(check.observes as readonly ObservationKind[]).includes(observation.kind)) {
    throw new Error(`${call.check} does not judge a ${observation.kind} observation (it judges ${check.observes.join(', ')})`);
  }
  if (check.readsBody && (observation.kind === 'answer' || observation.kind === 'refusal')) {
    const { answer } = observation;
    if (answer.cutShort !== undefined && answer.json === undefined)
      return unobserved(`the ${answer.status} answer's body was cut short (${answer.cutShort}), so it could not be read`);
  }
  const { check: _name, ...args } = call;
  return check.judge(observation as never, args as never, accepted);
}

/** Runs every check the ledger names for the requirement; each with its verdict, in the ledger's order. */
export function judgeRequirement(requirement: Requirement, observation: Observation): Array<{ readonly check: CheckName; readonly verdict: Verdict }> {
  return requirement.checks.map((call) => ({ check: call.check, verdict: runCheck(call, observation, requirement.expect.statuses) }));
}
