// PUT progress on PostgreSQL against the same PUT on SQLite, in the same rounds (synchronous_commit on).
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
} from '../harness.js';

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
    const put = (s: typeof lite) => () => ({
      ...common,
      url: `http://127.0.0.1:${s.info.port}`,
      lua: putProgressLua(s.info.topics, { origin: s.info.origin, cookie: s.info.cookie }),
    });
    const get = (s: typeof lite) => () => ({
      ...common,
      url: `http://127.0.0.1:${s.info.port}/api/v1/roadmaps/backend/progress`,
      headers: { cookie: s.info.cookie },
    });
    const results = await interleaved([
      { name: 'c) PUT progress, SQLite', options: put(lite) },
      { name: 'cp) PUT progress, PostgreSQL', options: put(pgApp) },
      { name: 'b) GET progress, SQLite', options: get(lite) },
      { name: 'bp) GET progress, PostgreSQL', options: get(pgApp) },
    ]);
    const [c, cp, b, bp] = [...results.values()];
    if (!c || !cp || !b || !bp) throw new Error('missing results');
    printTable([c, cp, b, bp]);
    console.log(ratioLine('cp/c (PUT PostgreSQL vs SQLite)', cp, c, 0.5));
    console.log(`(bp/b = ${(bp.rps / b.rps).toFixed(2)})`);
  } finally {
    await Promise.all([lite.stop(), pgApp.stop()]);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
