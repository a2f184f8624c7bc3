// The plan's business rules: compute and store plan versions from settings and progress, re-plan,
// weekly check-ins, the calendar feed token, and the dashboard. Converts rows to domain objects and
// back; routes and pages only ever see the objects returned here (never a feed token hash).

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Content, Roadmap, Topic } from '../content/content.types.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Queryable } from '../db/types.js';
import type { PlanRow, PlanVersionRow } from '../db/schema.js';
import type { Problem } from '../http/problems.js';
import { problems } from '../http/problems.js';
import * as progressRepo from '../progress/progress.repository.js';
import { summarize, type RoadmapSummary } from '../progress/progress.service.js';
import { addDays, localDateOf, mondayOf, type LocalDate } from './dates.js';
import * as repo from './plan.repository.js';
import {
  applySettingsChange,
  defaultSettings,
  sameSettings,
  type PlanSettings,
  type PlanSettingsInput,
} from './plan.settings.js';
import {
  activeDays,
  assessPlan,
  burnup,
  formatHours,
  heatmap,
  planTopics,
  scorecard,
  streaks,
  weekIndexOf,
  type Burnup,
  type Heatmap,
  type PlanStatus,
  type PlanVersion,
  type Scorecard,
  type Streaks,
  type TopicFacts,
  type VersionReason,
} from './plan.tracking.js';
import {
  MAX_HOURS_PER_WEEK,
  MAX_PLAN_WEEKS,
  schedulePlan,
  studyOrder,
  type Feasibility,
  type PlannedItem,
  type PlannedWeek,
  type Schedule,
  type SchedulerTopic,
  type TopicStatus,
} from './scheduler.js';

export const CHECKIN_MAX_LENGTH = 2000;
const FEED_TOKEN_PREFIX = 'wmcal_';

// Writing -----------------------------------------------------------------------------------

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * Runs one learner's plan write in a transaction that holds their lock, so a double-clicked "Save" (or
 * two tabs) makes two versions one after the other instead of a 500. A unique-key clash that slips
 * through anyway (a first save racing an import) is retried.
 */
export async function inTransaction<T>(
  db: { kysely: Kysely<Database>; dialect: 'sqlite' | 'postgres' },
  userId: string,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.kysely.transaction().execute(async (trx) => {
        await repo.lockLearner(trx, userId, db.dialect);
        return work(trx);
      });
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}

// Loading what the plan is computed from ------------------------------------------------------

interface Progress {
  facts: Map<string, TopicFacts>;
  topics: SchedulerTopic[];
}

/** The learner's status on every topic of the roadmap, as the scheduler and tracking need it. */
async function loadProgress(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string | null,
): Promise<Progress> {
  const [rows, ticks] = userId
    ? await Promise.all([
        progressRepo.listProgress(db, userId, roadmap.topicIds),
        repo.tickCounts(db, userId),
      ])
    : [[], new Map<string, number>()];
  const byId = new Map(rows.map((r) => [r.topic_id, r]));
  const facts = new Map<string, TopicFacts>();
  const topics: SchedulerTopic[] = [];
  for (const id of roadmap.topicIds) {
    const topic = content.topics.get(id);
    if (!topic) continue;
    const row = byId.get(id);
    const status = (row?.status ?? 'pending') as TopicStatus;
    facts.set(id, {
      id,
      estimateHours: topic.estimateHours,
      status,
      statusChangedAt: row?.status_changed_at ?? null,
    });
    topics.push({
      id,
      estimateHours: topic.estimateHours,
      optional: topic.optional,
      prerequisites: topic.prerequisites,
      tools: topic.tools,
      status,
      checklistTotal: topic.checklist.length,
      checklistDone: ticks.get(id) ?? 0,
    });
  }
  return { facts, topics };
}

// Rows <-> domain -----------------------------------------------------------------------------

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.map(String) : [];
}

function settingsOfRow(row: PlanRow): PlanSettings {
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

// Computing versions --------------------------------------------------------------------------

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

// Views ---------------------------------------------------------------------------------------

export interface ItemView extends PlannedItem {
  title: string;
  stepId: string | null;
  status: TopicStatus;
}

export interface WeekView extends Omit<PlannedWeek, 'items'> {
  items: ItemView[];
  current: boolean;
  scorecard: Scorecard | null;
  checkin: { note: string; updatedAt: string } | null;
}

export interface ReplanChoices {
  extend: {
    possible: boolean;
    finish: LocalDate | null;
    targetWeeks: number;
    hoursPerWeek: number;
    message: string;
  };
  keepFinish: { possible: boolean; finish: LocalDate; hoursPerWeek: number | null; message: string };
}

export interface FeedInfo {
  active: boolean;
  createdAt: string | null;
  lastUsedAt: string | null;
}

export interface PlanView {
  roadmapId: string;
  roadmapTitle: string;
  saved: boolean;
  version: number | null;
  reason: VersionReason | null;
  createdAt: string | null;
  updatedAt: string | null;
  today: LocalDate;
  settings: PlanSettings;
  feasibility: Feasibility;
  status: PlanStatus;
  replan: ReplanChoices | null;
  weeks: WeekView[];
  /** Week index of the first week this version scheduled (earlier ones were kept from before). */
  fromWeek: number;
  feed: FeedInfo;
  versionCount: number;
}

export function topicTitle(content: Content, id: string): string {
  return content.topics.get(content.aliases.get(id) ?? id)?.title ?? content.retired.get(id)?.title ?? id;
}

function replanChoices(version: PlanVersion, preview: Schedule): ReplanChoices {
  const f = preview.feasibility;
  const { settings } = version;
  const extendWeeks =
    f.weeksNeeded === null
      ? settings.targetWeeks
      : Math.min(MAX_PLAN_WEEKS, Math.max(settings.targetWeeks, f.weeksNeeded));
  return {
    extend: {
      possible: f.status !== 'infeasible',
      finish: f.plannedFinish,
      targetWeeks: extendWeeks,
      hoursPerWeek: settings.hoursPerWeek,
      message:
        f.status === 'infeasible'
          ? `At ${settings.hoursPerWeek} h/week the ${formatHours(f.hoursNeeded)} hours left would take more than three years; raise your hours per week.`
          : f.hoursNeeded === 0
            ? 'Nothing is left to schedule.'
            : `Keep ${settings.hoursPerWeek} h/week and re-plan the ${formatHours(f.hoursNeeded)} hours left from today: finish ${f.plannedFinish}.`,
    },
    keepFinish: {
      possible: f.hoursPerWeekNeeded !== null,
      finish: f.targetFinish,
      hoursPerWeek: f.hoursPerWeekNeeded,
      message:
        f.hoursPerWeekNeeded === null
          ? `Even ${MAX_HOURS_PER_WEEK} h/week cannot fit the ${formatHours(f.hoursNeeded)} hours left before ${f.targetFinish}.`
          : `Finish by ${f.targetFinish} by studying ${f.hoursPerWeekNeeded} h/week from now on.`,
    },
  };
}

async function buildView(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string | null,
  plan: { row: PlanRow | null; version: PlanVersion },
  progress: Progress,
  now: Date,
): Promise<PlanView> {
  const { version } = plan;
  const { settings } = version;
  const today = localDateOf(now, settings.timeZone);
  const preview = schedulePlan({ topics: progress.topics, settings, today });
  const status = assessPlan({
    version,
    facts: progress.facts,
    now,
    plannedPaceFinish: preview.feasibility.plannedFinish,
  });
  const saved = plan.row !== null && userId !== null;
  const [checkins, feed, versions] = saved
    ? await Promise.all([
        repo.listCheckins(db, userId, roadmap.id),
        repo.findFeed(db, userId, roadmap.id),
        repo.latestVersionNumber(db, userId, roadmap.id),
      ])
    : [[], undefined, 0];
  const notes = new Map(checkins.map((c) => [c.week_start, c]));
  const topics = planTopics(version, progress.facts);
  const weeks: WeekView[] = version.weeks.map((week) => {
    const note = notes.get(week.start);
    return {
      ...week,
      items: week.items.map((item) => ({
        ...item,
        title: topicTitle(content, item.topicId),
        stepId: roadmap.stepOf.get(item.topicId) ?? null,
        status: progress.facts.get(item.topicId)?.status ?? 'pending',
      })),
      current: week.start <= today && today <= week.end,
      scorecard: scorecard(version, week, progress.facts, today, topics),
      checkin: note ? { note: note.note, updatedAt: note.updated_at } : null,
    };
  });
  return {
    roadmapId: roadmap.id,
    roadmapTitle: roadmap.title,
    saved,
    version: saved ? version.version : null,
    reason: saved ? version.reason : null,
    createdAt: plan.row?.created_at ?? null,
    updatedAt: plan.row?.updated_at ?? null,
    today,
    settings,
    feasibility: version.feasibility,
    status,
    replan: saved ? replanChoices(version, preview) : null,
    weeks,
    fromWeek: version.fromWeek,
    feed: {
      active: feed !== undefined,
      createdAt: feed?.created_at ?? null,
      lastUsedAt: feed?.last_used_at ?? null,
    },
    versionCount: versions,
  };
}

interface CurrentPlan {
  row: PlanRow;
  version: PlanVersion;
}

async function currentPlan(db: Queryable, userId: string, roadmapId: string): Promise<CurrentPlan | null> {
  const row = await repo.findPlan(db, userId, roadmapId);
  if (!row) return null;
  const versionRow = await repo.findVersion(db, userId, roadmapId, row.current_version);
  if (!versionRow) return null;
  // The plan row holds the settings (its time zone follows the account's); the version, the weeks.
  return { row, version: { ...versionOfRow(versionRow), settings: settingsOfRow(row) } };
}

async function requirePlan(db: Queryable, userId: string, roadmap: Roadmap): Promise<CurrentPlan> {
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
  const progress = await loadProgress(db, content, roadmap, learner?.id ?? null);
  const existing = learner ? await currentPlan(db, learner.id, roadmap.id) : null;
  if (existing) return buildView(db, content, roadmap, learner!.id, existing, progress, now);
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
  return buildView(db, content, roadmap, learner?.id ?? null, { row: null, version }, progress, now);
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
  const progress = await loadProgress(db, content, roadmap, learner?.id ?? null);
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
  return buildView(db, content, roadmap, null, { row: null, version }, progress, now);
}

async function storeVersion(
  db: Queryable,
  userId: string,
  roadmap: Roadmap,
  version: PlanVersion,
  createdAt: string | null,
): Promise<void> {
  await repo.insertVersion(db, versionRowOf(userId, roadmap.id, version));
  await repo.upsertPlan(
    db,
    planRowOf(
      userId,
      roadmap.id,
      version.settings,
      version.version,
      createdAt ?? version.createdAt,
      version.createdAt,
    ),
  );
  await repo.setTimeZone(db, userId, version.settings.timeZone, version.createdAt);
}

/**
 * Saves new settings (any subset) and computes a new version of the plan from today. Settings that
 * cannot make a plan (more than three years of work) are refused with the numbers; settings equal to
 * the current ones change nothing. Runs inside the caller's transaction.
 */
export async function savePlan(
  db: Queryable,
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
  const progress = await loadProgress(db, content, roadmap, learner.id);
  if (existing && sameSettings(existing.version.settings, settings)) {
    return buildView(db, content, roadmap, learner.id, existing, progress, now);
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
  return buildView(db, content, roadmap, learner.id, plan, progress, now);
}

export type ReplanMode = 'extend' | 'keep-finish';

/**
 * One-click re-planning of what is left, from today: `extend` keeps the hours per week and moves the
 * target to the new finish; `keep-finish` keeps the target and sets the hours per week it needs.
 */
export async function replan(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  learner: Learner,
  mode: ReplanMode,
  now: Date,
): Promise<PlanView> {
  const existing = await requirePlan(db, learner.id, roadmap);
  const progress = await loadProgress(db, content, roadmap, learner.id);
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
  return buildView(
    db,
    content,
    roadmap,
    learner.id,
    await requirePlan(db, learner.id, roadmap),
    progress,
    now,
  );
}

// Versions ------------------------------------------------------------------------------------

export interface VersionSummary {
  version: number;
  reason: VersionReason;
  createdAt: string;
  current: boolean;
  fromWeek: number;
  startDate: LocalDate;
  hoursPerWeek: number;
  targetWeeks: number;
  feasibility: Feasibility;
  goals: number;
  hours: number;
}

function summarizeVersion(version: PlanVersion, current: number): VersionSummary {
  const future = version.weeks.filter((w) => w.index >= version.fromWeek);
  return {
    version: version.version,
    reason: version.reason,
    createdAt: version.createdAt,
    current: version.version === current,
    fromWeek: version.fromWeek,
    startDate: version.settings.startDate,
    hoursPerWeek: version.settings.hoursPerWeek,
    targetWeeks: version.settings.targetWeeks,
    feasibility: version.feasibility,
    goals: future.reduce((n, w) => n + w.items.length, 0),
    hours: future.reduce((n, w) => n + w.hours, 0),
  };
}

/** Every version of the plan, newest first. */
export async function listVersions(
  db: Queryable,
  roadmap: Roadmap,
  userId: string,
): Promise<VersionSummary[]> {
  const plan = await requirePlan(db, userId, roadmap);
  const rows = await repo.listVersions(db, userId, roadmap.id);
  return rows.map((row) => summarizeVersion(versionOfRow(row), plan.row.current_version));
}

export async function getVersion(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  number: number,
): Promise<
  VersionSummary & {
    settings: PlanSettings;
    weeks: (Omit<PlannedWeek, 'items'> & { items: (PlannedItem & { title: string })[] })[];
  }
> {
  const plan = await requirePlan(db, userId, roadmap);
  const row = await repo.findVersion(db, userId, roadmap.id, number);
  if (!row)
    throw problems.notFound(
      'Plan version',
      `Your ${roadmap.title} plan has no version ${number}; it has versions 1 to ${plan.row.current_version}.`,
    );
  const version = versionOfRow(row);
  return {
    ...summarizeVersion(version, plan.row.current_version),
    settings: version.settings,
    weeks: version.weeks.map((w) => ({
      ...w,
      items: w.items.map((item) => ({ ...item, title: topicTitle(content, item.topicId) })),
    })),
  };
}

// Weekly check-ins ----------------------------------------------------------------------------

export interface CheckinView {
  weekIndex: number;
  start: LocalDate;
  end: LocalDate;
  finished: boolean;
  scorecard: Scorecard;
  goals: { topicId: string; title: string; part: number; parts: number; hours: number; done: boolean }[];
  note: string;
  updatedAt: string | null;
}

async function checkinView(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  weekIndex: number,
  now: Date,
): Promise<CheckinView> {
  const plan = await requirePlan(db, userId, roadmap);
  const { version } = plan;
  const today = localDateOf(now, version.settings.timeZone);
  const start = addDays(mondayOf(version.settings.startDate), weekIndex * 7);
  if (start > today) {
    throw problems.conflict(
      'week_not_started',
      `Week ${weekIndex + 1} starts on ${start}; check in once it has begun.`,
    );
  }
  const progress = await loadProgress(db, content, roadmap, userId);
  const week: PlannedWeek = version.weeks.find((w) => w.index === weekIndex) ?? {
    index: weekIndex,
    start,
    end: addDays(start, 6),
    off: version.settings.weeksOff.includes(start),
    capacityHours: 0,
    hours: 0,
    items: [],
    tools: [],
  };
  const card = scorecard(version, week, progress.facts, today)!;
  const note = await repo.findCheckin(db, userId, roadmap.id, start);
  return {
    weekIndex,
    start,
    end: week.end,
    finished: card.finished,
    scorecard: card,
    goals: week.items.map((item) => {
      const facts = progress.facts.get(item.topicId);
      const done =
        (facts?.status === 'done' || facts?.status === 'skipped') &&
        (facts.statusChangedAt === null ||
          localDateOf(new Date(facts.statusChangedAt), version.settings.timeZone) <= week.end);
      return {
        topicId: item.topicId,
        title: topicTitle(content, item.topicId),
        part: item.part,
        parts: item.parts,
        hours: item.hours,
        done,
      };
    }),
    note: note?.note ?? '',
    updatedAt: note?.updated_at ?? null,
  };
}

export function getCheckin(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  weekIndex: number,
  now: Date,
): Promise<CheckinView> {
  return checkinView(db, content, roadmap, userId, weekIndex, now);
}

/** Saves the reflection note of a week that has begun (an empty note clears it). */
export async function saveCheckin(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  weekIndex: number,
  note: string,
  now: Date,
): Promise<CheckinView> {
  const view = await checkinView(db, content, roadmap, userId, weekIndex, now);
  const existing = await repo.findCheckin(db, userId, roadmap.id, view.start);
  const at = now.toISOString();
  await repo.upsertCheckin(db, {
    user_id: userId,
    roadmap_id: roadmap.id,
    week_start: view.start,
    note: note.trim(),
    created_at: existing?.created_at ?? at,
    updated_at: at,
  });
  return { ...view, note: note.trim(), updatedAt: at };
}

// Calendar feed -------------------------------------------------------------------------------

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isFeedToken(value: string): boolean {
  return /^wmcal_[A-Za-z0-9_-]{43}$/.test(value);
}

/** Creates the private feed, or replaces its token; the token is returned once and only its hash is kept. */
export async function rotateFeed(
  db: Queryable,
  roadmap: Roadmap,
  userId: string,
  now: Date,
): Promise<{ token: string; createdAt: string }> {
  await requirePlan(db, userId, roadmap);
  const token = FEED_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const createdAt = now.toISOString();
  await repo.replaceFeed(db, {
    token_hash: hashFeedToken(token),
    user_id: userId,
    roadmap_id: roadmap.id,
    created_at: createdAt,
    last_used_at: null,
  });
  return { token, createdAt };
}

export async function revokeFeed(db: Queryable, roadmap: Roadmap, userId: string): Promise<void> {
  if (!(await repo.deleteFeed(db, userId, roadmap.id))) {
    throw problems.notFound('Calendar feed', `Your ${roadmap.title} plan has no calendar feed to revoke.`);
  }
}

/** The owner of a feed token, or null if the token is unknown or revoked. Records the fetch. */
export async function resolveFeed(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ userId: string; roadmapId: string } | null> {
  if (!isFeedToken(token)) return null;
  const hash = hashFeedToken(token);
  const feed = await repo.findFeedByHash(db, hash);
  if (!feed) return null;
  if (!feed.last_used_at || now.getTime() - Date.parse(feed.last_used_at) > 60_000)
    await repo.touchFeed(db, hash, now.toISOString());
  return { userId: feed.user_id, roadmapId: feed.roadmap_id };
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
  const plan = await getPlan(db, content, roadmap, { id: userId, timeZone: 'UTC' }, now);
  return plan;
}

// Dashboard -----------------------------------------------------------------------------------

export interface NextUpItem {
  topicId: string;
  title: string;
  hours: number;
  status: TopicStatus;
  /** overdue: planned for an earlier week; this-week; upcoming; or, without a plan, in-progress / next. */
  reason: 'overdue' | 'this-week' | 'upcoming' | 'in-progress' | 'next';
  weekIndex: number | null;
}

export interface Dashboard {
  roadmapId: string;
  roadmapTitle: string;
  timeZone: string;
  today: LocalDate;
  progress: RoadmapSummary;
  streaks: Streaks;
  heatmap: Heatmap;
  plan: { saved: boolean; status: PlanStatus; feasibility: Feasibility } | null;
  burnup: { hours: Burnup; topics: Burnup } | null;
  nextUp: NextUpItem[];
}

const NEXT_UP_COUNT = 5;

function nextUp(
  content: Content,
  roadmap: Roadmap,
  progress: Progress,
  version: PlanVersion | null,
  currentWeek: number,
): NextUpItem[] {
  const complete = (id: string) => {
    const status = progress.facts.get(id)?.status;
    return status === 'done' || status === 'skipped';
  };
  const out: NextUpItem[] = [];
  const seen = new Set<string>();
  const push = (item: NextUpItem) => {
    if (out.length >= NEXT_UP_COUNT || seen.has(item.topicId)) return;
    seen.add(item.topicId);
    out.push(item);
  };
  if (version) {
    for (const week of version.weeks) {
      if (week.index < version.fromWeek) continue;
      for (const item of week.items) {
        if (complete(item.topicId)) continue;
        const reason =
          week.index < currentWeek ? 'overdue' : week.index === currentWeek ? 'this-week' : 'upcoming';
        const hours = week.items.filter((i) => i.topicId === item.topicId).reduce((n, i) => n + i.hours, 0);
        push({
          topicId: item.topicId,
          title: topicTitle(content, item.topicId),
          hours: item.parts > 1 ? item.hours : hours,
          status: progress.facts.get(item.topicId)?.status ?? 'pending',
          reason,
          weekIndex: week.index,
        });
      }
    }
    return out;
  }
  const topicOf = (id: string): Topic | undefined => content.topics.get(id);
  for (const t of progress.topics) {
    if (t.status === 'learning')
      push({
        topicId: t.id,
        title: topicOf(t.id)?.title ?? t.id,
        hours: t.estimateHours,
        status: 'learning',
        reason: 'in-progress',
        weekIndex: null,
      });
  }
  const open = progress.topics.filter((t) => !complete(t.id) && !t.optional);
  for (const id of studyOrder(open)) {
    const t = topicOf(id);
    if (!t || !t.prerequisites.every((p) => complete(p) || !roadmap.topicIds.includes(p))) continue;
    push({
      topicId: id,
      title: t.title,
      hours: t.estimateHours,
      status: progress.facts.get(id)?.status ?? 'pending',
      reason: 'next',
      weekIndex: null,
    });
  }
  return out;
}

/** Progress, streaks, heatmap, burn-up and "next up" for one roadmap, in the learner's time zone. */
export async function getDashboard(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  learner: Learner,
  now: Date,
): Promise<Dashboard> {
  const plan = await currentPlan(db, learner.id, roadmap.id);
  const timeZone = plan?.version.settings.timeZone ?? learner.timeZone;
  const today = localDateOf(now, timeZone);
  const [progress, rows, activity] = await Promise.all([
    loadProgress(db, content, roadmap, learner.id),
    progressRepo.listProgress(db, learner.id, roadmap.topicIds),
    repo.learningActivityTimes(db, learner.id),
  ]);
  const summary = summarize(content, roadmap, new Map(rows.map((r) => [r.topic_id, r])));
  let planPart: Dashboard['plan'] = null;
  let burn: Dashboard['burnup'] = null;
  let currentWeek = 0;
  if (plan) {
    const preview = schedulePlan({ topics: progress.topics, settings: plan.version.settings, today });
    const status = assessPlan({
      version: plan.version,
      facts: progress.facts,
      now,
      plannedPaceFinish: preview.feasibility.plannedFinish,
    });
    currentWeek = weekIndexOf(plan.version.settings, today);
    planPart = { saved: true, status, feasibility: plan.version.feasibility };
    const forecastFinish = status.forecast.atActualPace;
    burn = {
      hours: burnup(plan.version, progress.facts, now, 'hours', forecastFinish),
      topics: burnup(plan.version, progress.facts, now, 'topics', forecastFinish),
    };
  }
  return {
    roadmapId: roadmap.id,
    roadmapTitle: roadmap.title,
    timeZone,
    today,
    progress: summary,
    streaks: streaks(activeDays(activity, timeZone), today),
    heatmap: heatmap(activity, timeZone, today),
    plan: planPart,
    burnup: burn,
    nextUp: nextUp(content, roadmap, progress, plan?.version ?? null, currentWeek),
  };
}
