/**
 * The raw side of the exchange benchmark: the limit for a sequential client. It sends the very
 * requests the suite sent (same method, URL, headers and body bytes, in the same order) through a
 * minimal node:http keep-alive loop and reads every answer to its end, and does nothing else: no
 * generation, no JSON parsing, no judging, no recording.
 */
import http from 'node:http';
import type { HttpRequest } from '../suites/harness/http.ts';

interface PreparedRequest {
  readonly options: http.RequestOptions;
  readonly body: Buffer | undefined;
}

/** URL parsing and body encoding happen once, before the clock starts: the loop only sends. */
export function prepareRequests(requests: readonly HttpRequest[], agent: http.Agent): PreparedRequest[] {
  return requests.map((request) => {
    const url = new URL(request.url);
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    // The suite's client adds Content-Length the same way (suites/harness/http.ts).
    const headers: Record<string, string> = { ...(request.headers ?? {}), ...(body !== undefined ? { 'Content-Length': String(body.length) } : {}) };
    return { options: { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: request.method, headers, agent }, body };
  });
}

function sendOne({ options, body }: PreparedRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      res.on('end', () => resolve(size));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends the prepared requests one after another; resolves with the elapsed milliseconds. */
export async function runRawExchanges(prepared: readonly PreparedRequest[]): Promise<number> {
  const started = performance.now();
  for (const request of prepared) await sendOne(request);
  return performance.now() - started;
}
