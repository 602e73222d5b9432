/**
 * Every check in the registry can fail: each is shown a faithful answer (pass) and a broken one
 * (fail), so no check in the suite is one that cannot fail.
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import { describe, expect, it } from 'vitest';
import { ledger, requirementById } from '../../specs/index.ts';
import { CHECKS, checkNamed, type CheckSubject } from '../../suites/checks/registry.ts';
import type { HttpAnswer } from '../../suites/harness/http.ts';

const PORT = 'ce531f90-199f-48c0-816c-13e38010b442';
const NET = '3cb9bc59-5699-4588-a4b1-b87f96708bc6';
const SUBNET = 'f8a6e8f8-c2ec-497c-9f23-da9616de54ef';

function answer(status: number, json: unknown, headers: Record<string, string> = {}): HttpAnswer {
  const text = json === undefined ? '' : typeof json === 'string' ? json : JSON.stringify(json);
  return { status, headers: { 'content-type': 'application/json', ...headers }, text, json: typeof json === 'string' ? undefined : json };
}

const attachment = { fixed_ips: [{ ip_address: '192.168.1.3', subnet_id: SUBNET }], mac_addr: 'fa:16:3e:4c:2c:30', net_id: NET, port_id: PORT, port_state: 'ACTIVE' };
const good200 = answer(200, { interfaceAttachment: attachment }, { 'openstack-api-version': 'compute 2.1' });

function subject(requirement: RequirementId, extra: Omit<CheckSubject, 'requirement' | 'microversion'> & { microversion?: string }): CheckSubject {
  return { requirement: requirementById(requirement), microversion: '2.1', ...extra };
}

/** For each check: a requirement it serves, a subject it must pass and one it must fail. */
const CASES: Record<string, { requirement: RequirementId; pass: Omit<CheckSubject, 'requirement' | 'microversion'> & { microversion?: string }; fail: Omit<CheckSubject, 'requirement' | 'microversion'> & { microversion?: string } }> = {
  status_code_conformance: { requirement: 'CI-020', pass: { answer: answer(400, { badRequest: { code: 400, message: 'x' } }) }, fail: { answer: good200 } },
  not_a_server_error: { requirement: 'CI-037', pass: { answer: answer(503, {}) }, fail: { answer: answer(500, {}) } },
  documented_status_conformance: { requirement: 'CI-063', pass: { answer: answer(409, {}) }, fail: { answer: answer(418, {}) } },
  response_wrapper_conformance: { requirement: 'CI-002', pass: { answer: good200 }, fail: { answer: answer(200, attachment) } },
  response_field_conformance: { requirement: 'CI-004', pass: { answer: good200 }, fail: { answer: answer(200, { interfaceAttachment: { ...attachment, mac_addr: 'fa-16-3e-4c-2c-30' } }) } },
  echo_conformance: { requirement: 'CI-008', pass: { answer: good200, asked: { portId: PORT } }, fail: { answer: answer(200, { interfaceAttachment: { ...attachment, port_id: NET } }), asked: { portId: PORT } } },
  nothing_attached: { requirement: 'CI-020', pass: { interfacesBefore: ['a'], interfacesAfter: ['a'] }, fail: { interfacesBefore: ['a'], interfacesAfter: ['a', 'b'] } },
  attachment_visible: { requirement: 'CI-013', pass: { listedAfter: true, showAnswer: good200, asked: { portId: PORT } }, fail: { listedAfter: false, showAnswer: good200, asked: { portId: PORT } } },
  detach_removes: { requirement: 'CI-014', pass: { detachAnswer: answer(202, undefined), goneAfterDetach: true }, fail: { detachAnswer: answer(202, undefined), goneAfterDetach: false } },
  www_authenticate_conformance: { requirement: 'CI-052', pass: { answer: answer(401, {}, { 'www-authenticate': 'Keystone uri="http://x"' }) }, fail: { answer: answer(401, {}) } },
  retry_after_conformance: { requirement: 'CI-060', pass: { answer: answer(503, {}, { 'retry-after': '5' }) }, fail: { answer: answer(503, {}) } },
  allow_header_conformance: { requirement: 'CI-056', pass: { answer: answer(405, {}, { allow: 'GET, POST' }) }, fail: { answer: answer(405, {}, { allow: 'GET' }) } },
  content_type_conformance: { requirement: 'CI-070', pass: { answer: good200 }, fail: { answer: answer(200, { interfaceAttachment: attachment }, { 'content-type': 'text/html' }) } },
  concurrent_attach_single_winner: { requirement: 'CI-100', pass: { sequence: { together: [good200, answer(409, {}), answer(409, {})] } }, fail: { sequence: { together: [good200, good200, answer(409, {})] } } },
  listing_matches_model: {
    requirement: 'CI-101',
    pass: { sequence: { modelAttached: [PORT], listed: ['boot', PORT], shown: [{ portId: PORT, answer: good200 }] } },
    fail: { sequence: { modelAttached: [PORT], listed: ['boot'], shown: [{ portId: PORT, answer: good200 }] } },
  },
  detach_removes_only_its_port: {
    requirement: 'CI-102',
    pass: { sequence: { detachedPort: 'a' }, interfacesBefore: ['boot', 'a', 'b'], interfacesAfter: ['boot', 'b'] },
    fail: { sequence: { detachedPort: 'a' }, interfacesBefore: ['boot', 'a', 'b'], interfacesAfter: ['boot'] },
  },
  nothing_unknown_attached: {
    requirement: 'CI-103',
    pass: { sequence: { modelAttached: [], baseline: ['boot'], listed: ['boot'], boundInNeutron: ['boot'], released: [PORT], shown: [{ portId: PORT, answer: answer(404, {}) }] } },
    fail: { sequence: { modelAttached: [], baseline: ['boot'], listed: ['boot'], boundInNeutron: ['boot', PORT], released: [PORT], shown: [{ portId: PORT, answer: good200 }] } },
  },
  created_port_deleted: {
    requirement: 'CI-104',
    pass: { sequence: { createdPort: { portId: PORT, answer: answer(404, { NeutronError: {} }) } } },
    fail: { sequence: { createdPort: { portId: PORT, answer: answer(200, { port: { id: PORT } }) } } },
  },
  fault_body_conformance: { requirement: 'CI-071', pass: { answer: answer(404, { itemNotFound: { code: 404, message: 'gone' } }) }, fail: { answer: answer(404, { message: 'gone', code: '404 Not Found', title: 'Not Found' }) } },
  tag_echo_conformance: { requirement: 'CI-093', pass: { answer: answer(200, { interfaceAttachment: { ...attachment, tag: 'public' } }), asked: { tag: 'public' }, microversion: '2.70' }, fail: { answer: good200, asked: { tag: 'public' }, microversion: '2.70' } },
  microversion_header_conformance: { requirement: 'CI-096', pass: { answer: good200 }, fail: { answer: answer(200, { interfaceAttachment: attachment }, { 'openstack-api-version': 'compute 2.70' }) } },
};

describe('check registry', () => {
  it('has a pass/fail case for every registered check', () => {
    expect(Object.keys(CASES).sort()).toEqual(CHECKS.map((c) => c.name).sort());
  });

  for (const check of CHECKS) {
    it(`${check.name} passes a faithful answer and fails a broken one`, () => {
      const c = CASES[check.name];
      if (!c) throw new Error(`no case for ${check.name}`);
      expect(checkNamed(check.name).judge(subject(c.requirement, c.pass))).toEqual({ status: 'pass' });
      expect(checkNamed(check.name).judge(subject(c.requirement, c.fail)).status).toBe('fail');
    });
  }

  it('every check named by the ledger is registered, and every registered check is used by a requirement', () => {
    const registered = new Set(CHECKS.map((c) => c.name));
    const named = new Set(ledger.requirements.flatMap((r) => r.checks));
    for (const name of named) expect(registered.has(name), `ledger names unregistered check ${name}`).toBe(true);
    for (const name of registered) expect(named.has(name), `check ${name} serves no requirement`).toBe(true);
  });

  it('field and echo checks leave a missing wrapper to CI-002: fields at the top level still pass', () => {
    expect(checkNamed('response_field_conformance').judge(subject('CI-004', { answer: answer(200, attachment) }))).toEqual({ status: 'pass' });
  });

  it('echo checks do not judge a malformed field (its field requirement does)', () => {
    const verdict = checkNamed('echo_conformance').judge(subject('CI-008', { answer: answer(200, { interfaceAttachment: { ...attachment, port_id: 42 } }), asked: { portId: PORT } }));
    expect(verdict.status).toBe('not-exercisable');
  });

  it('fault_body_conformance exempts oslo.middleware sizelimit\'s 413 (a layer in front of Nova) and says so', () => {
    const sizelimit = answer(413, { message: 'Request is too large.<br /><br />\n\n\n', code: '413 Request Entity Too Large', title: 'Request Entity Too Large' });
    const verdict = checkNamed('fault_body_conformance').judge(subject('CI-071', { answer: sizelimit }));
    expect(verdict).toMatchObject({ status: 'not-exercisable', exemptedLayer: 'oslo.middleware sizelimit' });
    expect(verdict.status !== 'pass' && verdict.message).toMatch(/in front of Nova/);
  });

  it('fault_body_conformance still judges webob\'s body where no layer in front answers (a 400 is Nova\'s)', () => {
    const webob400 = answer(400, { message: 'bad', code: '400 Bad Request', title: 'Bad Request' });
    expect(checkNamed('fault_body_conformance').judge(subject('CI-071', { answer: webob400 })).status).toBe('fail');
  });

  it('the stateful checks leave what is not theirs alone', () => {
    const judge = (name: string, requirement: RequirementId, extra: Omit<CheckSubject, 'requirement' | 'microversion'>) => checkNamed(name).judge(subject(requirement, extra)).status;
    // No attach won: a free port refused by all is CI-001's, not a concurrency finding.
    expect(judge('concurrent_attach_single_winner', 'CI-100', { sequence: { together: [answer(409, {}), answer(409, {})] } })).toBe('not-exercisable');
    // The winner with a 400 for the other: not Nova's 409.
    expect(judge('concurrent_attach_single_winner', 'CI-100', { sequence: { together: [good200, answer(400, {})] } })).toBe('fail');
    // A port listed twice is not the model's single attachment.
    expect(judge('listing_matches_model', 'CI-101', { sequence: { modelAttached: [PORT], listed: [PORT, PORT], shown: [{ portId: PORT, answer: good200 }] } })).toBe('fail');
    // An extra listed port is CI-103's, not CI-101's.
    expect(judge('listing_matches_model', 'CI-101', { sequence: { modelAttached: [], listed: [PORT], shown: [] } })).toBe('pass');
    expect(judge('nothing_unknown_attached', 'CI-103', { sequence: { modelAttached: [], baseline: [], listed: [PORT] } })).toBe('fail');
    // An unreadable list is a missing observation: error, never fail.
    expect(judge('nothing_unknown_attached', 'CI-103', { sequence: { modelAttached: [], listed: null } })).toBe('error');
  });

  it('the response schema rejects the gophercloud fixture subnet id that is not a UUID', () => {
    const broken = { interfaceAttachment: { ...attachment, fixed_ips: [{ ip_address: '10.0.0.1', subnet_id: '45906d64-a548-4276-h1f8-kcffa80fjbnl' }] } };
    expect(checkNamed('response_field_conformance').judge(subject('CI-003', { answer: answer(200, broken) })).status).toBe('fail');
  });
});
