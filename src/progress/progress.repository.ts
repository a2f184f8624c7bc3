import type { Queryable } from '../db/types.js';
import type { ActivityTable, ProgressRow } from '../db/schema.js';
import type { Insertable } from 'kysely';

export function listProgress(
  db: Queryable,
  userId: string,
  topicIds?: readonly string[],
): Promise<ProgressRow[]> {
  let query = db.selectFrom('progress').selectAll().where('user_id', '=', userId);
  if (topicIds) {
    if (topicIds.length === 0) return Promise.resolve([]);
    query = query.where('topic_id', 'in', topicIds);
  }
  return query.orderBy('topic_id').execute();
}

export function findProgress(
  db: Queryable,
  userId: string,
  topicId: string,
): Promise<ProgressRow | undefined> {
  return db
    .selectFrom('progress')
    .selectAll()
    .where('user_id', '=', userId)
    .where('topic_id', '=', topicId)
    .executeTakeFirst();
}

export async function upsertProgress(db: Queryable, row: ProgressRow): Promise<void> {
  await db
    .insertInto('progress')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['user_id', 'topic_id']).doUpdateSet({
        status: row.status,
        note: row.note,
        updated_at: row.updated_at,
        status_changed_at: row.status_changed_at,
      }),
    )
    .execute();
}

export async function deleteProgress(db: Queryable, userId: string, topicId: string): Promise<void> {
  await db.deleteFrom('progress').where('user_id', '=', userId).where('topic_id', '=', topicId).execute();
}

/** Sets the given topics back to pending, keeping notes (a reset never destroys what was typed). */
export async function resetStatuses(
  db: Queryable,
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

export async function insertActivity(db: Queryable, rows: Insertable<ActivityTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('activity').values(rows).execute();
}

export function listActivity(db: Queryable, userId: string, sinceIso?: string) {
  let query = db.selectFrom('activity').selectAll().where('user_id', '=', userId);
  if (sinceIso) query = query.where('created_at', '>=', sinceIso);
  return query.orderBy('created_at').orderBy('id').execute();
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

export async function reassignActivity(db: Queryable, fromUserId: string, toUserId: string): Promise<void> {
  await db.updateTable('activity').set({ user_id: toUserId }).where('user_id', '=', fromUserId).execute();
}

export async function rekeyActivityTopic(
  db: Queryable,
  fromTopicId: string,
  toTopicId: string,
): Promise<void> {
  await db.updateTable('activity').set({ topic_id: toTopicId }).where('topic_id', '=', fromTopicId).execute();
}

// Checklist ticks -----------------------------------------------------------------------------

export function listTicks(db: Queryable, userId: string, topicId?: string) {
  let query = db.selectFrom('checklist_ticks').selectAll().where('user_id', '=', userId);
  if (topicId) query = query.where('topic_id', '=', topicId);
  return query.orderBy('topic_id').orderBy('item_id').execute();
}

export async function setTick(
  db: Queryable,
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

export async function markContentMigration(db: Queryable, key: string, at: string): Promise<void> {
  await db
    .insertInto('content_migrations')
    .values({ key, applied_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export function progressRowsForTopic(db: Queryable, topicId: string): Promise<ProgressRow[]> {
  return db.selectFrom('progress').selectAll().where('topic_id', '=', topicId).execute();
}

export async function rekeyTicks(db: Queryable, fromTopicId: string, toTopicId: string): Promise<void> {
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
