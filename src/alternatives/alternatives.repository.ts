import type { Queryable, WriteTx } from '../db/types.js';
import type { AlternativeChoiceRow } from '../db/schema.js';

// All of the alternative-choice SQL. Every query is scoped by user id.

/** The user's choices, in every roadmap or in one. */
export function listChoices(
  db: Queryable,
  userId: string,
  roadmapId?: string,
): Promise<AlternativeChoiceRow[]> {
  let query = db.selectFrom('alternative_choices').selectAll().where('user_id', '=', userId);
  if (roadmapId !== undefined) query = query.where('roadmap_id', '=', roadmapId);
  return query.orderBy('roadmap_id').orderBy('set_id').execute();
}

/** Stores a choice, replacing the one before. */
export async function putChoice(db: WriteTx, row: AlternativeChoiceRow): Promise<void> {
  await db
    .insertInto('alternative_choices')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'roadmap_id', 'set_id'])
        .doUpdateSet({ topic_id: row.topic_id, updated_at: row.updated_at }),
    )
    .execute();
}

/** Forgets a choice: the set falls back to its default. */
export async function deleteChoice(
  db: WriteTx,
  userId: string,
  roadmapId: string,
  setId: string,
): Promise<void> {
  await db
    .deleteFrom('alternative_choices')
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .where('set_id', '=', setId)
    .execute();
}

/** Points choices of a merged topic id at the surviving one. */
export async function rekeyTopic(db: WriteTx, fromTopicId: string, toTopicId: string): Promise<void> {
  await db
    .updateTable('alternative_choices')
    .set({ topic_id: toTopicId })
    .where('topic_id', '=', fromTopicId)
    .execute();
}
