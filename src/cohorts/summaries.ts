// Per-learner summary rows: what the mentor's table shows, computed from the other features' public
// reads (dashboard, projects, review, progress) and stored, so a table of thousands of learners is one
// indexed read instead of thousands of dashboards. A learner's rows are recomputed shortly after each
// of their writes (the change feed, on the instance that made the write) and when read on a later day
// than they were computed (streaks, plan status and due reviews move with the calendar).

import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import { getDashboard } from '../dashboard/dashboard.service.js';
import { progressRows } from '../progress/progress.read.js';
import { verifiedProjectCount } from '../projects/projects.read.js';
import { getSummary as reviewSummary } from '../review/review.service.js';
import { findUserProfile } from '../auth/user-profile.js';
import { addDays, zonedTimeToUtc } from '../plan/dates.js';
import * as repo from './cohorts.repository.js';

export interface StepProgress {
  stepId: string;
  done: number;
  total: number;
}

/** A topic still in `learning` this many days after it entered it makes the learner "stuck". */
export const STUCK_DAYS = 14;
/** No learning activity for this many days makes the learner "inactive". */
export const INACTIVE_DAYS = 7;

/** The summary row of one learner on one roadmap, as of `now`. */
export async function computeSummary(
  db: Db,
  content: Content,
  userId: string,
  timeZone: string,
  roadmapId: string,
  now: Date,
): Promise<repo.SummaryFields | null> {
  const roadmap = content.roadmaps.get(roadmapId);
  if (!roadmap) return null;
  const [dashboard, projects, review, rows] = await Promise.all([
    getDashboard(db, content, roadmap, { id: userId, timeZone }, now),
    verifiedProjectCount(db.kysely, content, userId, roadmapId),
    reviewSummary(db.kysely, content, userId, now),
    progressRows(db.kysely, userId, roadmap.topicIds),
  ]);
  const learning = rows
    .filter((r) => r.status === 'learning')
    .sort((a, b) => a.status_changed_at.localeCompare(b.status_changed_at))[0];
  const status = dashboard.plan?.status;
  const planState: repo.SummaryFields['plan_state'] = !status
    ? 'none'
    : status.state === 'behind'
      ? 'behind'
      : status.state === 'ahead' || status.state === 'finished'
        ? 'ahead'
        : 'on-track';
  const progress = dashboard.progress;
  // Days are cut in the learner's zone (the plan's, else their account's), so the streak lapses and
  // inactivity starts at their midnight: stored as instants the table compares with "now".
  const lastActive = dashboard.streaks.lastActive;
  const localMidnight = (days: number) =>
    lastActive ? zonedTimeToUtc(addDays(lastActive, days), '00:00', dashboard.timeZone).toISOString() : null;
  return {
    done: progress.done + progress.skipped,
    total: progress.total,
    percent: progress.percent,
    steps: JSON.stringify(
      progress.steps.map((s): StepProgress => ({
        stepId: s.stepId,
        done: s.done + s.skipped,
        total: s.total,
      })),
    ),
    plan_state: planState,
    behind_hours: status ? Math.round(-status.hoursAhead * 10) / 10 : 0,
    forecast_finish: status?.forecast.atActualPace ?? status?.forecast.atPlannedPace ?? null,
    last_active_day: dashboard.streaks.lastActive,
    streak_days: dashboard.streaks.current,
    streak_until: localMidnight(2),
    inactive_from: localMidnight(INACTIVE_DAYS + 1),
    verified_projects: projects.verified,
    review_due: review.due,
    learning_since: learning?.status_changed_at ?? null,
    stuck_topic_id: learning?.topic_id ?? null,
    computed_on: now.toISOString().slice(0, 10),
    updated_at: now.toISOString(),
  };
}

/**
 * Recomputes and stores the learner's summaries (one computation per roadmap their cohorts follow,
 * copied into each cohort's row) and announces the change to those cohorts' live tables. Returns
 * the cohorts told.
 */
export async function refreshLearner(db: Db, content: Content, userId: string, now: Date): Promise<string[]> {
  const roadmapIds = await repo.summaryRoadmaps(db.kysely, userId);
  if (roadmapIds.length === 0) return [];
  const profile = await findUserProfile(db.kysely, userId);
  if (!profile) return [];
  const computed: Array<[string, repo.SummaryFields]> = [];
  for (const roadmapId of roadmapIds) {
    const fields = await computeSummary(db, content, userId, profile.timeZone, roadmapId, now);
    if (fields) computed.push([roadmapId, fields]);
  }
  const cohortIds = (await repo.listMembershipsOf(db.kysely, userId))
    .filter((m) => m.role === 'learner')
    .map((m) => m.cohort_id);
  await db.write(
    async (trx) => {
      for (const [roadmapId, fields] of computed) await repo.putSummaries(trx, userId, roadmapId, fields);
    },
    cohortIds.map((id) => cohortChange(id, userId)),
  );
  return cohortIds;
}

/**
 * The change-feed subject of a cohort's live table: its mentors' streams subscribe to it. Cohort
 * subjects share the per-user event channel (and so reach every instance through Redis) under a
 * prefix no user id has.
 */
export function cohortSubject(cohortId: string): string {
  return `${cohortSubjectPrefix}${cohortId}`;
}

export const cohortSubjectPrefix = 'cohort:';

/** What a cohort's live table is told: a learner's row changed, or membership changed. */
export function cohortChange(cohortId: string, learnerId: string | null) {
  return {
    userId: cohortSubject(cohortId),
    scope: 'data' as const,
    event: { type: 'sync' as const, reason: learnerId ? `learner:${learnerId}` : 'members' },
  };
}
