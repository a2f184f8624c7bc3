import type { Queryable, WriteTx } from '../db/types.js';
import type { ActivityTable, ProgressRow } from '../db/schema.js';
import { sql, type Insertable } from 'kysely';
import { prepared } from '../db/prepared.js';
import { dropRollup, LEARNING_ACTIVITY } from './activity-days.repository.js';

export { LEARNING_ACTIVITY };

// The queries a progress read or write runs on every request are prepared once (see prepared()).
const listProgressQuery = prepared((db, userId: string) =>
  db.selectFrom('progress').selectAll().where('user_id', '=', userId).orderBy('topic_id'),
);
const findProgressQuery = prepared((db, userId: string, topicId: string) =>
  db.selectFrom('progress').selectAll().where('user_id', '=', userId).where('topic_id', '=', topicId),
);
const upsertProgressQuery = prepared(
  (
    db,
    userId: string,
    topicId: string,
    status: ProgressRow['status'],
    note: string,
    createdAt: string,
    updatedAt: string,
    statusChangedAt: ProgressRow['status_changed_at'],
  ) =>
    db
      .insertInto('progress')
      .values({
        user_id: userId,
        topic_id: topicId,
        status,
        note,
        created_at: createdAt,
        updated_at: updatedAt,
        status_changed_at: statusChangedAt,
      })
      .onConflict((oc) =>
        oc.columns(['user_id', 'topic_id']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          note: eb.ref('excluded.note'),
          updated_at: eb.ref('excluded.updated_at'),
          status_changed_at: eb.ref('excluded.status_changed_at'),
        })),
      ),
);
const insertActivityQuery = prepared(
  (
    db,
    userId: string,
    topicId: string | null,
    kind: ActivityTable['kind'],
    fromStatus: string | null,
    toStatus: string | null,
    createdAt: string,
    detail: string | null,
  ) =>
    db.insertInto('activity').values({
      user_id: userId,
      topic_id: topicId,
      kind,
      from_status: fromStatus,
      to_status: toStatus,
      created_at: createdAt,
      detail,
    }),
);
const listTopicTicksQuery = prepared((db, userId: string, topicId: string) =>
  db
    .selectFrom('checklist_ticks')
    .selectAll()
    .where('user_id', '=', userId)
    .where('topic_id', '=', topicId)
    .orderBy('item_id'),
);

export async function listProgress(
  db: Queryable,
  userId: string,
  topicIds?: readonly string[],
): Promise<ProgressRow[]> {
  if (!topicIds) return (await listProgressQuery(db, userId)).rows as ProgressRow[];
  if (topicIds.length === 0) return [];
  return db
    .selectFrom('progress')
    .selectAll()
    .where('user_id', '=', userId)
    .where('topic_id', 'in', topicIds)
    .orderBy('topic_id')
    .execute();
}

export async function findProgress(
  db: Queryable,
  userId: string,
  topicId: string,
): Promise<ProgressRow | undefined> {
  return (await findProgressQuery(db, userId, topicId)).rows[0] as ProgressRow | undefined;
}

export async function upsertProgress(db: Queryable, row: ProgressRow): Promise<void> {
  await upsertProgressQuery(
    db,
    row.user_id,
    row.topic_id,
    row.status,
    row.note,
    row.created_at,
    row.updated_at,
    row.status_changed_at,
  );
}

export async function deleteProgress(db: WriteTx, userId: string, topicId: string): Promise<void> {
  await db.deleteFrom('progress').where('user_id', '=', userId).where('topic_id', '=', topicId).execute();
}

/** Sets the given topics back to pending, keeping notes (a reset never destroys what was typed). */
export async function resetStatuses(
  db: WriteTx,
  userId: string,
  topicIds: readonly string[],
  now: string,
): Promise<number> {
  if (topicIds.length === 0) return 0;
  const result = await db
    .updateTable('progress')
    .set({ status: 'pending', updated_at: now, status_changed_at: now })
    .where('user_id', '=', userId)
    .where('topic_id', 'in', topicIds)
    .where('status', '!=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Activity stamped this long before the wall clock may land on a day the rollup already closed. */
const ROLLUP_SAFE_MS = 36 * 3600 * 1000;

/** The instant before which new activity counts as back-dated (it may land on a closed rollup day). */
function rollupSafeBefore(): string {
  return new Date(Date.now() - ROLLUP_SAFE_MS).toISOString();
}

/**
 * PostgreSQL only: a whole progress change as one statement, so it costs one round trip and needs
 * no BEGIN/COMMIT (a single statement is atomic on its own). It reads the row as it was, writes only
 * when the status or the note differ (or there is no row yet), logs each change to `activity`, drops
 * rollups that back-dated activity would make wrong (as {@link insertActivity} does), and returns the
 * stored row with the topic's ticked items. `status`/`note` null: keep the current value.
 */
export async function changeProgressAtOnce(
  db: WriteTx,
  change: { userId: string; topicId: string; status: string | null; note: string | null; now: string },
): Promise<{ row: ProgressRow | undefined; ticks: string[] }> {
  const { userId, topicId, status, note, now } = change;
  const result = await sql<ProgressRow & { ticks: string[] }>`
    with prev as (
      select * from progress where user_id = ${userId} and topic_id = ${topicId}
    ),
    want as (
      select coalesce(${status}::text, prev.status, 'pending') as status,
             coalesce(${note}::text, prev.note, '') as note,
             prev.status as old_status, prev.note as old_note
      from (select 1) as one left join prev on true
    ),
    up as (
      insert into progress as p (user_id, topic_id, status, note, created_at, updated_at, status_changed_at)
      select ${userId}, ${topicId}, want.status, want.note, ${now}, ${now}, ${now} from want
      where want.old_status is null or want.status <> want.old_status or want.note <> want.old_note
      on conflict (user_id, topic_id) do update set
        status = excluded.status,
        note = excluded.note,
        updated_at = excluded.updated_at,
        status_changed_at = case when p.status <> excluded.status then excluded.updated_at else p.status_changed_at end
      returning p.*
    ),
    logged as (
      insert into activity (user_id, topic_id, kind, from_status, to_status, created_at, detail)
      select ${userId}, ${topicId}, 'status', coalesce(want.old_status, 'pending'), up.status, ${now}, null
        from up, want where up.status <> coalesce(want.old_status, 'pending')
      union all
      select ${userId}, ${topicId}, 'note', null, null, ${now}, null
        from up, want where up.note <> coalesce(want.old_note, '')
      returning 1
    ),
    unrolled as (
      delete from activity_rollups
      where user_id = ${userId} and through_utc > ${now} and ${now}::text < ${rollupSafeBefore()}::text
        and exists (select 1 from logged)
    )
    select stored.*,
      array(select item_id from checklist_ticks
            where user_id = ${userId} and topic_id = ${topicId} order by item_id) as ticks
    from (
      select * from up
      union all
      select * from prev where not exists (select 1 from up)
    ) as stored`.execute(db);
  const first = result.rows[0];
  if (!first) return { row: undefined, ticks: [] };
  const { ticks, ...row } = first;
  return { row, ticks };
}

export async function insertActivity(db: WriteTx, rows: Insertable<ActivityTable>[]): Promise<void> {
  const staleBefore = rollupSafeBefore();
  const earliestByUser = new Map<string, string>();
  for (const row of rows) {
    if (row.created_at >= staleBefore) continue;
    const seen = earliestByUser.get(row.user_id);
    if (seen === undefined || row.created_at < seen) earliestByUser.set(row.user_id, row.created_at);
  }
  // Back-dated activity (imports, tests on a manual clock) may fall on closed days: see activity-days.ts.
  for (const [userId, earliest] of earliestByUser) await dropRollup(db, userId, earliest);
  // One or two rows per change: the prepared single-row insert beats building a multi-row one.
  if (rows.length > 2) {
    await db.insertInto('activity').values(rows).execute();
    return;
  }
  for (const row of rows) {
    await insertActivityQuery(
      db,
      row.user_id,
      row.topic_id ?? null,
      row.kind,
      row.from_status ?? null,
      row.to_status ?? null,
      row.created_at,
      row.detail ?? null,
    );
  }
}

/** One page of the learner's activity in time order, after `after` (keyset: created_at, then id). */
export function listActivityPage(
  db: Queryable,
  userId: string,
  after: { created_at: string; id: number } | null,
  limit: number,
) {
  let query = db.selectFrom('activity').selectAll().where('user_id', '=', userId);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.created_at),
        eb.and([eb('created_at', '=', after.created_at), eb('id', '>', after.id)]),
      ]),
    );
  return query.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function activityExists(
  db: Queryable,
  userId: string,
  row: { topic_id: string | null; kind: string; created_at: string; to_status: string | null },
): Promise<boolean> {
  let query = db
    .selectFrom('activity')
    .select('id')
    .where('user_id', '=', userId)
    .where('kind', '=', row.kind as ActivityTable['kind'])
    .where('created_at', '=', row.created_at);
  query =
    row.topic_id === null ? query.where('topic_id', 'is', null) : query.where('topic_id', '=', row.topic_id);
  query =
    row.to_status === null
      ? query.where('to_status', 'is', null)
      : query.where('to_status', '=', row.to_status);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function reassignActivity(db: WriteTx, fromUserId: string, toUserId: string): Promise<void> {
  await db.updateTable('activity').set({ user_id: toUserId }).where('user_id', '=', fromUserId).execute();
  // The merged-in history lands on days the rollup may have closed (see activity-days.ts).
  await dropRollup(db, toUserId, null);
}

export async function rekeyActivityTopic(db: WriteTx, fromTopicId: string, toTopicId: string): Promise<void> {
  await db.updateTable('activity').set({ topic_id: toTopicId }).where('topic_id', '=', fromTopicId).execute();
}

// Checklist ticks -----------------------------------------------------------------------------

export async function listTicks(db: Queryable, userId: string, topicId?: string) {
  if (topicId) return (await listTopicTicksQuery(db, userId, topicId)).rows;
  return db
    .selectFrom('checklist_ticks')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('topic_id')
    .orderBy('item_id')
    .execute();
}

export async function setTick(
  db: WriteTx,
  userId: string,
  topicId: string,
  itemId: string,
  at: string | null,
): Promise<void> {
  if (at === null) {
    await db
      .deleteFrom('checklist_ticks')
      .where('user_id', '=', userId)
      .where('topic_id', '=', topicId)
      .where('item_id', '=', itemId)
      .execute();
    return;
  }
  await db
    .insertInto('checklist_ticks')
    .values({ user_id: userId, topic_id: topicId, item_id: itemId, ticked_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'topic_id', 'item_id']).doNothing())
    .execute();
}

// Content migrations (aliases) ----------------------------------------------------------------

export async function contentMigrationApplied(db: Queryable, key: string): Promise<boolean> {
  return (
    (await db.selectFrom('content_migrations').select('key').where('key', '=', key).executeTakeFirst()) !==
    undefined
  );
}

export async function markContentMigration(db: WriteTx, key: string, at: string): Promise<void> {
  await db
    .insertInto('content_migrations')
    .values({ key, applied_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export function progressRowsForTopic(db: Queryable, topicId: string): Promise<ProgressRow[]> {
  return db.selectFrom('progress').selectAll().where('topic_id', '=', topicId).execute();
}

export async function rekeyTicks(db: WriteTx, fromTopicId: string, toTopicId: string): Promise<void> {
  const ticks = await db
    .selectFrom('checklist_ticks')
    .selectAll()
    .where('topic_id', '=', fromTopicId)
    .execute();
  for (const tick of ticks) {
    await db
      .insertInto('checklist_ticks')
      .values({ ...tick, topic_id: toTopicId })
      .onConflict((oc) => oc.columns(['user_id', 'topic_id', 'item_id']).doNothing())
      .execute();
  }
  await db.deleteFrom('checklist_ticks').where('topic_id', '=', fromTopicId).execute();
}

// Reads other features use (through progress.read.ts) ------------------------------------------

/** Timestamps of the learner's learning activity, oldest first (optionally only since an instant). */
export async function learningActivityTimes(
  db: Queryable,
  userId: string,
  sinceIso?: string,
): Promise<string[]> {
  let query = db
    .selectFrom('activity')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('kind', 'in', LEARNING_ACTIVITY);
  if (sinceIso !== undefined) query = query.where('created_at', '>=', sinceIso);
  const rows = await query.orderBy('created_at').execute();
  return rows.map((r) => r.created_at);
}

/** How many checklist items each topic has ticked. */
export async function tickCountsByTopic(db: Queryable, userId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('checklist_ticks')
    .select(['topic_id', (eb) => eb.fn.countAll<string | number>().as('ticked')])
    .where('user_id', '=', userId)
    .groupBy('topic_id')
    .execute();
  return new Map(rows.map((r) => [r.topic_id, Number(r.ticked)]));
}
