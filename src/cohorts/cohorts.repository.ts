import type { Queryable, WriteTx } from '../db/types.js';
import type { CohortInviteRow, CohortMemberRow, CohortRow, LearnerSummaryRow } from '../db/schema.js';

// All of the cohort SQL: cohorts, their roadmaps, memberships, invites, shared notes, summaries.

export type CohortRole = CohortMemberRow['role'];

export function findCohort(db: Queryable, id: string): Promise<CohortRow | undefined> {
  return db.selectFrom('cohorts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCohorts(db: Queryable): Promise<CohortRow[]> {
  return db.selectFrom('cohorts').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
}

/** The cohorts one user belongs to, with their role in each. */
export function listMembershipsOf(
  db: Queryable,
  userId: string,
): Promise<Array<CohortMemberRow & { cohort_name: string }>> {
  return db
    .selectFrom('cohort_members')
    .innerJoin('cohorts', 'cohorts.id', 'cohort_members.cohort_id')
    .selectAll('cohort_members')
    .select('cohorts.name as cohort_name')
    .where('cohort_members.user_id', '=', userId)
    .orderBy('cohort_members.joined_at')
    .execute();
}

export function findMembership(
  db: Queryable,
  cohortId: string,
  userId: string,
): Promise<CohortMemberRow | undefined> {
  return db
    .selectFrom('cohort_members')
    .selectAll()
    .where('cohort_id', '=', cohortId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Whether `mentorId` mentors a cohort in which `learnerId` is a learner. */
export async function mentorsLearner(db: Queryable, mentorId: string, learnerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('cohort_members as m')
    .innerJoin('cohort_members as l', 'l.cohort_id', 'm.cohort_id')
    .select('m.cohort_id')
    .where('m.user_id', '=', mentorId)
    .where('m.role', '=', 'mentor')
    .where('l.user_id', '=', learnerId)
    .where('l.role', '=', 'learner')
    .executeTakeFirst();
  return row !== undefined;
}

export function listMembers(db: Queryable, cohortId: string, role: CohortRole): Promise<CohortMemberRow[]> {
  return db
    .selectFrom('cohort_members')
    .selectAll()
    .where('cohort_id', '=', cohortId)
    .where('role', '=', role)
    .orderBy('user_id')
    .execute();
}

export function listCohortRoadmaps(db: Queryable, cohortId: string): Promise<string[]> {
  return db
    .selectFrom('cohort_roadmaps')
    .select('roadmap_id')
    .where('cohort_id', '=', cohortId)
    .orderBy('position')
    .execute()
    .then((rows) => rows.map((r) => r.roadmap_id));
}

export async function insertCohort(
  trx: WriteTx,
  row: CohortRow,
  roadmapIds: readonly string[],
): Promise<void> {
  await trx.insertInto('cohorts').values(row).execute();
  await trx
    .insertInto('cohort_roadmaps')
    .values(roadmapIds.map((roadmap_id, position) => ({ cohort_id: row.id, roadmap_id, position })))
    .execute();
}

export async function updateCohort(
  trx: WriteTx,
  id: string,
  changes: Partial<Omit<CohortRow, 'id' | 'created_at' | 'created_by'>>,
): Promise<void> {
  await trx.updateTable('cohorts').set(changes).where('id', '=', id).execute();
}

export async function deleteCohort(trx: WriteTx, id: string): Promise<void> {
  await trx.deleteFrom('cohorts').where('id', '=', id).execute();
}

export async function putMember(trx: WriteTx, row: CohortMemberRow): Promise<void> {
  await trx
    .insertInto('cohort_members')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['cohort_id', 'user_id']).doUpdateSet({
        role: row.role,
        display_name: row.display_name,
        share_reflections: row.share_reflections,
        consented_at: row.consented_at,
      }),
    )
    .execute();
}

export async function setShareReflections(
  trx: WriteTx,
  cohortId: string,
  userId: string,
  share: boolean,
): Promise<void> {
  await trx
    .updateTable('cohort_members')
    .set({ share_reflections: share ? 1 : 0 })
    .where('cohort_id', '=', cohortId)
    .where('user_id', '=', userId)
    .execute();
}

/** Ends a membership; true when there was one. */
export async function deleteMember(trx: WriteTx, cohortId: string, userId: string): Promise<boolean> {
  await trx
    .deleteFrom('learner_summaries')
    .where('cohort_id', '=', cohortId)
    .where('user_id', '=', userId)
    .execute();
  const result = await trx
    .deleteFrom('cohort_members')
    .where('cohort_id', '=', cohortId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// Invites -------------------------------------------------------------------------------------

export async function insertInvite(trx: WriteTx, row: CohortInviteRow): Promise<void> {
  await trx.insertInto('cohort_invites').values(row).execute();
}

export function findInviteByHash(db: Queryable, tokenHash: string): Promise<CohortInviteRow | undefined> {
  return db.selectFrom('cohort_invites').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function listInvites(db: Queryable, cohortId: string): Promise<CohortInviteRow[]> {
  return db
    .selectFrom('cohort_invites')
    .selectAll()
    .where('cohort_id', '=', cohortId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeInvite(trx: WriteTx, cohortId: string, id: string, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('cohort_invites')
    .set({ revoked_at: at })
    .where('cohort_id', '=', cohortId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countInviteUse(trx: WriteTx, id: string): Promise<void> {
  await trx
    .updateTable('cohort_invites')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

// Shared notes --------------------------------------------------------------------------------

export function isNoteShared(db: Queryable, userId: string, topicId: string): Promise<boolean> {
  return db
    .selectFrom('shared_notes')
    .select('topic_id')
    .where('user_id', '=', userId)
    .where('topic_id', '=', topicId)
    .executeTakeFirst()
    .then((row) => row !== undefined);
}

export function listSharedNotes(
  db: Queryable,
  userId: string,
): Promise<Array<{ topic_id: string; shared_at: string }>> {
  return db
    .selectFrom('shared_notes')
    .select(['topic_id', 'shared_at'])
    .where('user_id', '=', userId)
    .orderBy('topic_id')
    .execute();
}

export async function setNoteShared(
  trx: WriteTx,
  userId: string,
  topicId: string,
  sharedAt: string | null,
): Promise<void> {
  if (sharedAt === null) {
    await trx
      .deleteFrom('shared_notes')
      .where('user_id', '=', userId)
      .where('topic_id', '=', topicId)
      .execute();
    return;
  }
  await trx
    .insertInto('shared_notes')
    .values({ user_id: userId, topic_id: topicId, shared_at: sharedAt })
    .onConflict((oc) => oc.columns(['user_id', 'topic_id']).doNothing())
    .execute();
}

export async function rekeySharedNotes(trx: WriteTx, fromTopicId: string, toTopicId: string): Promise<void> {
  await trx
    .updateTable('shared_notes')
    .set({ topic_id: toTopicId })
    .where('topic_id', '=', fromTopicId)
    .execute();
}

// Summaries -----------------------------------------------------------------------------------

/** The learner's summary fields, as computed for one roadmap (the same in every cohort they are in). */
export type SummaryFields = Omit<
  LearnerSummaryRow,
  'cohort_id' | 'user_id' | 'roadmap_id' | 'display_name' | 'joined_at'
>;

/** Stores the learner's summary for a roadmap in each of their cohorts that follows it. */
export async function putSummaries(
  trx: WriteTx,
  userId: string,
  roadmapId: string,
  fields: SummaryFields,
): Promise<void> {
  await trx
    .updateTable('learner_summaries')
    .set(fields)
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .execute();
}

/** An empty summary row per roadmap of the cohort, made when a learner joins (filled a moment later). */
export async function insertEmptySummaries(
  trx: WriteTx,
  member: Pick<CohortMemberRow, 'cohort_id' | 'user_id' | 'display_name' | 'joined_at'>,
  roadmapIds: readonly string[],
  now: string,
): Promise<void> {
  if (roadmapIds.length === 0) return;
  await trx
    .insertInto('learner_summaries')
    .values(
      roadmapIds.map((roadmap_id) => ({
        cohort_id: member.cohort_id,
        user_id: member.user_id,
        display_name: member.display_name,
        joined_at: member.joined_at,
        roadmap_id,
        done: 0,
        total: 0,
        percent: 0,
        steps: '[]',
        plan_state: 'none' as const,
        behind_hours: 0,
        forecast_finish: null,
        last_active_day: null,
        streak_days: 0,
        verified_projects: 0,
        review_due: 0,
        learning_since: null,
        stuck_topic_id: null,
        computed_on: '',
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['cohort_id', 'roadmap_id', 'user_id']).doNothing())
    .execute();
}

/** The roadmaps the learner's summaries cover (across their cohorts). */
export async function summaryRoadmaps(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('learner_summaries')
    .select('roadmap_id')
    .distinct()
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.roadmap_id);
}

// The mentor's table ----------------------------------------------------------------------------

export const TABLE_SORTS = {
  name: 'display_name',
  progress: 'percent',
  behind: 'behind_hours',
  forecast: 'forecast_finish',
  lastActive: 'last_active_day',
  streak: 'streak_days',
  verified: 'verified_projects',
  reviewDue: 'review_due',
  joined: 'joined_at',
} as const;
export type TableSort = keyof typeof TABLE_SORTS;

export interface TableQuery {
  cohortId: string;
  roadmapId: string;
  sort: TableSort;
  descending: boolean;
  behind: boolean;
  /** Only learners with no activity since this day (`YYYY-MM-DD`), or none at all. */
  inactiveBefore: string | null;
  /** Only learners with a topic in `learning` since before this instant. */
  stuckBefore: string | null;
  limit: number;
  offset: number;
}

export type TableRow = LearnerSummaryRow;

/**
 * One page of a cohort's learners with their summaries, and how many match: one range of one table
 * (`learner_summaries` by its primary key prefix (cohort, roadmap), the name and "behind" orders by
 * their own indexes), so the cost follows the cohort's size, not the database's.
 */
export async function tablePage(db: Queryable, q: TableQuery): Promise<{ rows: TableRow[]; total: number }> {
  let base = db
    .selectFrom('learner_summaries')
    .where('cohort_id', '=', q.cohortId)
    .where('roadmap_id', '=', q.roadmapId);
  if (q.behind) base = base.where('plan_state', '=', 'behind');
  if (q.inactiveBefore !== null) {
    const before = q.inactiveBefore;
    base = base.where((eb) => eb.or([eb('last_active_day', 'is', null), eb('last_active_day', '<', before)]));
  }
  if (q.stuckBefore !== null) base = base.where('learning_since', '<', q.stuckBefore);
  const column = TABLE_SORTS[q.sort];
  // Sort the narrow index columns, then read the page's wide rows (progress per step) by key.
  const [page, count] = await Promise.all([
    base
      .select(['user_id'])
      .orderBy(column, (ob) => (q.descending ? ob.desc().nullsLast() : ob.asc().nullsLast()))
      .orderBy('user_id', q.descending ? 'desc' : 'asc')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst(),
  ]);
  const ids = page.map((r) => r.user_id);
  const wide =
    ids.length === 0
      ? []
      : await db
          .selectFrom('learner_summaries')
          .selectAll()
          .where('cohort_id', '=', q.cohortId)
          .where('roadmap_id', '=', q.roadmapId)
          .where('user_id', 'in', ids)
          .execute();
  const byUser = new Map(wide.map((r) => [r.user_id, r]));
  const rows = ids.flatMap((id) => byUser.get(id) ?? []);
  return { rows, total: Number(count?.n ?? 0) };
}

/** Learners of the cohort whose summary for the roadmap is from before `day` (or not computed yet). */
export async function staleLearners(
  db: Queryable,
  cohortId: string,
  roadmapId: string,
  day: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('learner_summaries')
    .select('user_id')
    .where('cohort_id', '=', cohortId)
    .where('roadmap_id', '=', roadmapId)
    .where('computed_on', '<', day)
    .limit(limit)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function countMembers(db: Queryable, cohortId: string, role: CohortRole): Promise<number> {
  const row = await db
    .selectFrom('cohort_members')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('cohort_id', '=', cohortId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
