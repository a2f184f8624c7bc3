// Shared pieces of the benchmark: child servers, interleaved rounds, and the report table.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { wrk, type WrkOptions, type WrkResult } from './wrk.js';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const CONNECTIONS = 32;
export const POSTGRES_SERVER =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ServerInfo {
  port: number;
  cookie: string;
  origin: string;
  topics: string[];
  dialect: string;
  history: Record<string, string>;
}

export interface Started {
  child: ChildProcess;
  info: ServerInfo;
  stop(): Promise<void>;
}

/** Forks one of the bench/*-server.ts scripts and waits for the address it reports. */
export function start(script: string, env: Record<string, string> = {}, message?: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (message !== undefined) child.send(message);
    const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (info) => {
      child.off('exit', onExit);
      resolve({
        child,
        info: info as ServerInfo,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }),
      });
    });
  });
}

export interface Scenario {
  name: string;
  options: () => WrkOptions;
}

export interface Measured {
  name: string;
  samples: WrkResult[];
  rps: number;
  p99: number;
  errors: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Runs every scenario once per round, in turn, so a burst of outside load skews one sample, not a scenario. */
export async function interleaved(scenarios: Scenario[], rounds = ROUNDS): Promise<Map<string, Measured>> {
  for (const scenario of scenarios) await wrk({ ...scenario.options(), seconds: 1 }); // warm-up
  const samples = new Map<string, WrkResult[]>();
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      const result = await wrk({ ...scenario.options() });
      samples.set(scenario.name, [...(samples.get(scenario.name) ?? []), result]);
    }
  }
  const measured = new Map<string, Measured>();
  for (const { name } of scenarios) {
    const list = samples.get(name) ?? [];
    measured.set(name, {
      name,
      samples: list,
      rps: median(list.map((r) => r.rps)),
      p99: median(list.map((r) => r.p99)),
      errors: list.reduce((sum, r) => sum + r.errors, 0),
    });
  }
  return measured;
}

const spread = (values: number[], digits: number) =>
  `[${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}]`;

/** Prints req/s and p99 as median [min–max across rounds]. */
export function printTable(rows: Measured[]): void {
  console.log(
    `${'scenario'.padEnd(52)}${'req/s [spread]'.padStart(24)}${'p99 ms [spread]'.padStart(24)}${'errors'.padStart(8)}`,
  );
  for (const r of rows) {
    const rps = `${r.rps.toFixed(0)} ${spread(
      r.samples.map((s) => s.rps),
      0,
    )}`;
    const p99 = `${r.p99.toFixed(1)} ${spread(
      r.samples.map((s) => s.p99),
      1,
    )}`;
    console.log(`${r.name.padEnd(52)}${rps.padStart(24)}${p99.padStart(24)}${String(r.errors).padStart(8)}`);
  }
}

/** `x/y = 0.53 [0.49–0.58] (target ≥ 0.5) OK`: the ratio of medians, with the per-round ratio spread. */
export function ratioLine(
  label: string,
  x: Measured,
  y: Measured,
  target: number,
  by: 'rps' | 'p99' = 'rps',
  atMost = false,
): string {
  const perRound = x.samples.map((s, i) => {
    const other = y.samples[i];
    return other ? (by === 'rps' ? s.rps / other.rps : s.p99 / other.p99) : Number.NaN;
  });
  const value = by === 'rps' ? x.rps / y.rps : x.p99 / y.p99;
  const ok = atMost ? value <= target : value >= target;
  return `${label} = ${value.toFixed(2)} ${spread(perRound, 2)} (target ${atMost ? '≤' : '≥'} ${target}) ${ok ? 'OK' : 'BELOW TARGET'}`;
}

/** Lua for wrk: PUT progress cycling through topics, each visit to a topic changing its status. */
export function putProgressLua(
  topics: string[],
  headers: Record<string, string>,
  pathPrefix = '/api/v1/topics/',
): string {
  const list = topics.map((t) => `"${t}"`).join(',');
  const headerLines = Object.entries(headers)
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  return `
local topics = {${list}}
local statuses = {"learning", "done", "skipped"}
local i = math.random(0, 100000)
wrk.method = "PUT"
wrk.headers["content-type"] = "application/json"
${headerLines}
request = function()
  i = i + 1
  local topic = topics[(i % #topics) + 1]
  local status = statuses[(math.floor(i / #topics) % 3) + 1]
  return wrk.format(nil, "${pathPrefix}" .. topic .. "/progress", nil, '{"status":"' .. status .. '"}')
end
`;
}

/** A TCP port free on 127.0.0.1 right now (one definition, shared with the tests' nginx helper). */
export { freePort } from '../scripts/nginx.js';
