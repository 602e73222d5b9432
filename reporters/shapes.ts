/**
 * Runtime checks of the JSON that tests hand the reporter. Types say what the harness means to
 * send; these say what actually arrived, so a malformed outcome becomes a note in the report
 * instead of a crash of the reporter (which would leave no report at all).
 */
import { isRequirementId } from '../specs/index.ts';
import type { ExchangeRecord, OutcomeStatus, RequirementOutcome, SequenceRecord, SequenceStep } from '../contract/outcome-types.ts';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const OUTCOME_STATUSES: ReadonlySet<string> = new Set<OutcomeStatus>(['pass', 'fail', 'not-exercisable', 'error']);

function asHeaders(value: unknown): Record<string, string> | null {
  if (!isObject(value)) return null;
  const out: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string') out[name] = item;
    else if (typeof item === 'number' || Array.isArray(item)) out[name] = String(item);
    else return null;
  }
  return out;
}

export function asExchange(value: unknown): ExchangeRecord | null {
  if (!isObject(value) || !isObject(value.request)) return null;
  const { request, response, transportError, durationMs, curl } = value;
  const requestHeaders = asHeaders(request.headers ?? {});
  if (typeof request.method !== 'string' || typeof request.url !== 'string' || requestHeaders === null) return null;
  if (request.body !== undefined && typeof request.body !== 'string') return null;
  let parsedResponse: ExchangeRecord['response'];
  if (response !== undefined) {
    if (!isObject(response) || typeof response.status !== 'number' || typeof response.body !== 'string') return null;
    const responseHeaders = asHeaders(response.headers ?? {});
    if (responseHeaders === null) return null;
    parsedResponse = { status: response.status, headers: responseHeaders, body: response.body };
  }
  if (transportError !== undefined && typeof transportError !== 'string') return null;
  return {
    request: {
      method: request.method,
      url: request.url,
      headers: requestHeaders,
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    ...(parsedResponse === undefined ? {} : { response: parsedResponse }),
    ...(transportError === undefined ? {} : { transportError }),
    durationMs: typeof durationMs === 'number' && Number.isFinite(durationMs) ? durationMs : 0,
    curl: typeof curl === 'string' ? curl : '',
  };
}

/** A well-formed outcome, or null. Malformed evidence items are dropped, not the whole outcome. */
export function asOutcome(value: unknown): RequirementOutcome | null {
  if (!isObject(value)) return null;
  const { requirement, status, check, message, evidence, replay, exemptedLayer, sequence } = value;
  if (typeof requirement !== 'string' || !isRequirementId(requirement) || typeof status !== 'string' || !OUTCOME_STATUSES.has(status)) return null;
  const exchanges = Array.isArray(evidence) ? evidence.map(asExchange).filter((e): e is ExchangeRecord => e !== null) : [];
  let parsedReplay: RequirementOutcome['replay'];
  if (isObject(replay) && typeof replay.seed === 'number') {
    parsedReplay = typeof replay.path === 'string' ? { seed: replay.seed, path: replay.path } : { seed: replay.seed };
  }
  return {
    requirement,
    status: status as OutcomeStatus,
    check: typeof check === 'string' ? check : '(unnamed check)',
    message: typeof message === 'string' ? message : '',
    evidence: exchanges,
    ...(typeof exemptedLayer === 'string' ? { exemptedLayer } : {}),
    ...(parsedReplay === undefined ? {} : { replay: parsedReplay }),
    ...(asSequence(sequence) ?? {}),
  };
}

/** A well-formed failing sequence (as `{ sequence }`), or null; malformed steps and exchanges are dropped. */
function asSequence(value: unknown): { sequence: SequenceRecord } | null {
  if (!isObject(value) || typeof value.seed !== 'number' || !Array.isArray(value.steps) || typeof value.script !== 'string') return null;
  const steps = value.steps.flatMap((step): SequenceStep[] => {
    if (!isObject(step) || typeof step.n !== 'number' || typeof step.title !== 'string' || !Array.isArray(step.exchanges)) return [];
    const together = Array.isArray(step.together) ? step.together.filter((i): i is number => typeof i === 'number') : [];
    const exchanges = step.exchanges.map(asExchange).filter((e): e is ExchangeRecord => e !== null);
    return [{ n: step.n, title: step.title, exchanges, together, outcome: typeof step.outcome === 'string' ? step.outcome : '' }];
  });
  return { sequence: { seed: value.seed, ...(typeof value.path === 'string' ? { path: value.path } : {}), steps, script: value.script } };
}
