// SQL for the per-day activity rollup (see activity-days.ts for why and how it stays correct).

import { sql } from 'kysely';
import type { ActivityTable } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';

/** Kinds of activity that count as learning on a day (streaks, heatmap). */
export const LEARNING_ACTIVITY: readonly ActivityTable['kind'][] = ['status', 'note', 'checklist', 'review'];

/** Timestamps written by `Date.prototype.toISOString()`: the only ones grouped in SQL. */
const CANONICAL = '____-__-__T__:__:__.___Z';

export async function findRollup(db: Queryable, userId: string) {
  return db.selectFrom('activity_rollups').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Drops the learner's rollup when activity lands on a day it already closed: activity stamped at
 * `earliest` (an import, a back-dated write), or anywhere in the history (`null`: a merged guest).
 * The next fold rebuilds it; reads meanwhile count from the log.
 */
export async function dropRollup(db: WriteTx, userId: string, earliest: string | null): Promise<void> {
  let query = db.deleteFrom('activity_rollups').where('user_id', '=', userId);
  // A timestamp in another ISO form (with an offset) cannot be compared as text: drop in any case.
  if (earliest !== null && /Z$/.test(earliest)) query = query.where('through_utc', '>', earliest);
  await query.execute();
}

/**
 * Learners whose rollup may lack closed days, with the zone their days are cut in (users.time_zone):
 * no rollup yet although they have activity, a rollup cut in another zone, or one whose boundary
 * is older than `behindBefore`. In user id order after `afterUserId`, at most `limit`.
 */
export async function rollupCandidates(
  db: Queryable,
  options: { behindBefore: string; afterUserId: string; limit: number },
): Promise<{ userId: string; timeZone: string }[]> {
  return db
    .selectFrom('users')
    .leftJoin('activity_rollups', 'activity_rollups.user_id', 'users.id')
    .select(['users.id as userId', 'users.time_zone as timeZone'])
    .where('users.id', '>', options.afterUserId)
    .where((eb) =>
      eb.or([
        eb('activity_rollups.user_id', 'is', null),
        eb('activity_rollups.through_utc', '<', options.behindBefore),
        eb('activity_rollups.time_zone', '!=', eb.ref('users.time_zone')),
      ]),
    )
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('activity')
          .select('activity.user_id')
          .whereRef('activity.user_id', '=', 'users.id')
          .where('activity.kind', 'in', LEARNING_ACTIVITY),
      ),
    )
    .orderBy('users.id')
    .limit(options.limit)
    .execute();
}

export async function listDays(db: Queryable, userId: string): Promise<{ day: string; count: number }[]> {
  const rows = await db
    .selectFrom('activity_days')
    .select(['day', 'count'])
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.count) }));
}

/**
 * Learning activity counted per UTC hour — split at `splitMinute` past the hour for zones whose
 * offset is not whole hours — in `[fromUtc, toUtc)` (`fromUtc` null: from the beginning).
 * A bucket is `YYYY-MM-DDTHH` followed by `a` (before the split) or `b`.
 */
export async function bucketCounts(
  db: Queryable,
  userId: string,
  fromUtc: string | null,
  toUtc: string,
  splitMinute: number,
): Promise<{ bucket: string; count: number }[]> {
  const split = String(splitMinute).padStart(2, '0');
  let query = db
    .selectFrom('activity')
    .select([
      sql<string>`substr(created_at, 1, 13) || case when substr(created_at, 15, 2) >= ${split} then 'b' else 'a' end`.as(
        'bucket',
      ),
      (eb) => eb.fn.countAll<string | number>().as('count'),
    ])
    .where('user_id', '=', userId)
    .where('kind', 'in', LEARNING_ACTIVITY)
    .where('created_at', '<', toUtc)
    .where('created_at', 'like', CANONICAL);
  if (fromUtc !== null) query = query.where('created_at', '>=', fromUtc);
  const rows = await query.groupBy('bucket').execute();
  return rows.map((r) => ({ bucket: r.bucket, count: Number(r.count) }));
}

/** Learning activity whose timestamp was imported in another ISO form (with an offset, say). */
export async function nonCanonicalTimes(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('activity')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('kind', 'in', LEARNING_ACTIVITY)
    .where('created_at', 'not like', CANONICAL)
    .execute();
  return rows.map((r) => r.created_at);
}

/**
 * Replaces (rebuild) or extends (fold) the learner's day counts and moves the rollup's boundary,
 * only if the rollup is still as the caller saw it (`seen`): of two folds of the same days at once
 * (two instances' maintenance jobs), one writes and the other's counts are discarded, so no day is
 * counted twice. Returns false when another fold got there first.
 */
export async function saveRollup(
  db: WriteTx,
  dialect: 'sqlite' | 'postgres',
  rollup: { userId: string; timeZone: string; throughDay: string; throughUtc: string },
  seen: { time_zone: string; through_utc: string } | undefined,
  days: Map<string, number>,
  mode: 'replace' | 'add',
): Promise<boolean> {
  const values = {
    user_id: rollup.userId,
    time_zone: rollup.timeZone,
    through_day: rollup.throughDay,
    through_utc: rollup.throughUtc,
  };
  if (seen === undefined) {
    const inserted = await db
      .insertInto('activity_rollups')
      .values(values)
      .onConflict((oc) => oc.column('user_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  } else {
    let lock = db
      .selectFrom('activity_rollups')
      .select(['time_zone', 'through_utc'])
      .where('user_id', '=', rollup.userId);
    if (dialect === 'postgres') lock = lock.forUpdate();
    const current = await lock.executeTakeFirst();
    if (!current || current.time_zone !== seen.time_zone || current.through_utc !== seen.through_utc)
      return false;
    await db
      .updateTable('activity_rollups')
      .set({ time_zone: values.time_zone, through_day: values.through_day, through_utc: values.through_utc })
      .where('user_id', '=', rollup.userId)
      .execute();
  }
  if (mode === 'replace') await db.deleteFrom('activity_days').where('user_id', '=', rollup.userId).execute();
  const rows = [...days].map(([day, count]) => ({ user_id: rollup.userId, day, count }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('activity_days')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['user_id', 'day']).doUpdateSet((eb) => ({
          count: sql`${eb.ref('activity_days.count')} + ${eb.ref('excluded.count')}`,
        })),
      )
      .execute();
  }
  return true;
}
