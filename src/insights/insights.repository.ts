import { sql } from 'kysely';
import { onPostgres, type Queryable } from '../db/types.js';

const FINISHED = ['done', 'skipped'];

// All of the insights SQL: reads over the learners of one cohort (their progress and project runs),
// aggregated in the database, so what comes back follows topics and weeks (and, for the burn-up,
// learners × weeks), never the learners' rows one by one.

function learnersOf(db: Queryable, cohortId: string) {
  return db
    .selectFrom('cohort_members')
    .select('user_id')
    .where('cohort_id', '=', cohortId)
    .where('role', '=', 'learner');
}

/**
 * `progress p` limited to the cohort's learners and `statuses`, as a FROM clause. On PostgreSQL the
 * rows are read learner by learner through the primary key (a LATERAL join): joined plainly, the
 * planner misjudges how many rows a learner has in a large database and scans the whole table
 * (10 s at 1,000,000 learners instead of a few index ranges); `offset 0` keeps it from flattening
 * the LATERAL subquery back into that join. SQLite walks the index this way anyway.
 */
function cohortProgress(
  db: Queryable,
  cohortId: string,
  statuses: readonly string[],
  topicIds: readonly string[],
) {
  const filter = sql`p.status in (${sql.join(statuses)}) and p.topic_id in (${sql.join(topicIds)})`;
  return onPostgres(db)
    ? sql`(select m.user_id from cohort_members m where m.cohort_id = ${cohortId} and m.role = 'learner') m0
          cross join lateral (
          select p.user_id, p.topic_id, p.status_changed_at from progress p
           where p.user_id = m0.user_id and ${filter} offset 0) p`
    : sql`(select p.user_id, p.topic_id, p.status_changed_at from progress p
            join cohort_members m on m.user_id = p.user_id
           where m.cohort_id = ${cohortId} and m.role = 'learner' and ${filter}) p`;
}

export async function countLearners(db: Queryable, cohortId: string): Promise<number> {
  const row = await learnersOf(db, cohortId)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Per topic the cohort's learners have in `learning`: how many, and the start times a median and a
 * maximum need — the middle one or two and the oldest (ranked newest first, so rank r is the
 * (r+1)-th shortest time in `learning`). A few rows per topic, however large the cohort.
 */
export async function learningByTopic(
  db: Queryable,
  cohortId: string,
  topicIds: readonly string[],
): Promise<{ topic_id: string; n: number; r: number; since: string }[]> {
  if (topicIds.length === 0) return [];
  const { rows } = await sql<{ topic_id: string; n: number | string; r: number | string; since: string }>`
    select topic_id, n, r, since from (
      select p.topic_id, p.status_changed_at as since,
             row_number() over (partition by p.topic_id order by p.status_changed_at desc) - 1 as r,
             count(*) over (partition by p.topic_id) as n
        from ${cohortProgress(db, cohortId, ['learning'], topicIds)}
    ) ranked
    where r = (n - 1) / 2 or r = n / 2 or r = n - 1`.execute(db);
  return rows.map((row) => ({ ...row, n: Number(row.n), r: Number(row.r) }));
}

/** How many learners of the cohort finished (done or skipped) each topic. */
export async function finishedCounts(
  db: Queryable,
  cohortId: string,
  topicIds: readonly string[],
): Promise<Map<string, number>> {
  if (topicIds.length === 0) return new Map();
  const { rows } = await sql<{ topic_id: string; n: number | string }>`
    select p.topic_id, count(*) as n from ${cohortProgress(db, cohortId, FINISHED, topicIds)}
     group by p.topic_id`.execute(db);
  return new Map(rows.map((r) => [r.topic_id, Number(r.n)]));
}

/**
 * Hours each learner of the cohort finished in each week (for the burn-up), summed in the database:
 * `weekStarts[k]` is the instant week k + 2 begins (earlier finishes are week 1, later ones the last
 * week), `hours` the estimate of each topic counted. One row per learner and week they finished
 * something in, however long their history.
 */
export async function finishedHoursByWeek(
  db: Queryable,
  cohortId: string,
  hours: ReadonlyMap<string, number>,
  weekStarts: readonly string[],
): Promise<{ user_id: string; week: number; hours: number }[]> {
  if (hours.size === 0) return [];
  const values = sql.join(
    [...hours].map(([topicId, h]) => sql`(cast(${topicId} as text), cast(${h} as real))`),
  );
  const week =
    weekStarts.length === 0
      ? sql`1`
      : sql`case ${sql.join(
          weekStarts.map((start, k) => sql`when p.status_changed_at < ${start} then ${sql.lit(k + 1)}`),
          sql` `,
        )} else ${sql.lit(weekStarts.length + 1)} end`;
  const { rows } = await sql<{ user_id: string; week: number | string; hours: number | string }>`
    with topic_hours (topic_id, h) as (values ${values})
    select p.user_id, ${week} as week, sum(topic_hours.h) as hours
      from ${cohortProgress(db, cohortId, FINISHED, [...hours.keys()])}
      join topic_hours on topic_hours.topic_id = p.topic_id
     group by 1, 2`.execute(db);
  return rows.map((row) => ({ user_id: row.user_id, week: Number(row.week), hours: Number(row.hours) }));
}

/** Per project: finished runs, failed runs and failed checks of the cohort's learners. */
export async function runFailures(
  db: Queryable,
  cohortId: string,
): Promise<{ project_id: string; runs: number; failed_runs: number; failed_checks: number }[]> {
  const rows = await db
    .selectFrom('project_runs')
    .select((eb) => [
      'project_id',
      eb.fn.countAll<number>().as('runs'),
      eb.fn.sum<number>(eb.case().when('state', '=', 'failed').then(1).else(0).end()).as('failed_runs'),
      eb.fn.sum<number>('failed_checks').as('failed_checks'),
    ])
    .where('user_id', 'in', learnersOf(db, cohortId))
    .where('state', 'in', ['passed', 'failed'])
    .groupBy('project_id')
    .execute();
  return rows.map((r) => ({
    project_id: r.project_id,
    runs: Number(r.runs),
    failed_runs: Number(r.failed_runs ?? 0),
    failed_checks: Number(r.failed_checks ?? 0),
  }));
}
