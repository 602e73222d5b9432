/** The machine a benchmark ran on: figures are only comparable with their machine beside them. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineFacts {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the bench started: other work on the machine skews every figure. */
  readonly loadAtStart: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall back to what node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function machineFacts(): MachineFacts {
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAtStart: os.loadavg()[0] ?? 0,
  };
}
