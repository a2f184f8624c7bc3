// Project check runs: how many runs one worker completes per minute against the first project's
// reference implementation, and what running checks costs everyone else — p99 of GET progress while
// ten runs execute in the same process versus idle, measured in interleaved rounds. Bounded: at most
// BENCH_CHECK_RUNS runs for the throughput figure (default 30), and SECONDS per progress sample.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadValidContent } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { FIXTURES } from '../../test/fixtures/projects/index.js';
import { median, ROUNDS, SECONDS } from '../harness.js';
import { wrk, type WrkResult } from '../wrk.js';

const PROJECT = 'first-json-service';
const FINAL = new Set(['passed', 'failed', 'errored', 'interrupted']);

export async function checksSection(): Promise<void> {
  const fixture = FIXTURES[PROJECT];
  if (!fixture) throw new Error(`no reference fixture for ${PROJECT}`);
  const reference = await fixture.start();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-checks-'));
  const concurrency = 10;
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'waymark.db')}`,
    LOG_LEVEL: 'silent',
    WAYMARK_SCRYPT_COST: '10',
    WAYMARK_CHECKS_ALLOW_ADDRESSES: '127.0.0.1',
    WAYMARK_CHECKS_ALLOW_PRIVATE: 'false',
    WAYMARK_CHECK_RUNS_PER_MINUTE: '10000',
    WAYMARK_CHECK_CONCURRENCY: String(concurrency),
    WAYMARK_AUTH_RATE_LIMIT: '100000',
  });
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const content = await loadValidContent(config.contentDir);
  const app = await buildApp({ config, db, content, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://localhost:${new URL(address).port}`;
  try {
    const signup = await fetch(`${address}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: 'bench-checks@example.org', password: 'correct horse battery' }),
    });
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const startRun = async () => {
      const response = await fetch(`${address}/api/v1/projects/${PROJECT}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, cookie },
        body: JSON.stringify({ baseUrl: reference.url }),
      });
      if (response.status !== 202)
        throw new Error(`starting a run: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    };
    const states = async () => db.kysely.selectFrom('project_runs').select(['id', 'state']).execute();

    // 1. Throughput of this process's one worker: runs one after another, then a batch queued at once
    //    (executed ten at a time), timed from the first start to the last finish.
    const count = Number(process.env.BENCH_CHECK_RUNS ?? 30);
    const serialStart = performance.now();
    for (let i = 0; i < Math.min(count, 10); i++) {
      const id = await startRun();
      for (;;) {
        const row = (await states()).find((r) => r.id === id);
        if (row && FINAL.has(row.state)) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const serialMinutes = (performance.now() - serialStart) / 60_000;
    const serialRuns = Math.min(count, 10);
    const batchStart = performance.now();
    const ids = new Set<string>();
    for (let i = 0; i < count; i++) ids.add(await startRun());
    for (;;) {
      const rows = (await states()).filter((r) => ids.has(r.id));
      if (rows.every((r) => FINAL.has(r.state))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const batchMinutes = (performance.now() - batchStart) / 60_000;
    const failed = (await states()).filter((r) => r.state !== 'passed').length;
    console.log(
      `runs per minute, one run at a time:          ${(serialRuns / serialMinutes).toFixed(0)} (${serialRuns} runs of ${PROJECT}, reference fixture)`,
    );
    console.log(
      `runs per minute, one worker, ${concurrency} at a time:   ${(count / batchMinutes).toFixed(0)} (${count} runs; ${failed} did not pass)`,
    );

    // 2. p99 of GET progress, idle versus while ten runs execute, interleaved.
    let keepBusy = false;
    let stopped = false;
    const busy = (async () => {
      for (;;) {
        if (keepBusy) {
          const active = (await states()).filter((r) => !FINAL.has(r.state)).length;
          for (let i = active; i < concurrency; i++) await startRun();
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (stopped) return;
      }
    })();
    const progress = () =>
      wrk({
        url: `${address}/api/v1/roadmaps/backend/progress`,
        seconds: SECONDS,
        connections: 8,
        headers: { cookie },
      });
    await wrk({
      url: `${address}/api/v1/roadmaps/backend/progress`,
      seconds: 1,
      connections: 8,
      headers: { cookie },
    });
    const idle: WrkResult[] = [];
    const loaded: WrkResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      keepBusy = false;
      for (;;) {
        if ((await states()).every((r) => FINAL.has(r.state))) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      idle.push(await progress());
      keepBusy = true;
      await new Promise((resolve) => setTimeout(resolve, 200));
      loaded.push(await progress());
    }
    keepBusy = false;
    stopped = true;
    await busy;
    const idleP99 = median(idle.map((r) => r.p99));
    const loadedP99 = median(loaded.map((r) => r.p99));
    const spread = (values: number[]) =>
      `[${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}]`;
    console.log(
      `GET progress p99 idle:                    ${idleP99.toFixed(1)} ms ${spread(idle.map((r) => r.p99))}`,
    );
    console.log(
      `GET progress p99 while ${concurrency} runs execute:     ${loadedP99.toFixed(1)} ms ${spread(loaded.map((r) => r.p99))}`,
    );
    console.log(
      `ratio busy/idle = ${(loadedP99 / idleP99).toFixed(2)} (${ROUNDS} interleaved rounds of ${SECONDS} s)`,
    );
  } finally {
    await app.close();
    await db.close();
    await reference.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
