/**
 * The fake cloud's requests per second against a bare node:http server answering the same bytes,
 * under autocannon with the same connections and duration, measured back to back (the order
 * alternates between rounds). Two requests: the interface list (GET, 200) and a create refused
 * by validation (POST, 400), the two the suite sends most.
 */
import autocannon from 'autocannon';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { RecordedAnswer, RecordedAnswers } from './bare-server.ts';
import { ROOT, startChildServer, startFakeCloudProcess, type ChildServer } from './child-process.ts';
import { median } from './stats.ts';

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
}

export interface LoadComparison {
  readonly request: string;
  readonly expectedStatus: number;
  readonly cloudRps: number;
  readonly bareRps: number;
  /** cloud ÷ bare. */
  readonly ratio: number;
  /** Answers with another status, errors and timeouts, over all rounds: a sound run has none. */
  readonly unexpected: number;
}

interface LoadRequest {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly expectedStatus: number;
}

/** Headers that belong to one connection or one moment; node:http writes its own. */
const PER_CONNECTION = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

function recordAnswer(base: string, request: LoadRequest): Promise<RecordedAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${request.path}`, { method: request.method, headers: request.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: Array<[string, string]> = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          const [name, value] = [res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? ''];
          if (!PER_CONNECTION.has(name.toLowerCase())) headers.push([name, value]);
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

async function load(base: string, request: LoadRequest, options: LoadOptions): Promise<{ rps: number; unexpected: number }> {
  const result = await autocannon({
    url: `${base}${request.path}`,
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    connections: options.connections,
    duration: options.durationSeconds,
  });
  const expected = result.statusCodeStats[String(request.expectedStatus)]?.count ?? 0;
  return { rps: result.requests.total / result.duration, unexpected: result.requests.total - expected + result.errors + result.timeouts };
}

export async function compareCloudWithBare(workDir: string, options: LoadOptions): Promise<LoadComparison[]> {
  const { server: cloud, seed } = await startFakeCloudProcess(path.join(workDir, 'load-seed.json'));
  let bare: ChildServer | null = null;
  try {
    const collection = `${new URL(seed.compute_url_with_project).pathname}/servers/${seed.server_id}/os-interface`;
    const common = { Accept: 'application/json', 'X-Auth-Token': seed.token };
    const requests: LoadRequest[] = [
      { name: 'GET interface list (200)', method: 'GET', path: collection, headers: common, expectedStatus: 200 },
      {
        name: 'POST create refused by validation (400)',
        method: 'POST',
        path: collection,
        headers: { ...common, 'Content-Type': 'application/json', 'OpenStack-API-Version': 'compute 2.1' },
        body: JSON.stringify({ interfaceAttachment: { port_id: 'not-a-uuid' } }),
        expectedStatus: 400,
      },
    ];
    const cloudBase = new URL(seed.compute_url).origin;
    const answers: Record<string, RecordedAnswer> = {};
    for (const request of requests) {
      const answer = await recordAnswer(cloudBase, request);
      if (answer.status !== request.expectedStatus) throw new Error(`${request.name}: the fake cloud answered ${answer.status}`);
      answers[request.method] = answer;
    }
    const answersFile = path.join(workDir, 'bare-answers.json');
    await writeFile(answersFile, JSON.stringify(answers satisfies RecordedAnswers));
    bare = await startChildServer(path.join(ROOT, 'bench/bare-server.ts'), [answersFile]);
    const out: LoadComparison[] = [];
    for (const request of requests) {
      const cloudRps: number[] = [];
      const bareRps: number[] = [];
      let unexpected = 0;
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? [cloudBase, bare.url] : [bare.url, cloudBase];
        for (const base of order) {
          const { rps, unexpected: wrong } = await load(base, request, options);
          (base === cloudBase ? cloudRps : bareRps).push(rps);
          unexpected += wrong;
        }
      }
      const cloudMedian = median(cloudRps);
      const bareMedian = median(bareRps);
      out.push({
        request: request.name,
        expectedStatus: request.expectedStatus,
        cloudRps: cloudMedian,
        bareRps: bareMedian,
        ratio: cloudMedian / bareMedian,
        unexpected,
      });
    }
    return out;
  } finally {
    await bare?.close();
    await cloud.close();
  }
}
