// The mentor's cohort table at scale: p99 of `GET /api/v1/cohorts/{id}/learners` (sorted, filtered,
// one page of 100, four mentors at once) for a cohort of 5,000 learners inside a database of 1,000,000 learners, on
// PostgreSQL; target p99 ≤ 150 ms. The whole-cohort CSV and the cohort's insights (one mentor) are
// measured beside it, without a target. Needs the seeded database:
//   npm run bench:seed -- --learners 1000000 --cohort-learners 5000
// BENCH_COHORT_DATABASE picks another seeded database (default waymark_bench_1000000).
import pg from 'pg';
import { interleaved, printTable, start, POSTGRES_SERVER, SECONDS } from '../harness.js';
import { BENCH_COHORT_ID, benchCookie } from '../seed-ids.js';

const TARGET_P99_MS = 150;

export async function cohortSection(): Promise<void> {
  const database = process.env.BENCH_COHORT_DATABASE ?? 'waymark_bench_1000000';
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  let sizes: { users: number; members: number };
  try {
    await client.connect();
    const { rows } = await client.query<{ users: string; members: string }>(
      `select (select count(*) from users) as users,
              (select count(*) from cohort_members where cohort_id = $1 and role = 'learner') as members`,
      [BENCH_COHORT_ID],
    );
    sizes = { users: Number(rows[0]?.users ?? 0), members: Number(rows[0]?.members ?? 0) };
  } catch {
    sizes = { users: 0, members: 0 };
  } finally {
    await client.end().catch(() => {});
  }
  if (sizes.members === 0) {
    console.log(
      `skipped: ${database} has no seeded cohort; run npm run bench:seed -- --learners 1000000 --cohort-learners 5000`,
    );
    return;
  }
  console.log(
    `cohort of ${sizes.members.toLocaleString('en')} learners in a database of ${sizes.users.toLocaleString('en')} accounts (${database})`,
  );
  const app = await start('./app-server.ts', { BENCH_DATABASE_URL: url.toString(), BENCH_NO_LEARNER: '1' });
  const base = `http://127.0.0.1:${app.info.port}/api/v1/cohorts/${BENCH_COHORT_ID}`;
  const cookie = `waymark_session=${benchCookie(1)}`;
  const scenario = (name: string, path: string, connections = 4) => ({
    name,
    options: () => ({ seconds: SECONDS, connections, url: `${base}${path}`, headers: { cookie } }),
  });
  try {
    const results = [
      ...(
        await interleaved([
          scenario('table, by name, page 1', '/learners'),
          scenario('table, most behind first', '/learners?sort=behind&order=desc'),
          scenario('table, filter behind, by progress', '/learners?filter=behind&sort=progress'),
          scenario(
            'table, inactive+stuck, by last active',
            '/learners?filter=inactive,stuck&sort=lastActive',
          ),
          scenario('table, page 40 by streak', '/learners?sort=streak&order=desc&offset=3900'),
          scenario('CSV export, whole cohort', '/learners.csv', 1),
          scenario('insights, whole cohort', '/insights', 1),
        ])
      ).values(),
    ];
    printTable(results);
    const tables = results.filter((r) => r.name.startsWith('table'));
    const worst = Math.max(...tables.map((r) => r.p99));
    console.log(
      `worst table p99 ${worst.toFixed(1)} ms (target ≤ ${TARGET_P99_MS} ms) ${worst <= TARGET_P99_MS ? 'OK' : 'ABOVE TARGET'}`,
    );
    if (results.some((r) => r.errors > 0)) console.log('ERRORS: some requests failed');
  } finally {
    await app.stop();
  }
}
