/**
 * The bare server of the cloud-versus-bare comparison: a node:http server that answers each
 * method with bytes recorded from the fake cloud (status, headers, body), reading and dropping
 * the request body first, as any server must. Whatever the fake cloud does beyond this (routing,
 * authentication, validation, state) is what the comparison measures.
 *
 *   tsx bench/bare-server.ts ANSWERS.json   → prints "bare server listening on http://127.0.0.1:PORT"
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedAnswer {
  readonly status: number;
  /** Header name/value pairs as the fake cloud sent them, without the per-connection ones. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/** Answers by request method: each comparison sends one kind of request per method. */
export type RecordedAnswers = Readonly<Record<string, RecordedAnswer>>;

function serve(answers: RecordedAnswers): http.Server {
  const prepared = new Map(
    Object.entries(answers).map(([method, answer]) => [method, { ...answer, body: Buffer.from(answer.body, 'utf8'), headers: answer.headers.flat() }]),
  );
  return http.createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    const answer = prepared.get(req.method ?? '');
    req.resume();
    req.on('end', () => {
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: bare-server ANSWERS.json\n');
    process.exit(2);
  }
  const server = serve(JSON.parse(readFileSync(file, 'utf8')) as RecordedAnswers);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`bare server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
