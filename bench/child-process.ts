/**
 * Servers the benchmarks talk to, started in a child process of their own: the fake cloud (through
 * its own CLI, as `npm run fake-cloud` starts it) and the bare server. A server in its own process
 * does not share the client's event loop or garbage collector, as in `npm run conformance`, where
 * the embedded cloud lives in the CLI's main process and the tests in a vitest worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddedSeed } from '../suites/harness/target.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
const READY_TIMEOUT_MS = 30_000;

export interface ChildServer {
  /** Base URL from the ready line, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  close(): Promise<void>;
}

/** Runs a TypeScript entry point under tsx and waits for the line that carries its URL. */
export function startChildServer(entry: string, args: readonly string[]): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${path.basename(entry)} printed no ready line within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    const exitedEarly = (code: number | null): void =>
      fail(new Error(`${path.basename(entry)} exited (${String(code)}) before it was ready: ${output.trim()}`));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /https?:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url === undefined) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve({ url, close: () => stopChild(child) });
    });
    child.on('exit', exitedEarly);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The fake cloud in its own process, with the seed the suite needs to address it. */
export async function startFakeCloudProcess(seedFile: string): Promise<{ server: ChildServer; seed: EmbeddedSeed }> {
  const server = await startChildServer(path.join(ROOT, 'fixtures/fake-cloud/main.ts'), ['--port', '0', '--host', '127.0.0.1', '--seed-file', seedFile]);
  const seed = JSON.parse(await readFile(seedFile, 'utf8')) as EmbeddedSeed;
  return { server, seed };
}
