// All of the plan feature's SQL, and the conversion between its rows and the plan's domain objects.
// Every query is scoped by user id (and roadmap id where it applies), except the feed lookup, which is
// keyed by the hash of an unguessable token.

import { randomUUID } from 'node:crypto';
import type { Queryable, WriteTx } from '../db/types.js';
import type { PlanCheckinRow, PlanFeedRow, PlanRow, PlanVersionRow } from '../db/schema.js';
import type { PlanSettings } from './plan.settings.js';
import type { PlanVersion } from './plan.tracking.js';
import type { Feasibility, PlannedWeek } from './scheduler.js';

// Rows <-> domain -----------------------------------------------------------------------------

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.map(String) : [];
}

/** The settings a `plans` row mirrors (the current version's, with the account's time zone). */
export function settingsOfRow(row: PlanRow): PlanSettings {
  return {
    startDate: row.start_date,
    hoursPerWeek: row.hours_per_week,
    targetWeeks: row.target_weeks,
    studyDays: parseList(row.study_days) as PlanSettings['studyDays'],
    studyTime: row.study_time,
    sessionMinutes: row.session_minutes,
    weeksOff: parseList(row.weeks_off),
    includeOptional: row.include_optional === 1,
    includeTopics: parseList(row.include_topics),
    excludeTopics: parseList(row.exclude_topics),
    timeZone: row.time_zone,
  };
}

export function planRowOf(
  userId: string,
  roadmapId: string,
  settings: PlanSettings,
  version: number,
  createdAt: string,
  updatedAt: string,
): PlanRow {
  return {
    user_id: userId,
    roadmap_id: roadmapId,
    start_date: settings.startDate,
    hours_per_week: settings.hoursPerWeek,
    target_weeks: settings.targetWeeks,
    study_days: JSON.stringify(settings.studyDays),
    study_time: settings.studyTime,
    session_minutes: settings.sessionMinutes,
    weeks_off: JSON.stringify(settings.weeksOff),
    include_optional: settings.includeOptional ? 1 : 0,
    include_topics: JSON.stringify(settings.includeTopics),
    exclude_topics: JSON.stringify(settings.excludeTopics),
    time_zone: settings.timeZone,
    current_version: version,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

export function versionOfRow(row: PlanVersionRow): PlanVersion {
  return {
    version: row.version,
    reason: row.reason,
    createdAt: row.created_at,
    settings: JSON.parse(row.settings) as PlanSettings,
    fromWeek: row.from_week,
    weeks: JSON.parse(row.weeks) as PlannedWeek[],
    scope: parseList(row.scope),
    feasibility: JSON.parse(row.feasibility) as Feasibility,
  };
}

export function versionRowOf(userId: string, roadmapId: string, version: PlanVersion): PlanVersionRow {
  return {
    id: randomUUID(),
    user_id: userId,
    roadmap_id: roadmapId,
    version: version.version,
    reason: version.reason,
    settings: JSON.stringify(version.settings),
    from_week: version.fromWeek,
    weeks: JSON.stringify(version.weeks),
    scope: JSON.stringify(version.scope),
    feasibility: JSON.stringify(version.feasibility),
    created_at: version.createdAt,
  };
}

// Plans ---------------------------------------------------------------------------------------

export function findPlan(db: Queryable, userId: string, roadmapId: string): Promise<PlanRow | undefined> {
  return db
    .selectFrom('plans')
    .selectAll()
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .executeTakeFirst();
}

export function listPlans(db: Queryable, userId: string): Promise<PlanRow[]> {
  return db.selectFrom('plans').selectAll().where('user_id', '=', userId).orderBy('roadmap_id').execute();
}

export async function upsertPlan(db: WriteTx, row: PlanRow): Promise<void> {
  const { user_id: _user, roadmap_id: _roadmap, created_at: _created, ...changes } = row;
  await db
    .insertInto('plans')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'roadmap_id']).doUpdateSet(changes))
    .execute();
}

/**
 * Serialises one learner's plan writes: on PostgreSQL the user's row is locked until the transaction
 * ends (SQLite runs one write transaction at a time anyway, and has no FOR UPDATE).
 */
export async function lockLearner(
  db: Queryable,
  userId: string,
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

/** One time zone per learner: every plan of theirs follows the account's (see auth/user-profile.ts). */
export async function setPlansTimeZone(db: WriteTx, userId: string, timeZone: string): Promise<void> {
  await db
    .updateTable('plans')
    .set({ time_zone: timeZone })
    .where('user_id', '=', userId)
    .where('time_zone', '!=', timeZone)
    .execute();
}

// Versions ------------------------------------------------------------------------------------

export function findVersion(
  db: Queryable,
  userId: string,
  roadmapId: string,
  version: number,
): Promise<PlanVersionRow | undefined> {
  return db
    .selectFrom('plan_versions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Newest first. */
export function listVersions(db: Queryable, userId: string, roadmapId?: string): Promise<PlanVersionRow[]> {
  let query = db.selectFrom('plan_versions').selectAll().where('user_id', '=', userId);
  if (roadmapId !== undefined) query = query.where('roadmap_id', '=', roadmapId);
  return query.orderBy('roadmap_id').orderBy('version', 'desc').execute();
}

export async function latestVersionNumber(db: Queryable, userId: string, roadmapId: string): Promise<number> {
  const row = await db
    .selectFrom('plan_versions')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .executeTakeFirst();
  return Number(row?.latest ?? 0);
}

export async function insertVersion(db: WriteTx, row: PlanVersionRow): Promise<void> {
  await db.insertInto('plan_versions').values(row).execute();
}

/** Moves a guest's versions to another user, with temporary negative numbers (see {@link renumberVersions}). */
export async function reassignVersions(
  db: WriteTx,
  fromUserId: string,
  toUserId: string,
  roadmapId: string,
): Promise<void> {
  const rows = await db
    .selectFrom('plan_versions')
    .select('id')
    .where('user_id', '=', fromUserId)
    .where('roadmap_id', '=', roadmapId)
    .orderBy('version')
    .execute();
  for (const [i, row] of rows.entries()) {
    await db
      .updateTable('plan_versions')
      .set({ version: -(i + 1) })
      .where('id', '=', row.id)
      .execute();
  }
  await db
    .updateTable('plan_versions')
    .set({ user_id: toUserId })
    .where('user_id', '=', fromUserId)
    .where('roadmap_id', '=', roadmapId)
    .execute();
}

/**
 * Numbers a plan's versions 1…n by creation time (after an import or merge added some), in two
 * passes so the unique (user, roadmap, version) constraint never sees a duplicate. Returns n.
 */
/** Deletes all but the newest `keep` versions of a plan (the current one is always the newest). */
export async function pruneVersions(
  db: WriteTx,
  userId: string,
  roadmapId: string,
  keep: number,
): Promise<void> {
  await db
    .deleteFrom('plan_versions')
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .where('id', 'not in', (qb) =>
      qb
        .selectFrom('plan_versions')
        .select('id')
        .where('user_id', '=', userId)
        .where('roadmap_id', '=', roadmapId)
        .orderBy('created_at', 'desc')
        .orderBy('version', 'desc')
        .limit(keep),
    )
    .execute();
}

export async function renumberVersions(db: WriteTx, userId: string, roadmapId: string): Promise<number> {
  const rows = await db
    .selectFrom('plan_versions')
    .select(['id'])
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .orderBy('created_at')
    .orderBy('version')
    .execute();
  for (const [i, row] of rows.entries()) {
    await db
      .updateTable('plan_versions')
      .set({ version: -(1_000_000 + i) })
      .where('id', '=', row.id)
      .execute();
  }
  for (const [i, row] of rows.entries()) {
    await db
      .updateTable('plan_versions')
      .set({ version: i + 1 })
      .where('id', '=', row.id)
      .execute();
  }
  return rows.length;
}

export async function versionExists(
  db: Queryable,
  userId: string,
  roadmapId: string,
  createdAt: string,
  reason: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('plan_versions')
    .select('id')
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .where('created_at', '=', createdAt)
    .where('reason', '=', reason as PlanVersionRow['reason'])
    .executeTakeFirst();
  return row !== undefined;
}

// Check-ins -----------------------------------------------------------------------------------

export function listCheckins(db: Queryable, userId: string, roadmapId?: string): Promise<PlanCheckinRow[]> {
  let query = db.selectFrom('plan_checkins').selectAll().where('user_id', '=', userId);
  if (roadmapId !== undefined) query = query.where('roadmap_id', '=', roadmapId);
  return query.orderBy('roadmap_id').orderBy('week_start').execute();
}

export function findCheckin(
  db: Queryable,
  userId: string,
  roadmapId: string,
  weekStart: string,
): Promise<PlanCheckinRow | undefined> {
  return db
    .selectFrom('plan_checkins')
    .selectAll()
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .where('week_start', '=', weekStart)
    .executeTakeFirst();
}

export async function upsertCheckin(db: WriteTx, row: PlanCheckinRow): Promise<void> {
  await db
    .insertInto('plan_checkins')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'roadmap_id', 'week_start'])
        .doUpdateSet({ note: row.note, updated_at: row.updated_at }),
    )
    .execute();
}

export async function reassignFeed(
  db: WriteTx,
  fromUserId: string,
  toUserId: string,
  roadmapId: string,
): Promise<void> {
  await db
    .updateTable('plan_feeds')
    .set({ user_id: toUserId })
    .where('user_id', '=', fromUserId)
    .where('roadmap_id', '=', roadmapId)
    .execute();
}

export function plansMentioning(db: Queryable, topicId: string): Promise<PlanRow[]> {
  return db
    .selectFrom('plans')
    .selectAll()
    .where((eb) =>
      eb.or([eb('include_topics', 'like', `%"${topicId}"%`), eb('exclude_topics', 'like', `%"${topicId}"%`)]),
    )
    .execute();
}

export function versionsMentioningAnywhere(db: Queryable, topicId: string): Promise<PlanVersionRow[]> {
  const pattern = `%"${topicId}"%`;
  return db
    .selectFrom('plan_versions')
    .selectAll()
    .where((eb) =>
      eb.or([eb('weeks', 'like', pattern), eb('scope', 'like', pattern), eb('settings', 'like', pattern)]),
    )
    .execute();
}

export async function updateVersionJson(
  db: WriteTx,
  id: string,
  changes: Pick<PlanVersionRow, 'weeks' | 'scope' | 'settings'>,
): Promise<void> {
  await db.updateTable('plan_versions').set(changes).where('id', '=', id).execute();
}

// Calendar feeds ------------------------------------------------------------------------------

export function findFeed(db: Queryable, userId: string, roadmapId: string): Promise<PlanFeedRow | undefined> {
  return db
    .selectFrom('plan_feeds')
    .selectAll()
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .executeTakeFirst();
}

export function findFeedByHash(db: Queryable, tokenHash: string): Promise<PlanFeedRow | undefined> {
  return db.selectFrom('plan_feeds').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Creates the feed, or replaces its token (rotation): the old URL stops working at once. */
export async function replaceFeed(db: WriteTx, row: PlanFeedRow): Promise<void> {
  await db
    .deleteFrom('plan_feeds')
    .where('user_id', '=', row.user_id)
    .where('roadmap_id', '=', row.roadmap_id)
    .execute();
  await db.insertInto('plan_feeds').values(row).execute();
}

/** Every calendar feed of a user (a password change revokes them). */
export async function deleteFeedsOf(db: WriteTx, userId: string): Promise<void> {
  await db.deleteFrom('plan_feeds').where('user_id', '=', userId).execute();
}

export async function deleteFeed(db: WriteTx, userId: string, roadmapId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('plan_feeds')
    .where('user_id', '=', userId)
    .where('roadmap_id', '=', roadmapId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function touchFeed(db: WriteTx, tokenHash: string, at: string): Promise<void> {
  await db.updateTable('plan_feeds').set({ last_used_at: at }).where('token_hash', '=', tokenHash).execute();
}
