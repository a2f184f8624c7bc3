import type { Insertable } from 'kysely';
import type { Queryable, WriteTx } from '../db/types.js';
import type { ReviewCardRow, ReviewLogRow, ReviewLogsTable, ReviewSettingsRow } from '../db/schema.js';

// All of the review feature's SQL. Every query is scoped by user id.

export function listCards(db: Queryable, userId: string): Promise<ReviewCardRow[]> {
  return db
    .selectFrom('review_cards')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('card_key')
    .execute();
}

export function findCard(db: Queryable, userId: string, cardKey: string): Promise<ReviewCardRow | undefined> {
  return db
    .selectFrom('review_cards')
    .selectAll()
    .where('user_id', '=', userId)
    .where('card_key', '=', cardKey)
    .executeTakeFirst();
}

/**
 * Stores a card's first rating. Returns false when a row appeared meanwhile (another request
 * rated the same card first), so the caller can refuse instead of overwriting it.
 */
export async function insertCard(db: WriteTx, row: ReviewCardRow): Promise<boolean> {
  const inserted = await db
    .insertInto('review_cards')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'card_key']).doNothing())
    .returning('card_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A card's scheduling state: every column a rating or an import changes. */
function schedulingState(row: ReviewCardRow) {
  return {
    topic_id: row.topic_id,
    state: row.state,
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    scheduled_days: row.scheduled_days,
    learning_steps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    last_review: row.last_review,
  };
}

/**
 * Replaces a card's state if it still has `expectedReps` repetitions (optimistic concurrency:
 * two tabs rating the same card cannot both win). Returns false when the row had moved on.
 */
export async function updateCard(db: WriteTx, row: ReviewCardRow, expectedReps: number): Promise<boolean> {
  const updated = await db
    .updateTable('review_cards')
    .set(schedulingState(row))
    .where('user_id', '=', row.user_id)
    .where('card_key', '=', row.card_key)
    .where('reps', '=', expectedReps)
    .returning('card_key')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Inserts or replaces a card's state unconditionally (import, merge and re-keying decide first). */
export async function putCard(db: WriteTx, row: ReviewCardRow): Promise<void> {
  await db
    .insertInto('review_cards')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'card_key'])
        .doUpdateSet({ ...schedulingState(row), created_at: row.created_at }),
    )
    .execute();
}

export async function deleteCard(db: WriteTx, userId: string, cardKey: string): Promise<void> {
  await db.deleteFrom('review_cards').where('user_id', '=', userId).where('card_key', '=', cardKey).execute();
}

export function cardsForTopic(db: Queryable, topicId: string): Promise<ReviewCardRow[]> {
  return db.selectFrom('review_cards').selectAll().where('topic_id', '=', topicId).execute();
}

// Logs ----------------------------------------------------------------------------------------

export function listLogs(db: Queryable, userId: string): Promise<ReviewLogRow[]> {
  return db
    .selectFrom('review_logs')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('reviewed_at')
    .orderBy('card_key')
    .execute();
}

/** Inserts logs, skipping any already stored (same user, card and instant). Returns how many were new. */
export async function insertLogs(db: WriteTx, rows: Insertable<ReviewLogsTable>[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const result = await db
      .insertInto('review_logs')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['user_id', 'card_key', 'reviewed_at']).doNothing())
      .returning('card_key')
      .execute();
    inserted += result.length;
  }
  return inserted;
}

export function logsForTopic(db: Queryable, topicId: string): Promise<ReviewLogRow[]> {
  return db.selectFrom('review_logs').selectAll().where('topic_id', '=', topicId).execute();
}

export async function deleteLogsForTopic(db: WriteTx, topicId: string): Promise<void> {
  await db.deleteFrom('review_logs').where('topic_id', '=', topicId).execute();
}

// Settings ------------------------------------------------------------------------------------

export function findSettings(db: Queryable, userId: string): Promise<ReviewSettingsRow | undefined> {
  return db.selectFrom('review_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Inserts the settings row, or updates only the `changed` columns (and `updated_at`) of the stored one. */
async function upsertSettings(
  db: WriteTx,
  row: Omit<ReviewSettingsRow, 'new_cards_per_day'> & { new_cards_per_day?: number },
  changed: Partial<Pick<ReviewSettingsRow, 'desired_retention' | 'new_cards_per_day'>>,
): Promise<void> {
  await db
    .insertInto('review_settings')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...changed, updated_at: row.updated_at }))
    .execute();
}

/** Stores the retention target; the new-card limit is left as it was (null on a first row). */
export function putSettings(db: WriteTx, row: Omit<ReviewSettingsRow, 'new_cards_per_day'>): Promise<void> {
  return upsertSettings(db, row, { desired_retention: row.desired_retention });
}

/** Stores the new-card limit, creating the settings row with the given retention when there is none. */
export function putNewCardLimit(
  db: WriteTx,
  row: Omit<ReviewSettingsRow, 'new_cards_per_day'> & { new_cards_per_day: number },
): Promise<void> {
  return upsertSettings(db, row, { new_cards_per_day: row.new_cards_per_day });
}

// Which topics feed the queue ------------------------------------------------------------------
