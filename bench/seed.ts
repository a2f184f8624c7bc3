// `npm run bench:seed`: builds a PostgreSQL database of many learners for the scale benchmarks.
//
//   npm run bench:seed -- --learners 1000000 [--database waymark_bench_1000000] [--cohort-learners 5000] [--jobs 2]
//
// Rows are generated inside PostgreSQL with generate_series (no round trip per row) on `--jobs`
// connections at once, each over its own range of learners; each progress row and its activity rows
// come from one statement (a data-modifying CTE), the secondary indexes are dropped during the load
// and rebuilt afterwards (different tables' side by side), and the database is VACUUMed at the end so
// the benchmark meets it in the state a running instance's tables settle into. UNLOGGED tables would
// not help: with wal_level=replica, SET LOGGED writes the whole table to the WAL again. The spread is skewed like a real instance: most accounts touched a handful of topics,
// a long tail went far (progress rows per learner follow a quartic curve, mean ≈ a fifth of the
// roadmap's required topics). Each learner has one session whose cookie is `benchCookie(n)` (bench/seed-ids.ts), so a
// benchmark can sign in as learner n without knowing anything else.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadValidContent } from '../src/bootstrap.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { BENCH_COHORT_ID, BENCH_COOKIE_SQL } from './seed-ids.js';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '1000000' },
    database: { type: 'string', default: '' },
    server: {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    'activity-per-change': { type: 'string', default: '2' },
    'cohort-learners': { type: 'string', default: '0' },
    jobs: { type: 'string', default: '2' },
    quiet: { type: 'boolean', default: false },
  },
});

const learners = Number(values.learners);
if (!Number.isInteger(learners) || learners < 1 || learners > 10_000_000)
  throw new Error('--learners must be an integer between 1 and 10,000,000');
const activityPerChange = Number(values['activity-per-change']);
const cohortLearners = Number(values['cohort-learners']);
if (!Number.isInteger(cohortLearners) || cohortLearners < 0 || cohortLearners > learners / 2)
  throw new Error('--cohort-learners must be an integer between 0 and half of --learners');
const jobs = Number(values.jobs);
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 16)
  throw new Error('--jobs must be an integer between 1 and 16');
const database = values.database || `waymark_bench_${learners}`;
if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error('--database must be a plain lower-case identifier');
const log = (message: string) => {
  if (!values.quiet) console.log(message);
};

export { BENCH_COHORT_ID, benchCookie } from './seed-ids.js';

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

  // Each connection loads without per-row foreign-key triggers (keys are satisfied by construction)
  // and without waiting for the WAL flush of each statement (a failed seed is simply run again).
  const connect = async () => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    await c.query('set synchronous_commit = off');
    await c.query('set session_replication_role = replica');
    await c.query("set maintenance_work_mem = '512MB'");
    await c.query('set jit = off');
    return c;
  };
  const client = await connect();
  const workers = await Promise.all(Array.from({ length: jobs }, connect));
  const report = (label: string, rows: number, since: number) =>
    log(
      `  ${label.padEnd(34)} ${rows.toLocaleString('en').padStart(12)} rows  ${((performance.now() - since) / 1000).toFixed(1)} s`,
    );
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const result = await client.query(sql, params);
    report(label, result.rowCount ?? 0, t);
  };
  /** The same statement on every worker connection, each over its own range of learners ($1, $2). */
  const inParallel = async (label: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const size = Math.ceil(learners / jobs);
    const results = await Promise.all(
      workers.map((c, k) =>
        k * size >= learners
          ? { rowCount: 0 }
          : c.query(sql, [k * size + 1, Math.min(learners, (k + 1) * size), ...params]),
      ),
    );
    report(
      label,
      results.reduce((n, r) => n + (r.rowCount ?? 0), 0),
      t,
    );
  };
  log(`Seeding ${learners.toLocaleString('en')} learners into ${database} (${jobs} connections)`);
  // Secondary indexes are rebuilt after the load: one sorted build beats millions of inserts into a B-tree.
  const indexes = await client.query<{ tablename: string; indexname: string; indexdef: string }>(
    `select tablename, indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename in ('sessions', 'progress', 'activity')
        and not exists (select 1 from pg_constraint c where c.conname = indexname)`,
  );
  for (const { indexname } of indexes.rows) await client.query(`drop index ${indexname}`);

  await inParallel(
    'users',
    `insert into users (id, email, password_hash, is_guest, role, time_zone, created_at, updated_at)
     select 'bench-user-' || i,
            case when i % 4 = 0 then null else 'learner' || i || '@bench.example' end,
            null, (i % 4 = 0)::int, 'learner', 'UTC', ts, ts
       from generate_series($1::int, $2::int) i,
            lateral (select to_char(timestamp '2026-06-01' + (i % 180) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts) t`,
  );
  await inParallel(
    'sessions',
    `insert into sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
     select 'bench-session-' || i, encode(sha256(convert_to(${BENCH_COOKIE_SQL}, 'UTF8')), 'hex'), 'bench-user-' || i,
            '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', 'bench', '127.0.0.1'
       from generate_series($1::int, $2::int) i`,
  );
  // k(i) = topics × r⁴ with r a per-learner pseudo-random number: mean k ≈ topics / 5, most learners
  // have a few rows, a few have nearly all. Topics are taken in roadmap order from a per-learner offset.
  // Each progress row comes with its activity rows (`--activity-per-change` status changes leading
  // to it, two days apart) from the same statement, so the progress rows are not read back.
  const perLearner = `floor($4::int * power(((i::bigint * 2654435761) % 1000003) / 1000003.0, 4))::int`;
  await inParallel(
    'progress + activity (activity rows)',
    `with p as (
       insert into progress (user_id, topic_id, status, note, created_at, updated_at, status_changed_at)
       select 'bench-user-' || i, ($5::text[])[1 + ((i + j) % $4::int)],
              case when j % 5 = 0 then 'learning' when j % 17 = 0 then 'skipped' else 'done' end,
              case when j % 7 = 0 then 'A short note about what I learned.' else '' end,
              ts, ts, ts
         from generate_series($1::int, $2::int) i,
              lateral generate_series(1, ${perLearner}) j,
              lateral (select to_char(timestamp '2026-06-01' + (i % 180) * interval '1 day' + j * interval '9 hours',
                                      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ts) t
       returning user_id, topic_id, status, status_changed_at
     )
     insert into activity (user_id, topic_id, kind, from_status, to_status, created_at, detail)
     select p.user_id, p.topic_id, 'status',
            case when c = 1 then 'pending' else 'learning' end,
            case when c = $3::int then p.status else 'learning' end,
            to_char(p.status_changed_at::timestamp - ($3::int - c) * interval '2 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            null
       from p, lateral generate_series(1, $3::int) c`,
    [activityPerChange, topics.length, topics],
  );
  // Index builds of different tables run side by side (each may use parallel workers too).
  {
    const t = performance.now();
    const byTable = new Map<string, string[]>();
    for (const { tablename, indexdef } of indexes.rows)
      byTable.set(tablename, [...(byTable.get(tablename) ?? []), indexdef]);
    const queues = [...byTable.values()];
    await Promise.all(
      workers.map(async (c, k) => {
        for (let q = k; q < queues.length; q += workers.length)
          for (const def of queues[q]!) await c.query(def);
      }),
    );
    report(`${indexes.rows.length} indexes`, 0, t);
  }
  if (cohortLearners > 0) await seedCohort(step, backend.steps, topics.length);
  // VACUUM, not only ANALYZE: it sets the hint bits and the visibility map now, so the benchmark's
  // first reads of each page do not write them (and autovacuum does not start on the fresh tables mid-run).
  {
    const t = performance.now();
    const tables = (
      await client.query<{ relname: string }>(
        `select relname from pg_stat_user_tables order by pg_relation_size(relid) desc`,
      )
    ).rows.map((r) => r.relname);
    await Promise.all(
      workers.map(async (c, k) => {
        for (let q = k; q < tables.length; q += workers.length)
          await c.query(`vacuum (analyze) ${tables[q]}`);
      }),
    );
    report('vacuum and analyze', 0, t);
  }
  await Promise.all(workers.map((c) => c.end()));
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

/**
 * One cohort of `--cohort-learners` accounts (every non-guest learner from 2 on) following the
 * backend roadmap, mentored by learner 1 (session cookie `benchCookie(1)`), with one summary row per learner as the app keeps them:
 * counts from the learner's progress rows, the rest (plan state, streak, projects, reviews) spread
 * pseudo-randomly, computed today so the table reads them as fresh.
 */
async function seedCohort(
  step: (label: string, sql: string, params?: unknown[]) => Promise<void>,
  steps: readonly { id: string; topicIds: string[] }[],
  total: number,
): Promise<void> {
  const now = new Date().toISOString();
  const today = now.slice(0, 10);
  await step(
    'cohort',
    `insert into cohorts (id, name, start_date, target_weeks, hours_per_week, requires_email, created_by, created_at, updated_at)
     values ($1, 'Bench cohort', '2026-06-01', 26, 10, 0, null, $2, $2)`,
    [BENCH_COHORT_ID, now],
  );
  await step('cohort roadmap', `insert into cohort_roadmaps values ($1, 'backend', 0)`, [BENCH_COHORT_ID]);
  await step(
    'cohort mentor',
    `insert into cohort_members values ($1, 'bench-user-1', 'mentor', 'Bench mentor', 0, null, $2)`,
    [BENCH_COHORT_ID, now],
  );
  await step(
    'cohort learners',
    `insert into cohort_members (cohort_id, user_id, role, display_name, share_reflections, consented_at, joined_at)
     select $1, 'bench-user-' || i, 'learner', 'Learner ' || i, (i % 3 = 0)::int, $2, $2
       from generate_series(2, $3::int) i where i % 4 <> 0 limit $4`,
    [BENCH_COHORT_ID, now, learners, cohortLearners],
  );
  const stepsJson = JSON.stringify(steps.map((s) => ({ stepId: s.id, done: 0, total: s.topicIds.length })));
  await step(
    'learner summaries',
    `insert into learner_summaries (cohort_id, roadmap_id, user_id, display_name, joined_at, done, total, percent,
            steps, plan_state, behind_hours, forecast_finish, last_active_day, streak_days, streak_until, inactive_from,
            verified_projects, review_due, learning_since, stuck_topic_id, computed_on, updated_at)
     select m.cohort_id, 'backend', m.user_id, m.display_name, m.joined_at, p.done, $2::int,
            least(100, floor(100.0 * p.done / $2::int))::int, $3,
            (array['behind', 'on-track', 'ahead', 'none'])[1 + h % 4], ((h % 400) - 200) / 10.0,
            to_char(date '2026-12-01' + (h % 300), 'YYYY-MM-DD'), to_char(date '2026-11-01' + (h % 31), 'YYYY-MM-DD'),
            h % 12, to_char(date '2026-11-01' + (h % 31) + 2, 'YYYY-MM-DD') || 'T00:00:00.000Z',
            to_char(date '2026-11-01' + (h % 31) + 8, 'YYYY-MM-DD') || 'T00:00:00.000Z', h % 5, h % 40, p.learning_since, p.stuck, $4, $5
       from cohort_members m,
            lateral (select abs(hashtext(m.user_id)) as h) hh,
            lateral (select count(*) filter (where status in ('done', 'skipped'))::int as done,
                            min(status_changed_at) filter (where status = 'learning') as learning_since,
                            min(topic_id) filter (where status = 'learning') as stuck
                       from progress where user_id = m.user_id) p
      where m.cohort_id = $1 and m.role = 'learner'`,
    [BENCH_COHORT_ID, total, stepsJson, today, now],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await seed();
