// A thin driver for wrk (Debian's `wrk` package): one C load-generator thread is far from the
// bottleneck here, unlike autocannon's single JavaScript thread, which saturates first and
// flattens every ratio. Requests that vary (PUT bodies, random learners) are built by a Lua script.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkOptions {
  url: string;
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
  /** A Lua `request = function() … end` body, for requests that change from one call to the next. */
  lua?: string;
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  /** Socket errors plus non-2xx/3xx responses. */
  errors: number;
  requests: number;
}

let scriptDir: string | null = null;

/** `wrk` is installed (Debian: apt-get install -y wrk). */
export async function wrkAvailable(): Promise<boolean> {
  try {
    await run('wrk', ['--version']).catch((error: { stdout?: string }) => {
      if (!String(error.stdout ?? '').includes('wrk')) throw error;
    });
    return true;
  } catch {
    return false;
  }
}

function milliseconds(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  return match[2] === 'us' ? n / 1000 : match[2] === 'ms' ? n : match[2] === 's' ? n * 1000 : n * 60_000;
}

/** Parses wrk's `--latency` report. */
export function parseWrk(output: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0);
  const p50 = milliseconds(/\s50%\s+(\S+)/.exec(output)?.[1] ?? '');
  const p99 = milliseconds(/\s99%\s+(\S+)/.exec(output)?.[1] ?? '');
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { rps, p50, p99, errors: non2xx + socketErrors, requests };
}

/** Runs wrk once (one thread) and returns its figures. */
export async function wrk(options: WrkOptions): Promise<WrkResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  if (options.lua) {
    scriptDir ??= mkdtempSync(join(tmpdir(), 'waymark-wrk-'));
    const file = join(scriptDir, `script-${Math.random().toString(36).slice(2)}.lua`);
    writeFileSync(file, options.lua);
    args.push('-s', file);
  }
  args.push(options.url);
  const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

/** Lua string literal. */
export function luaString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
