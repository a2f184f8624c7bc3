// The plan's business rules: compute and store plan versions from settings and progress, save
// settings, re-plan, and read versions. Runs inside the caller's transaction for writes; the views it
// returns are built by plan.presenter.ts.

import { IMPORT_LIMITS } from '../account/limits.js';
import type { Content, Roadmap } from '../content/content.types.js';
import type { Queryable, WriteTx } from '../db/types.js';
import type { PlanRow } from '../db/schema.js';
import type { Problem } from '../http/problems.js';
import { problems } from '../http/problems.js';
import { localDateOf } from './dates.js';
import { loadPlanInputs, type PlanInputs } from './plan.inputs.js';
import {
  presentPlan,
  presentVersion,
  replanChoices,
  summarizeVersion,
  type PlanView,
  type VersionDetail,
  type VersionSummary,
} from './plan.presenter.js';
import { setUserTimeZone } from '../auth/user-profile.js';
import * as repo from './plan.repository.js';
import {
  applySettingsChange,
  defaultSettings,
  sameSettings,
  type PlanSettings,
  type PlanSettingsInput,
} from './plan.settings.js';
import type { PlanVersion, VersionReason } from './plan.tracking.js';
import {
  MAX_HOURS_PER_WEEK,
  schedulePlan,
  type Feasibility,
  type Schedule,
  type SchedulerTopic,
} from './scheduler.js';

/**
 * Schedules what is left from today and keeps the weeks before today from the previous version
 * (when the start date is unchanged), so history and week numbers stay put across re-plans.
 */
function computeVersion(input: {
  topics: SchedulerTopic[];
  settings: PlanSettings;
  now: Date;
  previous: PlanVersion | null;
  reason: VersionReason;
  number: number;
}): { version: PlanVersion; schedule: Schedule } {
  const today = localDateOf(input.now, input.settings.timeZone);
  const schedule = schedulePlan({ topics: input.topics, settings: input.settings, today });
  const carried =
    input.previous && input.previous.settings.startDate === input.settings.startDate
      ? input.previous.weeks.filter((w) => w.index < schedule.fromWeek)
      : [];
  return {
    schedule,
    version: {
      version: input.number,
      reason: input.reason,
      createdAt: input.now.toISOString(),
      settings: input.settings,
      fromWeek: schedule.fromWeek,
      weeks: [...carried, ...schedule.weeks],
      scope: schedule.scope,
      feasibility: schedule.feasibility,
    },
  };
}

function infeasibleProblem(feasibility: Feasibility, pointer: string): Problem {
  const hint =
    feasibility.hoursPerWeekNeeded !== null
      ? `at least ${feasibility.hoursPerWeekNeeded} h/week is needed to finish by ${feasibility.targetFinish}`
      : `even ${MAX_HOURS_PER_WEEK} h/week cannot finish by ${feasibility.targetFinish}`;
  return problems.unprocessable(
    'plan_infeasible',
    'These settings cannot make a plan',
    `${feasibility.message} Nothing was changed.`,
    [{ pointer, message: hint }],
  );
}

/** The view of a saved plan, with its check-in notes, feed state and version count. */
async function viewOfSaved(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  plan: { row: PlanRow; version: PlanVersion },
  inputs: PlanInputs,
  now: Date,
): Promise<PlanView> {
  const [checkins, feed, versionCount] = await Promise.all([
    repo.listCheckins(db, userId, roadmap.id),
    repo.findFeed(db, userId, roadmap.id),
    repo.latestVersionNumber(db, userId, roadmap.id),
  ]);
  return presentPlan(content, roadmap, plan, inputs, { checkins, feed, versionCount }, now);
}

export interface CurrentPlan {
  row: PlanRow;
  version: PlanVersion;
}

/** The learner's most recently changed plan (the one "Plan" in the navigation opens), if any. */
export async function newestPlanRow(db: Queryable, userId: string): Promise<PlanRow | undefined> {
  const rows = await repo.listPlans(db, userId);
  return [...rows].sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0];
}

/** The saved plan (row + current version), or null. */
export async function currentPlan(
  db: Queryable,
  userId: string,
  roadmapId: string,
): Promise<CurrentPlan | null> {
  const row = await repo.findPlan(db, userId, roadmapId);
  if (!row) return null;
  const versionRow = await repo.findVersion(db, userId, roadmapId, row.current_version);
  if (!versionRow) return null;
  // The plan row holds the settings (its time zone follows the account's); the version, the weeks.
  return { row, version: { ...repo.versionOfRow(versionRow), settings: repo.settingsOfRow(row) } };
}

/** The saved plan, or a 404 problem telling the learner how to make one. */
export async function requirePlan(db: Queryable, userId: string, roadmap: Roadmap): Promise<CurrentPlan> {
  const plan = await currentPlan(db, userId, roadmap.id);
  if (!plan) {
    throw problems.notFound(
      'Plan',
      `You have no plan for the ${roadmap.title} roadmap yet. Create one with PUT /api/v1/roadmaps/${roadmap.id}/plan (or on the plan page).`,
    );
  }
  return plan;
}

export interface Learner {
  id: string;
  timeZone: string;
}

/**
 * The learner's plan for a roadmap with where they stand. Without a saved plan (or without a user)
 * it is a preview computed from the default settings, marked `saved: false`.
 */
export async function getPlan(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  learner: Learner | null,
  now: Date,
): Promise<PlanView> {
  const progress = await loadPlanInputs(db, content, roadmap, learner?.id ?? null);
  const existing = learner ? await currentPlan(db, learner.id, roadmap.id) : null;
  if (existing) return viewOfSaved(db, content, roadmap, learner!.id, existing, progress, now);
  const timeZone = learner?.timeZone ?? 'UTC';
  const settings = defaultSettings(roadmap, localDateOf(now, timeZone), timeZone);
  const { version } = computeVersion({
    topics: progress.topics,
    settings,
    now,
    previous: null,
    reason: 'created',
    number: 0,
  });
  return presentPlan(content, roadmap, { row: null, version }, progress, null, now);
}

/** A preview of the plan that `change` would produce, without saving anything. */
export async function previewPlan(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  learner: Learner | null,
  change: PlanSettingsInput,
  now: Date,
): Promise<PlanView> {
  const progress = await loadPlanInputs(db, content, roadmap, learner?.id ?? null);
  const existing = learner ? await currentPlan(db, learner.id, roadmap.id) : null;
  const timeZone = existing?.version.settings.timeZone ?? learner?.timeZone ?? 'UTC';
  const base = existing?.version.settings ?? defaultSettings(roadmap, localDateOf(now, timeZone), timeZone);
  const settings = applySettingsChange(content, roadmap, base, change);
  const { version } = computeVersion({
    topics: progress.topics,
    settings,
    now,
    previous: existing?.version ?? null,
    reason: 'settings',
    number: 0,
  });
  return presentPlan(content, roadmap, { row: null, version }, progress, null, now);
}

async function storeVersion(
  db: WriteTx,
  userId: string,
  roadmap: Roadmap,
  version: PlanVersion,
  createdAt: string | null,
): Promise<void> {
  await repo.insertVersion(db, repo.versionRowOf(userId, roadmap.id, version));
  await repo.pruneVersions(db, userId, roadmap.id, IMPORT_LIMITS.planVersions);
  await repo.upsertPlan(
    db,
    repo.planRowOf(
      userId,
      roadmap.id,
      version.settings,
      version.version,
      createdAt ?? version.createdAt,
      version.createdAt,
    ),
  );
  await setUserTimeZone(db, userId, version.settings.timeZone, version.createdAt);
  await repo.setPlansTimeZone(db, userId, version.settings.timeZone);
}

/**
 * Saves new settings (any subset) and computes a new version of the plan from today. Settings that
 * cannot make a plan (more than three years of work) are refused with the numbers; settings equal to
 * the current ones change nothing. Runs inside the caller's transaction.
 */
export async function savePlan(
  db: WriteTx,
  content: Content,
  roadmap: Roadmap,
  learner: Learner,
  change: PlanSettingsInput,
  now: Date,
): Promise<PlanView> {
  const existing = await currentPlan(db, learner.id, roadmap.id);
  const base =
    existing?.version.settings ??
    defaultSettings(roadmap, localDateOf(now, learner.timeZone), learner.timeZone);
  const settings = applySettingsChange(content, roadmap, base, change);
  const progress = await loadPlanInputs(db, content, roadmap, learner.id);
  if (existing && sameSettings(existing.version.settings, settings)) {
    return viewOfSaved(db, content, roadmap, learner.id, existing, progress, now);
  }
  const number = (await repo.latestVersionNumber(db, learner.id, roadmap.id)) + 1;
  const { version } = computeVersion({
    topics: progress.topics,
    settings,
    now,
    previous: existing?.version ?? null,
    reason: existing ? 'settings' : 'created',
    number,
  });
  if (version.feasibility.status === 'infeasible')
    throw infeasibleProblem(version.feasibility, '/body/hoursPerWeek');
  await storeVersion(db, learner.id, roadmap, version, existing?.row.created_at ?? null);
  const plan = await requirePlan(db, learner.id, roadmap);
  return viewOfSaved(db, content, roadmap, learner.id, plan, progress, now);
}

export type ReplanMode = 'extend' | 'keep-finish';

/**
 * One-click re-planning of what is left, from today: `extend` keeps the hours per week and moves the
 * target to the new finish; `keep-finish` keeps the target and sets the hours per week it needs.
 */
export async function replan(
  db: WriteTx,
  content: Content,
  roadmap: Roadmap,
  learner: Learner,
  mode: ReplanMode,
  now: Date,
): Promise<PlanView> {
  const existing = await requirePlan(db, learner.id, roadmap);
  const progress = await loadPlanInputs(db, content, roadmap, learner.id);
  const { settings } = existing.version;
  const today = localDateOf(now, settings.timeZone);
  const preview = schedulePlan({ topics: progress.topics, settings, today });
  const choices = replanChoices(existing.version, preview);
  let next: PlanSettings;
  if (mode === 'extend') {
    if (!choices.extend.possible)
      throw problems.conflict('replan_impossible', `${choices.extend.message} Nothing was changed.`);
    next = { ...settings, targetWeeks: choices.extend.targetWeeks };
  } else {
    if (!choices.keepFinish.possible || choices.keepFinish.hoursPerWeek === null) {
      throw problems.conflict(
        'replan_impossible',
        `${choices.keepFinish.message} Re-plan with a later finish instead. Nothing was changed.`,
      );
    }
    next = { ...settings, hoursPerWeek: choices.keepFinish.hoursPerWeek };
  }
  const number = (await repo.latestVersionNumber(db, learner.id, roadmap.id)) + 1;
  const reason: VersionReason = mode === 'extend' ? 'replan-extend' : 'replan-keep-finish';
  const { version } = computeVersion({
    topics: progress.topics,
    settings: next,
    now,
    previous: existing.version,
    reason,
    number,
  });
  await storeVersion(db, learner.id, roadmap, version, existing.row.created_at);
  return viewOfSaved(
    db,
    content,
    roadmap,
    learner.id,
    await requirePlan(db, learner.id, roadmap),
    progress,
    now,
  );
}

/**
 * Re-plans from today with the same settings after the learner switched members of a "choose one of"
 * set, so the weeks name the member now chosen. Without a saved plan there is nothing to redo.
 * Progress is keyed by topic and untouched: switching back gives the same plan again.
 */
export async function replanAfterChoice(
  db: WriteTx,
  content: Content,
  roadmap: Roadmap,
  learner: Learner,
  now: Date,
): Promise<void> {
  const existing = await currentPlan(db, learner.id, roadmap.id);
  if (!existing) return;
  const progress = await loadPlanInputs(db, content, roadmap, learner.id);
  const number = (await repo.latestVersionNumber(db, learner.id, roadmap.id)) + 1;
  const { version } = computeVersion({
    topics: progress.topics,
    settings: existing.version.settings,
    now,
    previous: existing.version,
    reason: 'settings',
    number,
  });
  await storeVersion(db, learner.id, roadmap, version, existing.row.created_at);
}

// Versions ------------------------------------------------------------------------------------

/** Every version of the plan, newest first. */
export async function listVersions(
  db: Queryable,
  roadmap: Roadmap,
  userId: string,
): Promise<VersionSummary[]> {
  const plan = await requirePlan(db, userId, roadmap);
  const rows = await repo.listVersions(db, userId, roadmap.id);
  return rows.map((row) => summarizeVersion(repo.versionOfRow(row), plan.row.current_version));
}

export async function getVersion(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  number: number,
): Promise<VersionDetail> {
  const plan = await requirePlan(db, userId, roadmap);
  const row = await repo.findVersion(db, userId, roadmap.id, number);
  if (!row)
    throw problems.notFound(
      'Plan version',
      `Your ${roadmap.title} plan has no version ${number}; it has versions 1 to ${plan.row.current_version}.`,
    );
  return presentVersion(content, repo.versionOfRow(row), plan.row.current_version);
}

/** The saved plan for the calendar, or a 404 problem. */
export async function planForCalendar(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  now: Date,
): Promise<PlanView> {
  await requirePlan(db, userId, roadmap);
  return getPlan(db, content, roadmap, { id: userId, timeZone: 'UTC' }, now);
}
