import type { FeedbackCommentRow } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';

// All of the feedback SQL. Every read is scoped by the learner; mentors' reads also by cohort.

/** A comment with its author's name in the cohort (null once they left it, or for a reply without one). */
export type CommentWithAuthor = FeedbackCommentRow & { author_name: string | null };

export interface ThreadFilter {
  learnerId: string;
  /** Only these cohorts (a mentor's view); undefined for all (the learner's own view). */
  cohortIds?: readonly string[];
  topicId?: string;
  runId?: string;
}

/** Comments on a learner's learning, oldest first, optionally one topic's or run's. */
export function listComments(db: Queryable, filter: ThreadFilter): Promise<CommentWithAuthor[]> {
  let query = db
    .selectFrom('feedback_comments as c')
    .leftJoin('cohort_members as m', (join) =>
      join.onRef('m.cohort_id', '=', 'c.cohort_id').onRef('m.user_id', '=', 'c.author_id'),
    )
    .selectAll('c')
    .select('m.display_name as author_name')
    .where('c.learner_id', '=', filter.learnerId);
  if (filter.cohortIds !== undefined) {
    if (filter.cohortIds.length === 0) return Promise.resolve([]);
    query = query.where('c.cohort_id', 'in', [...filter.cohortIds]);
  }
  if (filter.topicId !== undefined) query = query.where('c.topic_id', '=', filter.topicId);
  if (filter.runId !== undefined) query = query.where('c.run_id', '=', filter.runId);
  return query.orderBy('c.created_at').orderBy('c.id').execute();
}

/** Every row of the learner's threads (export). */
export function listForLearner(db: Queryable, learnerId: string): Promise<FeedbackCommentRow[]> {
  return db
    .selectFrom('feedback_comments')
    .selectAll()
    .where('learner_id', '=', learnerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** How many comments by others the learner has not seen yet. */
export async function countUnread(db: Queryable, learnerId: string): Promise<number> {
  const row = await db
    .selectFrom('feedback_comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('learner_id', '=', learnerId)
    .where('author_id', '<>', learnerId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function findComment(db: Queryable, id: string): Promise<FeedbackCommentRow | undefined> {
  return db.selectFrom('feedback_comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertComment(db: WriteTx, row: FeedbackCommentRow): Promise<void> {
  await db.insertInto('feedback_comments').values(row).execute();
}

/** Marks others' comments as seen by the learner (one topic's, one run's, or all). Returns how many. */
export async function markRead(
  db: WriteTx,
  learnerId: string,
  at: string,
  where: { topicId?: string; runId?: string } = {},
): Promise<number> {
  let query = db
    .updateTable('feedback_comments')
    .set({ read_at: at })
    .where('learner_id', '=', learnerId)
    .where('author_id', '<>', learnerId)
    .where('read_at', 'is', null);
  if (where.topicId !== undefined) query = query.where('topic_id', '=', where.topicId);
  if (where.runId !== undefined) query = query.where('run_id', '=', where.runId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Points comments on a merged topic id at the surviving one. */
export async function rekeyTopic(db: WriteTx, fromTopicId: string, toTopicId: string): Promise<void> {
  await db
    .updateTable('feedback_comments')
    .set({ topic_id: toTopicId })
    .where('topic_id', '=', fromTopicId)
    .execute();
}

/** Moves a guest's comments into the account (guests have no cohort; kept for completeness). */
export async function reassignLearner(db: WriteTx, fromUserId: string, toUserId: string): Promise<void> {
  await db
    .updateTable('feedback_comments')
    .set({ learner_id: toUserId })
    .where('learner_id', '=', fromUserId)
    .execute();
  await db
    .updateTable('feedback_comments')
    .set({ author_id: toUserId })
    .where('author_id', '=', fromUserId)
    .execute();
}

/** Which of these user ids exist here (an imported comment keeps its author only if they do). */
export async function existingUsers(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((row) => row.id));
}
