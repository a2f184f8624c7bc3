import type { Queryable } from '../db/types.js';

// All of the insights SQL: reads over the learners of one cohort (their progress and project runs),
// aggregated in the database where it can be, so the answer's size follows topics, not learners.

function learnersOf(db: Queryable, cohortId: string) {
  return db
    .selectFrom('cohort_members')
    .select('user_id')
    .where('cohort_id', '=', cohortId)
    .where('role', '=', 'learner');
}

export async function countLearners(db: Queryable, cohortId: string): Promise<number> {
  const row = await learnersOf(db, cohortId)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Since when each learner of the cohort has had each topic in `learning`. */
export function learningSince(
  db: Queryable,
  cohortId: string,
  topicIds: readonly string[],
): Promise<{ topic_id: string; since: string }[]> {
  if (topicIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('progress')
    .select(['topic_id', 'status_changed_at as since'])
    .where('user_id', 'in', learnersOf(db, cohortId))
    .where('status', '=', 'learning')
    .where('topic_id', 'in', [...topicIds])
    .execute();
}

/** How many learners of the cohort finished (done or skipped) each topic. */
export async function finishedCounts(
  db: Queryable,
  cohortId: string,
  topicIds: readonly string[],
): Promise<Map<string, number>> {
  if (topicIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('progress')
    .select(['topic_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', 'in', learnersOf(db, cohortId))
    .where('status', 'in', ['done', 'skipped'])
    .where('topic_id', 'in', [...topicIds])
    .groupBy('topic_id')
    .execute();
  return new Map(rows.map((r) => [r.topic_id, Number(r.n)]));
}

/** When each learner finished each topic (for the burn-up). */
export function finishes(
  db: Queryable,
  cohortId: string,
  topicIds: readonly string[],
): Promise<{ user_id: string; topic_id: string; at: string }[]> {
  if (topicIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('progress')
    .select(['user_id', 'topic_id', 'status_changed_at as at'])
    .where('user_id', 'in', learnersOf(db, cohortId))
    .where('status', 'in', ['done', 'skipped'])
    .where('topic_id', 'in', [...topicIds])
    .execute();
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
