/**
 * `tsx reporters/cli.ts verify FILE` and `tsx reporters/cli.ts matrix [--out DIR] FILE...`.
 * Exit codes: 0 ok; 1 tampered or invalid; 2 usage error or unreadable file.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { matrixCommand, verifyCommand } from './cli-commands.ts';

const USAGE = 'usage: tsx reporters/cli.ts verify FILE | matrix [--out DIR] FILE...';

export function runCli(args: readonly string[]): number {
  const [command, ...rest] = args;
  if (command === 'verify' && rest.length === 1 && rest[0] !== undefined) return verifyCommand(rest[0]);
  if (command === 'matrix') {
    let outDir = process.env.OSI_REPORT_DIR ?? 'reports/matrix';
    const files: string[] = [];
    for (let i = 0; i < rest.length; i += 1) {
      const arg = rest[i] ?? '';
      if (arg === '--out') {
        const value = rest[i + 1];
        if (value === undefined) break;
        outDir = value;
        i += 1;
      } else files.push(arg);
    }
    if (files.length > 0) return matrixCommand(files, outDir);
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) process.exitCode = runCli(process.argv.slice(2));
