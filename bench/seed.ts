// `npm run bench:seed`: builds a PostgreSQL database of many learners for the scale benchmarks.
//
//   npm run bench:seed -- --learners 1000000 --database waymark_bench_1m
//
// Rows are generated inside PostgreSQL with generate_series (no round trip per row), with the
// secondary indexes dropped during the load and rebuilt afterwards, so a million learners take
// minutes. The spread is skewed like a real instance: most accounts touched a handful of topics,
// a long tail went far (progress rows per learner follow a quartic curve, mean ≈ a fifth of the
// roadmap's required topics). Each learner has one session whose cookie is `bench-<n>`, so a
// benchmark can sign in as learner n without knowing anything else.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadValidContent } from '../src/bootstrap.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '1000000' },
    database: { type: 'string', default: '' },
    server: {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    'activity-per-change': { type: 'string', default: '2' },
    quiet: { type: 'boolean', default: false },
  },
});

const learners = Number(values.learners);
if (!Number.isInteger(learners) || learners < 1 || learners > 10_000_000)
  throw new Error('--learners must be an integer between 1 and 10,000,000');
const activityPerChange = Number(values['activity-per-change']);
const database = values.database || `waymark_bench_${learners}`;
if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error('--database must be a plain lower-case identifier');
const log = (message: string) => {
  if (!values.quiet) console.log(message);
};

/** The learner's session cookie value in a seeded database. */
export function benchCookie(learner: number): string {
  return `bench-${learner}`;
}

export async function seed(): Promise<{ url: string; bytesPerLearner: number; seconds: number }> {
  const started = performance.now();
  const admin = new pg.Client({ connectionString: values.server });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(values.server!);
  url.pathname = `/${database}`;

  const db = openDatabase(url.toString());
  await migrateToLatest(db);
  await db.close();

  const content = await loadValidContent(process.env.WAYMARK_CONTENT_DIR ?? 'roadmaps');
  const backend = content.roadmaps.get('backend');
  if (!backend) throw new Error('the backend roadmap is missing');
  const topics = [...backend.topicIds];

  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const result = await client.query(sql, params);
    log(
      `  ${label.padEnd(34)} ${(result.rowCount ?? 0).toLocaleString('en').padStart(12)} rows  ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  };
  log(`Seeding ${learners.toLocaleString('en')} learners into ${database}`);
  await client.query('set synchronous_commit = off');
  // Foreign keys are satisfied by construction; skipping their per-row triggers makes the load ~3× faster.
  await client.query('set session_replication_role = replica');
  await client.query("set maintenance_work_mem = '512MB'");
  // Secondary indexes are rebuilt after the load: one sorted build beats millions of inserts into a B-tree.
  const indexes = await client.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename in ('sessions', 'progress', 'activity')
        and not exists (select 1 from pg_constraint c where c.conname = indexname)`,
  );
  for (const { indexname } of indexes.rows) await client.query(`drop index ${indexname}`);

  await step(
    'users',
    `insert into users (id, email, password_hash, is_guest, role, time_zone, created_at, updated_at)
     select 'bench-user-' || i,
            case when i % 4 = 0 then null else 'learner' || i || '@bench.example' end,
            null, (i % 4 = 0)::int, 'learner', 'UTC', ts, ts
       from generate_series(1, $1::int) i,
            lateral (select to_char(timestamp '2026-06-01' + (i % 180) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts) t`,
    [learners],
  );
  await step(
    'sessions',
    `insert into sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
     select 'bench-session-' || i, encode(sha256(convert_to('bench-' || i, 'UTF8')), 'hex'), 'bench-user-' || i,
            '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', 'bench', '127.0.0.1'
       from generate_series(1, $1::int) i`,
    [learners],
  );
  // k(i) = topics × r⁴ with r a per-learner pseudo-random number: mean k ≈ topics / 5, most learners
  // have a few rows, a few have nearly all. Topics are taken in roadmap order from a per-learner offset.
  const perLearner = `floor($2::int * power(((i::bigint * 2654435761) % 1000003) / 1000003.0, 4))::int`;
  await step(
    'progress',
    `insert into progress (user_id, topic_id, status, note, created_at, updated_at, status_changed_at)
     select 'bench-user-' || i, ($3::text[])[1 + ((i + j) % $2::int)],
            case when j % 5 = 0 then 'learning' when j % 17 = 0 then 'skipped' else 'done' end,
            case when j % 7 = 0 then 'A short note about what I learned.' else '' end,
            ts, ts, ts
       from generate_series(1, $1::int) i,
            lateral generate_series(1, ${perLearner}) j,
            lateral (select to_char(timestamp '2026-06-01' + (i % 180) * interval '1 day' + j * interval '9 hours',
                                    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts) t`,
    [learners, topics.length, topics],
  );
  await step(
    'activity',
    `insert into activity (user_id, topic_id, kind, from_status, to_status, created_at, detail)
     select p.user_id, p.topic_id, 'status',
            case when c = 1 then 'pending' else 'learning' end,
            case when c = $1::int then p.status else 'learning' end,
            to_char(p.status_changed_at::timestamp - ($1::int - c) * interval '2 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            null
       from progress p, lateral generate_series(1, $1::int) c`,
    [activityPerChange],
  );
  for (const { indexname, indexdef } of indexes.rows) await step(`index ${indexname}`, indexdef);
  await step('analyze', 'analyze');
  const size = await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
  await client.end();
  const bytes = Number(size.rows[0]?.bytes ?? 0);
  const seconds = (performance.now() - started) / 1000;
  const bytesPerLearner = bytes / learners;
  log(
    `Done in ${seconds.toFixed(0)} s: ${(bytes / 2 ** 30).toFixed(2)} GiB, ${(bytesPerLearner / 1024).toFixed(2)} KiB per learner → ${url.toString()}`,
  );
  return { url: url.toString(), bytesPerLearner, seconds };
}

if (import.meta.url === `file://${process.argv[1]}`) await seed();
