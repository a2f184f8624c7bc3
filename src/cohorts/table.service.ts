// The mentor's view: the cohort table (one page, sorted and filtered, from the summary rows), its
// CSV, and a learner's drill-down assembled from the other features' public reads. Who may call
// these is decided by policy.ts first.

import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import type { Queryable } from '../db/types.js';
import { localDateOf } from '../plan/dates.js';
import { getPlan } from '../plan/plan.service.js';
import { progressByTopic } from '../progress/progress.read.js';
import { listRuns, listVerifications } from '../projects/projects.service.js';
import { findUserProfile } from '../auth/user-profile.js';
import { problems } from '../http/problems.js';
import * as repo from './cohorts.repository.js';
import { canViewEmail, canViewNote, canViewReflections, type Actor } from './policy.js';
import { STUCK_DAYS, type StepProgress } from './summaries.js';

export type PlanStatusLabel = 'on-track' | 'ahead' | 'behind' | 'no-plan';

export interface LearnerRowView {
  learnerId: string;
  displayName: string;
  email?: string | null;
  joinedAt: string;
  /** False until the learner's summary was first computed (a moment after joining). */
  summarized: boolean;
  progress: { done: number; total: number; percent: number; steps: StepProgress[] };
  plan: { status: PlanStatusLabel; behindHours: number; forecastFinish: string | null };
  lastActiveDay: string | null;
  currentStreak: number;
  verifiedProjects: number;
  reviewBacklog: number;
  stuck: { topicId: string; since: string } | null;
  inactive: boolean;
}

export interface TableOptions {
  roadmapId?: string | undefined;
  sort: repo.TableSort;
  descending: boolean;
  filters: { behind: boolean; inactive: boolean; stuck: boolean };
  limit: number;
  offset: number;
}

export interface CohortTable {
  cohortId: string;
  roadmapId: string;
  total: number;
  limit: number;
  offset: number;
  learners: LearnerRowView[];
}

function presentRow(row: repo.TableRow, now: Date, email?: string | null): LearnerRowView {
  const at = now.toISOString();
  const stuckBefore = new Date(now.getTime() - STUCK_DAYS * 86_400_000).toISOString();
  // Both instants are the learner's own midnights (summaries.ts), so "today" is theirs, not UTC's.
  const streakCurrent = row.streak_until !== null && at < row.streak_until;
  const view: LearnerRowView = {
    learnerId: row.user_id,
    displayName: row.display_name,
    joinedAt: row.joined_at,
    summarized: row.computed_on !== '',
    progress: {
      done: row.done ?? 0,
      total: row.total ?? 0,
      percent: row.percent ?? 0,
      steps: row.steps ? (JSON.parse(row.steps) as StepProgress[]) : [],
    },
    plan: {
      status: !row.plan_state || row.plan_state === 'none' ? 'no-plan' : row.plan_state,
      behindHours: row.behind_hours ?? 0,
      forecastFinish: row.forecast_finish,
    },
    lastActiveDay: row.last_active_day,
    currentStreak: streakCurrent ? (row.streak_days ?? 0) : 0,
    verifiedProjects: row.verified_projects ?? 0,
    reviewBacklog: row.review_due ?? 0,
    stuck:
      row.learning_since !== null && row.stuck_topic_id !== null && row.learning_since < stuckBefore
        ? { topicId: row.stuck_topic_id, since: row.learning_since }
        : null,
    inactive: row.inactive_from === null || row.inactive_from <= at,
  };
  if (email !== undefined) view.email = email;
  return view;
}

/** The cohort's main roadmap, or the one asked for if it is one of the cohort's. */
function pickRoadmap(roadmaps: readonly string[], roadmapId: string | undefined): string {
  if (roadmapId === undefined) return roadmaps[0] ?? '';
  if (!roadmaps.includes(roadmapId)) {
    throw problems.notFound('Roadmap', `This cohort follows ${roadmaps.join(', ')}, not "${roadmapId}".`);
  }
  return roadmapId;
}

/** The roadmap a table shows and whether it lists emails (one query; the cohort exists, policy said so). */
async function tableFacts(
  db: Queryable,
  cohortId: string,
  roadmapId: string | undefined,
): Promise<{ roadmapId: string; requiresEmail: boolean }> {
  const facts = await repo.cohortTableFacts(db, cohortId);
  return {
    roadmapId: pickRoadmap(facts?.roadmapIds ?? [], roadmapId),
    requiresEmail: facts?.requiresEmail ?? false,
  };
}

/** One page of the cohort table. Emails appear only when the cohort requires them. */
export async function cohortTable(
  db: Queryable,
  cohortId: string,
  options: TableOptions,
  now: Date,
): Promise<CohortTable> {
  const { roadmapId, requiresEmail } = await tableFacts(db, cohortId, options.roadmapId);
  return cohortPage(db, cohortId, roadmapId, requiresEmail, options, now);
}

async function cohortPage(
  db: Queryable,
  cohortId: string,
  roadmapId: string,
  requiresEmail: boolean,
  options: TableOptions,
  now: Date,
): Promise<CohortTable> {
  const { rows, total } = await repo.tablePage(db, {
    cohortId,
    roadmapId,
    sort: options.sort,
    descending: options.descending,
    behind: options.filters.behind,
    inactiveAt: options.filters.inactive ? now.toISOString() : null,
    stuckBefore: options.filters.stuck
      ? new Date(now.getTime() - STUCK_DAYS * 86_400_000).toISOString()
      : null,
    limit: options.limit,
    offset: options.offset,
  });
  let emails: Map<string, string | null> | null = null;
  if (requiresEmail) {
    const profiles = await Promise.all(rows.map((r) => findUserProfile(db, r.user_id)));
    emails = new Map(profiles.flatMap((p) => (p ? [[p.id, p.email] as const] : [])));
  }
  return {
    cohortId,
    roadmapId,
    total,
    limit: options.limit,
    offset: options.offset,
    learners: rows.map((r) => presentRow(r, now, emails ? (emails.get(r.user_id) ?? null) : undefined)),
  };
}

/** A cell a spreadsheet would run as a formula is prefixed with `'`; cells with separators are quoted. */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole (filtered, sorted) table as CSV, read a page at a time. */
export async function cohortCsv(
  db: Queryable,
  cohortId: string,
  options: TableOptions,
  now: Date,
): Promise<string> {
  const header = [
    'learner',
    'email',
    'progress_percent',
    'done',
    'total',
    'plan_status',
    'behind_hours',
    'forecast_finish',
    'last_active_day',
    'current_streak',
    'verified_projects',
    'review_backlog',
    'stuck_topic',
    'steps',
  ];
  const lines = [header.join(',')];
  const pageSize = 1000;
  const { roadmapId, requiresEmail } = await tableFacts(db, cohortId, options.roadmapId);
  for (let offset = 0; ; offset += pageSize) {
    const page = await cohortPage(
      db,
      cohortId,
      roadmapId,
      requiresEmail,
      { ...options, limit: pageSize, offset },
      now,
    );
    for (const l of page.learners) {
      lines.push(
        [
          l.displayName,
          l.email ?? '',
          l.progress.percent,
          l.progress.done,
          l.progress.total,
          l.plan.status,
          l.plan.behindHours,
          l.plan.forecastFinish,
          l.lastActiveDay,
          l.currentStreak,
          l.verifiedProjects,
          l.reviewBacklog,
          l.stuck?.topicId ?? '',
          l.progress.steps.map((s) => `${s.stepId}:${s.done}/${s.total}`).join(' '),
        ]
          .map(csvCell)
          .join(','),
      );
    }
    if (page.learners.length < pageSize) break;
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface LearnerDetail {
  learnerId: string;
  displayName: string;
  email?: string | null;
  joinedAt: string;
  sharesReflections: boolean;
  roadmaps: Array<{
    roadmapId: string;
    title: string;
    topics: Array<{ topicId: string; title: string; status: string; note: string | null }>;
    plan: {
      saved: boolean;
      status: string;
      message: string;
      hoursAhead: number;
      forecastFinish: string | null;
      targetFinish: string;
      weeks: Array<{
        index: number;
        start: string;
        plannedHours: number;
        goalsDone: number | null;
        goalsPlanned: number | null;
        reflection: string | null;
      }>;
    };
  }>;
  projects: {
    verified: Array<{ projectId: string; runId: string; createdAt: string }>;
    runs: Array<{
      id: string;
      projectId: string;
      state: string;
      createdAt: string;
      finishedAt: string | null;
      passed: number;
      failed: number;
      total: number;
      verified: boolean;
    }>;
  };
}

/**
 * A learner as their cohort's mentor (or admin) sees them: the roadmap read-only with statuses, notes
 * the learner shared, the plan with weekly check-ins (reflections only if shared), and project runs
 * with their evidence summary.
 */
export async function learnerDetail(
  db: Db,
  content: Content,
  actor: Actor,
  cohortId: string,
  learnerId: string,
  now: Date,
): Promise<LearnerDetail> {
  const membership = await repo.findMembership(db.kysely, cohortId, learnerId);
  const profile = await findUserProfile(db.kysely, learnerId);
  if (membership?.role !== 'learner' || !profile) throw problems.notFound('Learner');
  const [showEmail, showReflections] = await Promise.all([
    canViewEmail(db.kysely, actor, learnerId, cohortId),
    canViewReflections(db.kysely, actor, learnerId, cohortId),
  ]);
  const statuses = await progressByTopic(db.kysely, learnerId);
  const roadmaps: LearnerDetail['roadmaps'] = [];
  for (const roadmapId of await repo.listCohortRoadmaps(db.kysely, cohortId)) {
    const roadmap = content.roadmaps.get(roadmapId);
    if (!roadmap) continue;
    const plan = await getPlan(
      db.kysely,
      content,
      roadmap,
      { id: learnerId, timeZone: profile.timeZone },
      now,
    );
    const topics: LearnerDetail['roadmaps'][number]['topics'] = [];
    for (const topicId of roadmap.topicIds) {
      const row = statuses.get(topicId);
      const note =
        row && row.note !== '' && (await canViewNote(db.kysely, actor, learnerId, topicId)) ? row.note : null;
      topics.push({
        topicId,
        title: content.topics.get(topicId)?.title ?? topicId,
        status: row?.status ?? 'pending',
        note,
      });
    }
    const today = localDateOf(now, plan.settings.timeZone);
    roadmaps.push({
      roadmapId,
      title: roadmap.title,
      topics,
      plan: {
        saved: plan.saved,
        status: plan.status.state,
        message: plan.status.message,
        hoursAhead: plan.status.hoursAhead,
        forecastFinish: plan.status.forecast.atActualPace ?? plan.status.forecast.atPlannedPace,
        targetFinish: plan.status.forecast.targetFinish,
        weeks: plan.saved
          ? plan.weeks
              .filter((w) => w.start <= today)
              .map((w) => ({
                index: w.index,
                start: w.start,
                plannedHours: w.hours,
                goalsDone: w.scorecard?.goalsDone ?? null,
                goalsPlanned: w.scorecard?.goalsPlanned ?? null,
                reflection: showReflections ? (w.checkin?.note ?? null) : null,
              }))
          : [],
      },
    });
  }
  const [runs, verifications] = await Promise.all([
    listRuns(db.kysely, learnerId, null, 50),
    listVerifications(db.kysely, learnerId, null),
  ]);
  const detail: LearnerDetail = {
    learnerId,
    displayName: membership.display_name,
    joinedAt: membership.joined_at,
    sharesReflections: membership.share_reflections === 1,
    roadmaps,
    projects: {
      verified: verifications.map((v) => ({
        projectId: v.projectId,
        runId: v.runId,
        createdAt: v.createdAt,
      })),
      runs: runs.map((r) => ({
        id: r.id,
        projectId: r.projectId,
        state: r.state,
        createdAt: r.createdAt,
        finishedAt: r.finishedAt,
        passed: r.summary.passed,
        failed: r.summary.failed,
        total: r.summary.total,
        verified: r.verified,
      })),
    },
  };
  if (showEmail) detail.email = profile.email;
  return detail;
}
