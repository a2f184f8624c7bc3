import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { onPostgres, type Queryable, type WriteTx } from '../db/types.js';
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

/** Whether the cohort requires its learners' emails, and its roadmaps in order: one round trip. */
export async function cohortTableFacts(
  db: Queryable,
  cohortId: string,
): Promise<{ requiresEmail: boolean; roadmapIds: string[] } | undefined> {
  const rows = await db
    .selectFrom('cohorts')
    .leftJoin('cohort_roadmaps', 'cohort_roadmaps.cohort_id', 'cohorts.id')
    .select(['cohorts.requires_email', 'cohort_roadmaps.roadmap_id'])
    .where('cohorts.id', '=', cohortId)
    .orderBy('cohort_roadmaps.position')
    .execute();
  if (rows.length === 0) return undefined;
  return {
    requiresEmail: rows[0]!.requires_email === 1,
    roadmapIds: rows.flatMap((r) => (r.roadmap_id === null ? [] : [r.roadmap_id])),
  };
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
        streak_until: null,
        inactive_from: null,
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
  /** Only learners inactive at this instant (ISO; each learner's `inactive_from` is in their own zone). */
  inactiveAt: string | null;
  /** Only learners with a topic in `learning` since before this instant. */
  stuckBefore: string | null;
  limit: number;
  offset: number;
}

export type TableRow = LearnerSummaryRow;

/**
 * One page of a cohort's learners with their summaries, and how many match, in one statement (one
 * round trip): the page is sorted on the narrow columns first (the name and "behind" orders walk
 * their own indexes; the others sort the cohort's few thousand rows in memory), then its rows are
 * read whole by primary key, and the count rides along as a column. Everything stays inside the
 * range (cohort, roadmap) of `learner_summaries`, so the cost follows the cohort's size, not the
 * database's. A page past the end has no row to carry the count, so only then is it asked alone.
 */
export async function tablePage(db: Queryable, q: TableQuery): Promise<{ rows: TableRow[]; total: number }> {
  const matching = <T extends SelectQueryBuilder<Database, 'learner_summaries', object>>(query: T): T => {
    let base = query.where('cohort_id', '=', q.cohortId).where('roadmap_id', '=', q.roadmapId) as T;
    if (q.behind) base = base.where('plan_state', '=', 'behind') as T;
    if (q.inactiveAt !== null) {
      const at = q.inactiveAt;
      base = base.where((eb) => eb.or([eb('inactive_from', 'is', null), eb('inactive_from', '<=', at)])) as T;
    }
    if (q.stuckBefore !== null) base = base.where('learning_since', '<', q.stuckBefore) as T;
    return base;
  };
  const column = TABLE_SORTS[q.sort];
  const direction = q.descending ? 'desc' : 'asc';
  // Ties go by id, compared byte-wise on PostgreSQL (the locale's rules are for names, and cost more).
  const byId = onPostgres(db) ? sql`user_id collate "C"` : sql`user_id`;
  const rows = await db
    .with('page', (wb) =>
      matching(wb.selectFrom('learner_summaries'))
        .select('user_id')
        .orderBy(column, (ob) => (q.descending ? ob.desc().nullsLast() : ob.asc().nullsLast()))
        .orderBy(sql`${byId} ${sql.raw(direction)}`)
        .limit(q.limit)
        .offset(q.offset),
    )
    .selectFrom('page')
    .innerJoin('learner_summaries', (join) =>
      join
        .onRef('learner_summaries.user_id', '=', 'page.user_id')
        .on('learner_summaries.cohort_id', '=', q.cohortId)
        .on('learner_summaries.roadmap_id', '=', q.roadmapId),
    )
    .selectAll('learner_summaries')
    .select(() =>
      matching(db.selectFrom('learner_summaries'))
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .as('total_matching'),
    )
    .orderBy(`learner_summaries.${column}`, (ob) =>
      q.descending ? ob.desc().nullsLast() : ob.asc().nullsLast(),
    )
    .orderBy(sql`learner_summaries.${byId} ${sql.raw(direction)}`)
    .execute();
  if (rows.length > 0) {
    const total = Number(rows[0]!.total_matching ?? 0);
    return { rows: rows.map(({ total_matching: _, ...row }) => row), total };
  }
  const count = await matching(db.selectFrom('learner_summaries'))
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirst();
  return { rows: [], total: Number(count?.n ?? 0) };
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
