// Turns a plan version and the learner's progress into what the API and pages show: weeks with topic
// titles, statuses, scorecards and check-in notes, the re-plan choices, and version summaries. Pure:
// the service reads everything first and passes it in. Fields are picked explicitly (never a feed token).

import type { Content, Roadmap } from '../content/content.types.js';
import type { PlanCheckinRow, PlanFeedRow, PlanRow } from '../db/schema.js';
import type { LocalDate } from './dates.js';
import { localDateOf } from './dates.js';
import type { PlanInputs } from './plan.inputs.js';
import type { PlanSettings } from './plan.settings.js';
import {
  assessPlan,
  formatHours,
  planTopics,
  scorecard,
  type PlanStatus,
  type PlanVersion,
  type Scorecard,
  type VersionReason,
} from './plan.tracking.js';
import {
  MAX_HOURS_PER_WEEK,
  MAX_PLAN_WEEKS,
  schedulePlan,
  type Feasibility,
  type PlannedItem,
  type PlannedWeek,
  type Schedule,
  type TopicStatus,
} from './scheduler.js';

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

/** A topic's title, following merged and retired ids (a plan may name a topic that was since renamed). */
export function topicTitle(content: Content, id: string): string {
  return content.topics.get(content.aliases.get(id) ?? id)?.title ?? content.retired.get(id)?.title ?? id;
}

/** The two one-click re-plans from today, with what each would do (or why it cannot). */
export function replanChoices(version: PlanVersion, preview: Schedule): ReplanChoices {
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

/** What a saved plan has besides its version (an unsaved preview has none of it). */
export interface SavedPlanExtras {
  checkins: PlanCheckinRow[];
  feed: PlanFeedRow | undefined;
  versionCount: number;
}

/** The plan view: `saved` when the plan row exists and belongs to a signed-in learner. */
export function presentPlan(
  content: Content,
  roadmap: Roadmap,
  plan: { row: PlanRow | null; version: PlanVersion },
  inputs: PlanInputs,
  extras: SavedPlanExtras | null,
  now: Date,
): PlanView {
  const { version } = plan;
  const { settings } = version;
  const today = localDateOf(now, settings.timeZone);
  const preview = schedulePlan({ topics: inputs.topics, settings, today });
  const status = assessPlan({
    version,
    facts: inputs.facts,
    now,
    plannedPaceFinish: preview.feasibility.plannedFinish,
  });
  const saved = extras !== null;
  const notes = new Map((extras?.checkins ?? []).map((c) => [c.week_start, c]));
  const topics = planTopics(version, inputs.facts);
  const weeks: WeekView[] = version.weeks.map((week) => {
    const note = notes.get(week.start);
    return {
      ...week,
      items: week.items.map((item) => ({
        ...item,
        title: topicTitle(content, item.topicId),
        stepId: roadmap.stepOf.get(item.topicId) ?? null,
        status: inputs.facts.get(item.topicId)?.status ?? 'pending',
      })),
      current: week.start <= today && today <= week.end,
      scorecard: scorecard(version, week, inputs.facts, today, topics),
      checkin: note ? { note: note.note, updatedAt: note.updated_at } : null,
    };
  });
  const feed = extras?.feed;
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
    versionCount: extras?.versionCount ?? 0,
  };
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

export interface VersionDetail extends VersionSummary {
  settings: PlanSettings;
  weeks: (Omit<PlannedWeek, 'items'> & { items: (PlannedItem & { title: string })[] })[];
}

/** One line of the version history; `current` is the plan's current version number. */
export function summarizeVersion(version: PlanVersion, current: number): VersionSummary {
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

/** A past or current version with its settings and weeks, topic titles filled in. */
export function presentVersion(content: Content, version: PlanVersion, current: number): VersionDetail {
  return {
    ...summarizeVersion(version, current),
    settings: version.settings,
    weeks: version.weeks.map((w) => ({
      ...w,
      items: w.items.map((item) => ({ ...item, title: topicTitle(content, item.topicId) })),
    })),
  };
}
