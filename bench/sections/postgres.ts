// PUT progress on PostgreSQL against the same PUT on SQLite, in the same rounds (synchronous_commit on).
//
// Fairness: SQLite (WAL, synchronous=NORMAL) never waits for the disk on commit; PostgreSQL with
// synchronous_commit on waits for one WAL flush per commit. Group commit makes that one flush per
// batch, but a batch can only hold the writes that are waiting, so with C connections PostgreSQL's
// ceiling is C / (flush time). The section therefore measures the server's own commit time (sequential
// one-row autocommits on the bench database) and runs the PUT pair at the usual 32 connections and at
// BENCH_PG_CONNECTIONS (default 128), where batches can grow as they do with many users.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import {
  interleaved,
  printTable,
  putProgressLua,
  ratioLine,
  start,
  CONNECTIONS,
  POSTGRES_SERVER,
  SECONDS,
  median,
} from '../harness.js';

const MANY = Number(process.env.BENCH_PG_CONNECTIONS ?? 128);

/** Median time of one autocommitted one-row insert, sent one after another (a commit's WAL flush). */
async function commitTime(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table bench_commit_probe (n integer)');
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const start = performance.now();
      await client.query('insert into bench_commit_probe values ($1)', [i]);
      times.push(performance.now() - start);
    }
    await client.query('drop table bench_commit_probe');
    return median(times);
  } finally {
    await client.end();
  }
}

export async function postgresSection(): Promise<void> {
  const name = `waymark_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_SERVER });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`skipped: PostgreSQL not reachable at ${POSTGRES_SERVER} (${(error as Error).message})`);
    return;
  }
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  const lite = await start('./app-server.ts');
  const pgApp = await start('./app-server.ts', { BENCH_DATABASE_URL: url.toString() });
  try {
    const common = { seconds: SECONDS, connections: CONNECTIONS };
    const put =
      (s: typeof lite, connections = CONNECTIONS) =>
      () => ({
        ...common,
        connections,
        url: `http://127.0.0.1:${s.info.port}`,
        lua: putProgressLua(s.info.topics, { origin: s.info.origin, cookie: s.info.cookie }),
      });
    const get = (s: typeof lite) => () => ({
      ...common,
      url: `http://127.0.0.1:${s.info.port}/api/v1/roadmaps/backend/progress`,
      headers: { cookie: s.info.cookie },
    });
    const commitMs = await commitTime(url.toString());
    const results = await interleaved([
      { name: 'c) PUT progress, SQLite', options: put(lite) },
      { name: 'cp) PUT progress, PostgreSQL', options: put(pgApp) },
      { name: `cm) PUT progress, SQLite, ${MANY} connections`, options: put(lite, MANY) },
      { name: `cpm) PUT progress, PostgreSQL, ${MANY} connections`, options: put(pgApp, MANY) },
      { name: 'b) GET progress, SQLite', options: get(lite) },
      { name: 'bp) GET progress, PostgreSQL', options: get(pgApp) },
    ]);
    const [c, cp, cm, cpm, b, bp] = [...results.values()];
    if (!c || !cp || !cm || !cpm || !b || !bp) throw new Error('missing results');
    const after = await commitTime(url.toString());
    printTable([c, cp, cm, cpm, b, bp]);
    console.log(
      `PostgreSQL commit (one-row autocommit, one after another): ${commitMs.toFixed(1)} ms before the rounds, ${after.toFixed(1)} ms after; ` +
        `${CONNECTIONS} connections that each waited for their own commit would top out near ${Math.round((CONNECTIONS * 1000) / Math.max(commitMs, after))} writes/s`,
    );
    console.log(ratioLine(`cp/c (PUT PostgreSQL vs SQLite, ${CONNECTIONS} connections)`, cp, c, 0.5));
    console.log(ratioLine(`cpm/cm (PUT PostgreSQL vs SQLite, ${MANY} connections)`, cpm, cm, 0.5));
    console.log(`(bp/b = ${(bp.rps / b.rps).toFixed(2)})`);
  } finally {
    await Promise.all([lite.stop(), pgApp.stop()]);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
