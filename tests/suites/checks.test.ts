/**
 * Every check in the registry can fail: each is shown a faithful answer (pass) and a broken one
 * (fail), so no check in the suite is one that cannot fail.
 */
import type { CheckName, RequirementId } from '../../specs/ledger-types.ts';
import { describe, expect, it } from 'vitest';
import { ledger, requirementById } from '../../specs/index.ts';
import { CHECKS, runCheck, type Observation, type Verdict } from '../../suites/checks/registry.ts';
import type { HttpAnswer } from '../../suites/harness/http.ts';

const PORT = 'ce531f90-199f-48c0-816c-13e38010b442';
const NET = '3cb9bc59-5699-4588-a4b1-b87f96708bc6';
const SUBNET = 'f8a6e8f8-c2ec-497c-9f23-da9616de54ef';

function answer(status: number, json: unknown, headers: Record<string, string> = {}): HttpAnswer {
  const text = json === undefined ? '' : typeof json === 'string' ? json : JSON.stringify(json);
  return { status, headers: { 'content-type': 'application/json', ...headers }, text, json: typeof json === 'string' ? undefined : json };
}

const attachment = {
  fixed_ips: [{ ip_address: '192.168.1.3', subnet_id: SUBNET }],
  mac_addr: 'fa:16:3e:4c:2c:30',
  net_id: NET,
  port_id: PORT,
  port_state: 'ACTIVE',
};
const good200 = answer(200, { interfaceAttachment: attachment }, { 'openstack-api-version': 'compute 2.1' });

/** An answer observation (a create's), at 2.1 unless said. */
function answered(a: HttpAnswer, extra: Partial<Extract<Observation, { kind: 'answer' }>> = {}): Observation {
  return { kind: 'answer', answer: a, microversion: '2.1', ...extra };
}

/** For each check: a requirement that names it (its arguments and accepted statuses come from there), an observation it must pass and one it must fail. */
const CASES: Readonly<Record<CheckName, { requirement: RequirementId; pass: Observation; fail: Observation }>> = {
  status_code_conformance: { requirement: 'CI-020', pass: answered(answer(400, { badRequest: { code: 400, message: 'x' } })), fail: answered(good200) },
  not_a_server_error: { requirement: 'CI-037', pass: answered(answer(503, {})), fail: answered(answer(500, {})) },
  documented_status_conformance: { requirement: 'CI-063', pass: answered(answer(409, {})), fail: answered(answer(418, {})) },
  response_wrapper_conformance: { requirement: 'CI-002', pass: answered(good200), fail: answered(answer(200, attachment)) },
  response_field_conformance: {
    requirement: 'CI-004',
    pass: answered(good200),
    fail: answered(answer(200, { interfaceAttachment: { ...attachment, mac_addr: 'fa-16-3e-4c-2c-30' } })),
  },
  echo_conformance: {
    requirement: 'CI-008',
    pass: answered(good200, { asked: { portId: PORT } }),
    fail: answered(answer(200, { interfaceAttachment: { ...attachment, port_id: NET } }), { asked: { portId: PORT } }),
  },
  nothing_attached: {
    requirement: 'CI-020',
    pass: { kind: 'refusal', answer: answer(400, {}), microversion: '2.1', before: ['a'], after: ['a'] },
    fail: { kind: 'refusal', answer: answer(400, {}), microversion: '2.1', before: ['a'], after: ['a', 'b'] },
  },
  attachment_visible: {
    requirement: 'CI-013',
    pass: { kind: 'visibility', portId: PORT, listed: true, show: good200 },
    fail: { kind: 'visibility', portId: PORT, listed: false, show: good200 },
  },
  detach_removes: {
    requirement: 'CI-014',
    pass: { kind: 'detach', portId: PORT, answer: answer(202, undefined), gone: true },
    fail: { kind: 'detach', portId: PORT, answer: answer(202, undefined), gone: false },
  },
  www_authenticate_conformance: {
    requirement: 'CI-052',
    pass: answered(answer(401, {}, { 'www-authenticate': 'Keystone uri="http://x"' })),
    fail: answered(answer(401, {})),
  },
  retry_after_conformance: { requirement: 'CI-060', pass: answered(answer(503, {}, { 'retry-after': '5' })), fail: answered(answer(503, {})) },
  allow_header_conformance: {
    requirement: 'CI-056',
    pass: answered(answer(405, {}, { allow: 'GET, POST' })),
    fail: answered(answer(405, {}, { allow: 'GET' })),
  },
  content_type_conformance: {
    requirement: 'CI-070',
    pass: answered(good200),
    fail: answered(answer(200, { interfaceAttachment: attachment }, { 'content-type': 'text/html' })),
  },
  concurrent_attach_single_winner: {
    requirement: 'CI-100',
    pass: { kind: 'together', answers: [good200, answer(409, {}), answer(409, {})] },
    fail: { kind: 'together', answers: [good200, good200, answer(409, {})] },
  },
  listing_matches_model: {
    requirement: 'CI-101',
    pass: settled({ modelAttached: [PORT], listed: ['boot', PORT], shown: [{ portId: PORT, answer: good200 }] }),
    fail: settled({ modelAttached: [PORT], listed: ['boot'], shown: [{ portId: PORT, answer: good200 }] }),
  },
  detach_removes_only_its_port: {
    requirement: 'CI-102',
    pass: { kind: 'detach-settled', portId: 'a', before: ['boot', 'a', 'b'], after: ['boot', 'b'] },
    fail: { kind: 'detach-settled', portId: 'a', before: ['boot', 'a', 'b'], after: ['boot'] },
  },
  nothing_unknown_attached: {
    requirement: 'CI-103',
    pass: settled({
      modelAttached: [],
      baseline: ['boot'],
      listed: ['boot'],
      boundInNeutron: ['boot'],
      released: [PORT],
      shown: [{ portId: PORT, answer: answer(404, {}) }],
    }),
    fail: settled({
      modelAttached: [],
      baseline: ['boot'],
      listed: ['boot'],
      boundInNeutron: ['boot', PORT],
      released: [PORT],
      shown: [{ portId: PORT, answer: good200 }],
    }),
  },
  created_port_deleted: {
    requirement: 'CI-104',
    pass: { kind: 'created-port', portId: PORT, answer: answer(404, { NeutronError: {} }) },
    fail: { kind: 'created-port', portId: PORT, answer: answer(200, { port: { id: PORT } }) },
  },
  fault_body_conformance: {
    requirement: 'CI-071',
    pass: answered(answer(404, { itemNotFound: { code: 404, message: 'gone' } })),
    fail: answered(answer(404, { message: 'gone', code: '404 Not Found', title: 'Not Found' })),
  },
  tag_echo_conformance: {
    requirement: 'CI-093',
    pass: answered(answer(200, { interfaceAttachment: { ...attachment, tag: 'public' } }), { asked: { tag: 'public' }, microversion: '2.70' }),
    fail: answered(good200, { asked: { tag: 'public' }, microversion: '2.70' }),
  },
  microversion_header_conformance: {
    requirement: 'CI-096',
    pass: answered(good200),
    fail: answered(answer(200, { interfaceAttachment: attachment }, { 'openstack-api-version': 'compute 2.70' })),
  },
};

/** A settled sequence view with nothing in it but what is given. */
function settled(view: Partial<Extract<Observation, { kind: 'settled' }>>): Observation {
  return { kind: 'settled', modelAttached: [], baseline: [], listed: [], shown: [], released: [], boundInNeutron: null, ...view };
}

/** Runs the check `name` as requirement `id` calls it (its arguments and accepted statuses from the ledger). */
function runAs(id: RequirementId, name: CheckName, observation: Observation): Verdict {
  const requirement = requirementById(id);
  const call = requirement.checks.find((c) => c.check === name);
  if (!call) throw new Error(`${id} does not name ${name}`);
  return runCheck(call, observation, requirement.expect.statuses);
}

const CHECK_NAMES = Object.keys(CHECKS) as CheckName[];

describe('check registry', () => {
  it('has a pass/fail case for every registered check', () => {
    expect(Object.keys(CASES).sort()).toEqual([...CHECK_NAMES].sort());
  });

  for (const name of CHECK_NAMES) {
    it(`${name} passes a faithful answer and fails a broken one`, () => {
      const c = CASES[name];
      expect(runAs(c.requirement, name, c.pass)).toEqual({ status: 'pass' });
      expect(runAs(c.requirement, name, c.fail).status).toBe('fail');
    });
  }

  it('every check named by the ledger is registered, and every registered check is used by a requirement', () => {
    const registered = new Set<string>(CHECK_NAMES);
    const named = new Set(ledger.requirements.flatMap((r) => r.checks.map((c) => c.check)));
    for (const name of named) expect(registered.has(name), `ledger names unregistered check ${name}`).toBe(true);
    for (const name of registered) expect(named.has(name as CheckName), `check ${name} serves no requirement`).toBe(true);
  });

  it('field and echo checks leave a missing wrapper to CI-002: fields at the top level still pass', () => {
    expect(runAs('CI-004', 'response_field_conformance', answered(answer(200, attachment)))).toEqual({ status: 'pass' });
  });

  it('echo checks do not judge a malformed field (its field requirement does)', () => {
    const verdict = runAs(
      'CI-008',
      'echo_conformance',
      answered(answer(200, { interfaceAttachment: { ...attachment, port_id: 42 } }), { asked: { portId: PORT } }),
    );
    expect(verdict.status).toBe('not-exercisable');
  });

  it("fault_body_conformance exempts oslo.middleware sizelimit's 413 (a layer in front of Nova) and says so", () => {
    const sizelimit = answer(413, {
      message: 'Request is too large.<br /><br />\n\n\n',
      code: '413 Request Entity Too Large',
      title: 'Request Entity Too Large',
    });
    const verdict = runAs('CI-071', 'fault_body_conformance', answered(sizelimit));
    expect(verdict).toMatchObject({ status: 'not-exercisable', exemptedLayer: 'oslo.middleware sizelimit' });
    expect(verdict.status !== 'pass' && verdict.message).toMatch(/in front of Nova/);
  });

  it("fault_body_conformance with a fault name: a 413 must be overLimit (CI-072), sizelimit's 413 stays exempt", () => {
    expect(runAs('CI-072', 'fault_body_conformance', answered(answer(413, { overLimit: { code: 413, message: 'too large' } })))).toEqual({ status: 'pass' });
    const misnamed = runAs('CI-072', 'fault_body_conformance', answered(answer(413, { computeFault: { code: 413, message: 'too large' } })));
    expect(misnamed).toMatchObject({ status: 'fail', message: expect.stringMatching(/names the fault "computeFault"; Nova names it "overLimit"/) });
    const sizelimit = answer(413, { message: 'Request is too large.', code: '413 Request Entity Too Large', title: 'Request Entity Too Large' });
    expect(runAs('CI-072', 'fault_body_conformance', answered(sizelimit))).toMatchObject({
      status: 'not-exercisable',
      exemptedLayer: 'oslo.middleware sizelimit',
    });
  });

  it("fault_body_conformance still judges webob's body where no layer in front answers (a 400 is Nova's)", () => {
    const webob400 = answer(400, { message: 'bad', code: '400 Bad Request', title: 'Bad Request' });
    expect(runAs('CI-071', 'fault_body_conformance', answered(webob400)).status).toBe('fail');
  });

  it('the stateful checks leave what is not theirs alone', () => {
    const judge = (name: CheckName, requirement: RequirementId, observation: Observation) => runAs(requirement, name, observation).status;
    // No attach won: a free port refused by all is CI-001's, not a concurrency finding.
    expect(judge('concurrent_attach_single_winner', 'CI-100', { kind: 'together', answers: [answer(409, {}), answer(409, {})] })).toBe('not-exercisable');
    // The winner with a 400 for the other: not Nova's 409.
    expect(judge('concurrent_attach_single_winner', 'CI-100', { kind: 'together', answers: [good200, answer(400, {})] })).toBe('fail');
    // A port listed twice is not the model's single attachment.
    expect(judge('listing_matches_model', 'CI-101', settled({ modelAttached: [PORT], listed: [PORT, PORT], shown: [{ portId: PORT, answer: good200 }] }))).toBe(
      'fail',
    );
    // An extra listed port is CI-103's, not CI-101's.
    expect(judge('listing_matches_model', 'CI-101', settled({ modelAttached: [], listed: [PORT], shown: [] }))).toBe('pass');
    expect(judge('nothing_unknown_attached', 'CI-103', settled({ modelAttached: [], baseline: [], listed: [PORT] }))).toBe('fail');
    // An unreadable list is a missing observation: error, never fail.
    expect(judge('nothing_unknown_attached', 'CI-103', settled({ modelAttached: [], listed: null }))).toBe('error');
  });

  it('a check refuses an observation of a kind it does not judge (a bug in the suite, not a verdict)', () => {
    expect(() => runAs('CI-020', 'nothing_attached', answered(answer(400, {})))).toThrow(/does not judge a answer observation/);
  });

  it('the response schema rejects the gophercloud fixture subnet id that is not a UUID', () => {
    const broken = { interfaceAttachment: { ...attachment, fixed_ips: [{ ip_address: '10.0.0.1', subnet_id: '45906d64-a548-4276-h1f8-kcffa80fjbnl' }] } };
    expect(runAs('CI-003', 'response_field_conformance', answered(answer(200, broken))).status).toBe('fail');
  });
});
