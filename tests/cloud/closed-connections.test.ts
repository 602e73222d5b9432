/**
 * A server that closes every connection right after its answer without `Connection: close`
 * (uwsgi's http-socket, Debian's nova-api default; issue 10, finding 2). The suite must give the
 * same verdict as against a server that keeps connections open, with no error: a request that meets
 * the closed pooled socket is sent again once, on a new connection, and the record says so.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloud, type RunningFakeCloud } from '../../fixtures/fake-cloud/index.ts';
import { HttpClient } from '../../suites/harness/http.ts';
import { RECONNECT_RECORD_HEADER } from '../../contract/outcome-types.ts';
import { Redactor } from '../../suites/harness/redact.ts';

describe('the HTTP client against a server that closes each connection after its answer', () => {
  let cloud: RunningFakeCloud;
  beforeAll(async () => {
    cloud = await startFakeCloud({ closeAfterAnswer: true });
  });
  afterAll(() => cloud.close());

  it('every request is answered; those that met a closed socket say so in their record; none is sent twice', async () => {
    const client = new HttpClient(new Redactor([]), 5_000);
    const { seed } = cloud;
    const collection = `${seed.compute_url_with_project}/servers/${seed.server_id}/os-interface`;
    const headers = { 'X-Auth-Token': seed.token, 'Content-Type': 'application/json' };
    let reconnected = 0;
    for (let i = 0; i < 20; i++) {
      const list = await client.send({ method: 'GET', url: collection, headers });
      expect(list.transportCode).toBeUndefined();
      expect(list.answer?.status).toBe(200);
      if (list.record.response?.headers[RECONNECT_RECORD_HEADER] !== undefined) reconnected++;
    }
    // The pooled socket is closed after every answer: each request but the first meets it.
    expect(reconnected).toBeGreaterThan(0);
    // A create that met the closed socket was not attached twice: one attachment per port asked for.
    const before = cloud.state().attachments;
    for (const portId of seed.port_ids) {
      const created = await client.send({ method: 'POST', url: collection, headers, body: JSON.stringify({ interfaceAttachment: { port_id: portId } }) });
      expect(created.answer?.status).toBe(200);
    }
    expect(cloud.state().attachments).toBe(before + seed.port_ids.length);
  });

  it('a request whose fresh connection is reset is not sent again: one try, one error', async () => {
    let hits = 0;
    const server = http.createServer((req) => {
      hits++;
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new HttpClient(new Redactor([]), 5_000);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      for (let i = 0; i < 3; i++) expect((await client.send({ method: 'POST', url, body: '{}' })).transportCode).toBe('ECONNRESET');
      expect(hits).toBe(3);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
