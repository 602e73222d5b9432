/**
 * A server that answers before reading the whole request and then resets the connection — uwsgi in
 * front of Nova answering oslo.middleware sizelimit's 413 to a 1 MiB body — must not lose the
 * answer it gave. The real-Nova target showed CI-044 as "error: ECONNRESET" in most runs while curl
 * read the 413 every time. The head that came is an observation (the status is judged); a body that
 * was cut so that it does not parse is not (checks that read it say error, never fail).
 */
import type { RequirementId } from '../../specs/ledger-types.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirementById } from '../../specs/index.ts';
import { runCheck } from '../../suites/checks/registry.ts';
import { HttpClient } from '../../suites/harness/http.ts';
import { CUT_SHORT_RECORD_HEADER } from '../../contract/outcome-types.ts';
import { Redactor } from '../../suites/harness/redact.ts';

const WEBOB_413 = '{"message": "Request is too large.<br /><br />\\n\\n\\n", "code": "413 Request Entity Too Large", "title": "Request Entity Too Large"}';

describe('an answer whose connection is reset before its end', () => {
  let server: http.Server;
  let url = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      // Answer at once, never read the request body, no Content-Length (Debian's uwsgi drops it),
      // then reset: a whole body for /whole, half of it for /half.
      res.writeHead(413, { 'Content-Type': 'application/json' });
      res.write(req.url === '/half' ? WEBOB_413.slice(0, 40) : WEBOB_413);
      setTimeout(() => req.socket.resetAndDestroy(), 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const big = 'x'.repeat(1024 * 1024 + 10);

  it('keeps the status and headers, says the body was cut short, in the answer and the record', async () => {
    const client = new HttpClient(new Redactor([]), 5_000);
    for (let i = 0; i < 5; i++) {
      const exchange = await client.send({ method: 'POST', url: `${url}/whole`, headers: { 'Content-Type': 'application/json' }, body: big });
      expect(exchange.record.transportError).toBeUndefined();
      expect(exchange.answer?.status).toBe(413);
      expect(exchange.answer?.cutShort).toMatch(/ECONNRESET|EPIPE|closed/);
      expect(exchange.record.response?.headers[CUT_SHORT_RECORD_HEADER]).toBeDefined();
    }
  });

  it('the status is judged; a cut body that parses is judged; one that does not is an error, never a failure', async () => {
    const client = new HttpClient(new Redactor([]), 5_000);
    const whole = await client.send({ method: 'POST', url: `${url}/whole`, headers: { 'Content-Type': 'application/json' }, body: big });
    const half = await client.send({ method: 'POST', url: `${url}/half`, headers: { 'Content-Type': 'application/json' }, body: big });
    const judge = (check: string, id: RequirementId, answer: typeof whole.answer) => {
      const requirement = requirementById(id);
      const call = requirement.checks.find((c) => c.check === check);
      if (!call || !answer) throw new Error(`${id} does not name ${check}, or no answer came`);
      return runCheck(call, { kind: 'answer', answer, microversion: '2.1' }, requirement.expect.statuses);
    };
    expect(judge('status_code_conformance', 'CI-044', half.answer).status).toBe('pass');
    expect(judge('fault_body_conformance', 'CI-071', whole.answer)).toMatchObject({ status: 'not-exercisable', exemptedLayer: 'oslo.middleware sizelimit' });
    expect(judge('fault_body_conformance', 'CI-071', half.answer).status).toBe('error');
  });
});
