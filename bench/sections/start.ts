// Cold start to the first successful /healthz, and idle memory, of the server as `npm start` runs
// it (compiled JavaScript from build/, SQLite), against a bare node:http server started the same way.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, median } from '../harness.js';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function coldStart(args: string[], env: Record<string, string>, path: string, idleMs = 0) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        if (response.ok) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 10));
      if (performance.now() - started > 60_000) throw new Error('no answer within 60 s');
    }
    const ms = performance.now() - started;
    if (idleMs) await new Promise((r) => setTimeout(r, idleMs));
    return { ms, rss: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGKILL');
  }
}

export async function startSection(): Promise<void> {
  if (!existsSync('build/server.js'))
    return console.log('skipped: run `npm run build` first (compiles to build/)');
  const hello = join(tmpdir(), `waymark-hello-${process.pid}.mjs`);
  writeFileSync(
    hello,
    "import { createServer } from 'node:http'; createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');",
  );
  const app: number[] = [];
  const base: number[] = [];
  const rss: number[] = [];
  const baseRss: number[] = [];
  // Pair by pair (hello, then Waymark), so a burst of outside load skews one pair's ratio, not all.
  const msRatio: number[] = [];
  const rssRatio: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-start-'));
    try {
      const bare = await coldStart([hello], {}, '/', run === 0 ? 0 : 3000);
      base.push(bare.ms);
      const first = await coldStart(
        ['build/server.js'],
        { WAYMARK_DATA_DIR: dir, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
        '/healthz',
        run === 0 ? 0 : 3000,
      );
      app.push(first.ms);
      msRatio.push(first.ms / bare.ms);
      if (run > 0) {
        rss.push(first.rss);
        baseRss.push(bare.rss);
        rssRatio.push(first.rss / bare.rss);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  rmSync(hello, { force: true });
  const fmt = (v: number[], d = 0) =>
    `${median(v).toFixed(d)} [${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}]`;
  const ms = median(app);
  const mib = median(rss);
  console.log(
    `cold start to /healthz (SQLite, ${RUNS} runs; the first on a new database): ${fmt(app)} ms (target ≤ 1500) ${ms <= 1500 ? 'OK' : 'ABOVE TARGET'}`,
  );
  console.log(
    `bare node:http started the same way: ${fmt(base)} ms; Waymark / bare, pair by pair: ${fmt(msRatio, 1)}×`,
  );
  console.log(
    `idle RSS 3 s after start: ${fmt(rss, 1)} MiB (target ≤ 120) ${mib <= 120 ? 'OK' : 'ABOVE TARGET'}; ` +
      `bare node:http ${fmt(baseRss, 1)} MiB; Waymark / bare ${fmt(rssRatio, 2)}×`,
  );
}
