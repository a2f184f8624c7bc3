// Plan versus reality, as pure functions of a stored plan version, the learner's topic statuses and
// "now": on track / ahead / behind, pace and forecasts, weekly scorecards, burn-up series, streaks
// and the activity heatmap. No clock or database here either — the service passes them in.
//
// How progress is measured (also in README.md):
// - Each topic in the plan weighs the hours the version scheduled for it (for a topic being learned,
//   only what was left of it); topics already finished when the version was made weigh their estimate.
// - A topic counts as complete when its status is done or skipped, from the moment the status changed.
//   A topic split over weeks counts when its last part is due, so a learner who follows the plan
//   exactly is always "on track", never "behind by half a topic".
// - The plan is checked at week boundaries: by today, the topics whose last part fell in an earlier
//   week should be complete. |difference| < 1 hour is "on track".
// - Pace counts only topics marked done (skipping is not studying) over the last four weeks (at least
//   one week, at most the time since the plan started).

import { addDays, daysBetween, localDateOf, mondayOf, type LocalDate } from './dates.js';
import type { Feasibility, PlannedWeek, TopicStatus } from './scheduler.js';
import type { PlanSettings } from './plan.settings.js';

export type VersionReason = 'created' | 'settings' | 'replan-extend' | 'replan-keep-finish' | 'imported';

/** One stored computation of the plan. */
export interface PlanVersion {
  version: number;
  reason: VersionReason;
  createdAt: string;
  settings: PlanSettings;
  /** Weeks before this index were carried over unchanged from the previous version. */
  fromWeek: number;
  weeks: PlannedWeek[];
  /** Every topic the settings included when the version was made. */
  scope: string[];
  feasibility: Feasibility;
}

/** What tracking needs to know about a topic right now. */
export interface TopicFacts {
  id: string;
  estimateHours: number;
  status: TopicStatus;
  /** When the status last changed (ISO instant); for done/skipped topics, when they were completed. */
  statusChangedAt: string | null;
}

/**
 * `over-target`: keeping up with the plan, but the plan itself ends after the target (the page's banner
 * says so too: the badge, the status card and the dashboard never call such a plan "on track").
 */
export type PlanState = 'not-started' | 'on-track' | 'ahead' | 'behind' | 'over-target' | 'finished';

export interface PlanStatus {
  state: PlanState;
  /** Positive: ahead of the plan by this many hours; negative: behind. */
  hoursAhead: number;
  /** Weeks the plan runs past its target (0 when it fits). */
  weeksLate: number;
  plannedHoursToDate: number;
  completedHours: number;
  totalHours: number;
  remainingHours: number;
  /** Week index containing today (negative before the plan starts). */
  currentWeek: number;
  pace: { hoursPerWeek: number; windowDays: number };
  forecast: {
    /** Finish date at the pace of recent weeks; null when nothing was finished recently. */
    atActualPace: LocalDate | null;
    /** Finish date if the rest is re-planned from today at the planned hours per week. */
    atPlannedPace: LocalDate | null;
    plannedFinish: LocalDate | null;
    targetFinish: LocalDate;
  };
  message: string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
export const formatHours = (hours: number) => {
  const rounded = round1(hours);
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
};
const COMPLETE: ReadonlySet<TopicStatus> = new Set(['done', 'skipped']);

/** The date a topic became complete in the learner's zone, or null if it is not complete now. */
function completedOn(facts: TopicFacts | undefined, timeZone: string): LocalDate | null {
  if (!facts || !COMPLETE.has(facts.status)) return null;
  return facts.statusChangedAt ? localDateOf(new Date(facts.statusChangedAt), timeZone) : '0000-01-01';
}

/** The plan's view of each topic: its weight in hours and the week its last part is due (if scheduled). */
export function planTopics(
  version: PlanVersion,
  facts: ReadonlyMap<string, TopicFacts>,
): Map<string, { weight: number; lastWeek: number | null }> {
  const scheduled = new Map<string, { weight: number; lastWeek: number }>();
  for (const week of version.weeks) {
    if (week.index < version.fromWeek) continue;
    for (const item of week.items) {
      const entry = scheduled.get(item.topicId) ?? { weight: 0, lastWeek: week.index };
      entry.weight += item.hours;
      entry.lastWeek = Math.max(entry.lastWeek, week.index);
      scheduled.set(item.topicId, entry);
    }
  }
  const out = new Map<string, { weight: number; lastWeek: number | null }>();
  for (const id of version.scope) {
    const entry = scheduled.get(id);
    out.set(id, entry ?? { weight: facts.get(id)?.estimateHours ?? 0, lastWeek: null });
  }
  // A topic scheduled but no longer in scope (content changed) still counts where it was planned.
  for (const [id, entry] of scheduled) if (!out.has(id)) out.set(id, entry);
  return out;
}

export function weekIndexOf(settings: Pick<PlanSettings, 'startDate'>, date: LocalDate): number {
  return Math.floor(daysBetween(mondayOf(settings.startDate), date) / 7);
}

/** Where the learner stands against a plan version. `plannedPaceFinish` comes from re-running the scheduler from today. */
export function assessPlan(input: {
  version: PlanVersion;
  facts: ReadonlyMap<string, TopicFacts>;
  now: Date;
  plannedPaceFinish: LocalDate | null;
}): PlanStatus {
  const { version, facts, now } = input;
  const { settings } = version;
  const today = localDateOf(now, settings.timeZone);
  const currentWeek = weekIndexOf(settings, today);
  const topics = planTopics(version, facts);
  let total = 0;
  let completed = 0;
  let planned = 0;
  for (const [id, topic] of topics) {
    total += topic.weight;
    if (completedOn(facts.get(id), settings.timeZone) !== null) completed += topic.weight;
    if (topic.lastWeek === null || topic.lastWeek < currentWeek) planned += topic.weight;
  }
  const remaining = Math.max(0, total - completed);
  const pace = measurePace(version, facts, topics, today);
  const atActualPace =
    remaining > 0 && pace.hoursPerWeek > 0
      ? forecastAtPace(today, remaining, pace.hoursPerWeek, settings.weeksOff)
      : null;
  const forecast = {
    atActualPace,
    atPlannedPace: remaining > 0 ? input.plannedPaceFinish : null,
    plannedFinish: version.feasibility.plannedFinish,
    targetFinish: version.feasibility.targetFinish,
  };
  const feasibility = version.feasibility;
  const weeksLate =
    feasibility.status === 'over-target' && feasibility.weeksNeeded !== null
      ? Math.max(0, feasibility.weeksNeeded - feasibility.targetWeeks)
      : 0;
  const base = {
    weeksLate,
    plannedHoursToDate: round1(planned),
    completedHours: round1(completed),
    totalHours: round1(total),
    remainingHours: round1(remaining),
    currentWeek,
    pace,
    forecast,
  };
  if (total > 0 && remaining === 0) {
    return {
      state: 'finished',
      hoursAhead: 0,
      ...base,
      message: 'Finished: every topic in this plan is done or skipped.',
    };
  }
  if (today < settings.startDate) {
    return {
      state: 'not-started',
      hoursAhead: 0,
      ...base,
      message: `The plan starts on ${settings.startDate}.`,
    };
  }
  const difference = round1(completed - planned);
  if (weeksLate > 0 && difference > -1) {
    const weeks = weeksLate === 1 ? '1 week' : `${weeksLate} weeks`;
    return {
      state: 'over-target',
      hoursAhead: difference,
      ...base,
      message: `This plan ends ${weeks} after your target.`,
    };
  }
  if (Math.abs(difference) < 1) {
    return { state: 'on-track', hoursAhead: difference, ...base, message: 'On track.' };
  }
  const hours = formatHours(Math.abs(difference));
  return difference > 0
    ? { state: 'ahead', hoursAhead: difference, ...base, message: `Ahead by ${hours} hours.` }
    : { state: 'behind', hoursAhead: difference, ...base, message: `Behind by ${hours} hours.` };
}

const PACE_WINDOW_DAYS = 28;

function measurePace(
  version: PlanVersion,
  facts: ReadonlyMap<string, TopicFacts>,
  topics: ReadonlyMap<string, { weight: number }>,
  today: LocalDate,
): { hoursPerWeek: number; windowDays: number } {
  const elapsed = daysBetween(version.settings.startDate, today) + 1;
  const windowDays = Math.min(PACE_WINDOW_DAYS, Math.max(7, elapsed));
  const since = addDays(today, -(windowDays - 1));
  let hours = 0;
  for (const [id, topic] of topics) {
    const f = facts.get(id);
    if (f?.status !== 'done') continue;
    const day = completedOn(f, version.settings.timeZone);
    if (day !== null && day >= since && day <= today) hours += topic.weight;
  }
  return { hoursPerWeek: round1((hours * 7) / windowDays), windowDays };
}

/**
 * Today (or the Monday after, if this is a week off) plus the remaining hours at a weekly pace, pushed
 * back a week for every later week off on the way.
 */
export function forecastAtPace(
  today: LocalDate,
  remainingHours: number,
  hoursPerWeek: number,
  weeksOff: readonly LocalDate[],
): LocalDate {
  const start = weeksOff.includes(mondayOf(today)) ? addDays(mondayOf(today), 7) : today;
  let finish = addDays(start, Math.max(0, Math.ceil((remainingHours / hoursPerWeek) * 7) - 1));
  const counted = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const monday of weeksOff) {
      if (!counted.has(monday) && monday > start && monday <= finish) {
        counted.add(monday);
        finish = addDays(finish, 7);
        changed = true;
      }
    }
  }
  return finish;
}

// Weekly scorecards ---------------------------------------------------------------------------

export interface Scorecard {
  /** The week is over (its Sunday is before today). */
  finished: boolean;
  goalsPlanned: number;
  goalsDone: number;
  hoursPlanned: number;
  /** Hours of topics marked done during the week. */
  hoursDone: number;
}

/** Goals done / planned and hours for one week; null for weeks that have not started. */
export function scorecard(
  version: PlanVersion,
  week: PlannedWeek,
  facts: ReadonlyMap<string, TopicFacts>,
  today: LocalDate,
  topics: ReadonlyMap<string, { weight: number }> = planTopics(version, facts),
): Scorecard | null {
  if (week.start > today) return null;
  const zone = version.settings.timeZone;
  const goalsDone = week.items.filter((item) => {
    const day = completedOn(facts.get(item.topicId), zone);
    return day !== null && day <= week.end;
  }).length;
  let hoursDone = 0;
  for (const [id, topic] of topics) {
    const f = facts.get(id);
    if (f?.status !== 'done') continue;
    const day = completedOn(f, zone);
    if (day !== null && day >= week.start && day <= week.end) hoursDone += topic.weight;
  }
  return {
    finished: week.end < today,
    goalsPlanned: week.items.length,
    goalsDone,
    hoursPlanned: week.hours,
    hoursDone: round1(hoursDone),
  };
}

// Burn-up -------------------------------------------------------------------------------------

export interface BurnupPoint {
  /** Position in weeks from the plan's first Monday (fractional for "today"). */
  x: number;
  date: LocalDate;
  planned: number | null;
  actual: number | null;
  forecast: number | null;
}

export interface Burnup {
  unit: 'hours' | 'topics';
  total: number;
  /** Week boundaries (Mondays) from the plan's start, plus a point for today. */
  points: BurnupPoint[];
  todayX: number;
  /** Where the plan (this version) begins; the planned line starts here. */
  fromX: number;
  weeks: number;
}

/**
 * Cumulative planned and actual work per week boundary, in hours or topics, with a straight forecast
 * from today's actual to the total at the recent pace.
 */
export function burnup(
  version: PlanVersion,
  facts: ReadonlyMap<string, TopicFacts>,
  now: Date,
  unit: 'hours' | 'topics',
  forecastFinish: LocalDate | null,
): Burnup {
  const { settings } = version;
  const zone = settings.timeZone;
  const firstMonday = mondayOf(settings.startDate);
  const today = localDateOf(now, zone);
  const topics = planTopics(version, facts);
  const weightOf = (id: string) => (unit === 'hours' ? (topics.get(id)?.weight ?? 0) : 1);
  const completedDays = [...topics.keys()].map((id) => ({ id, day: completedOn(facts.get(id), zone) }));
  const total = round1([...topics.keys()].reduce((sum, id) => sum + weightOf(id), 0));
  const lastPlanned = Math.max(version.fromWeek, ...[...topics.values()].map((t) => (t.lastWeek ?? -1) + 1));
  const todayX = Math.max(0, (daysBetween(firstMonday, today) + 1) / 7);
  const forecastX = forecastFinish ? (daysBetween(firstMonday, forecastFinish) + 1) / 7 : 0;
  const weeks = Math.min(260, Math.max(1, Math.ceil(Math.max(lastPlanned, todayX, forecastX))));
  const baseline = [...topics]
    .filter(([, t]) => t.lastWeek === null)
    .reduce((sum, [id]) => sum + weightOf(id), 0);
  const actualBefore = (date: LocalDate) =>
    round1(
      completedDays.filter((c) => c.day !== null && c.day < date).reduce((sum, c) => sum + weightOf(c.id), 0),
    );
  const actualNow = round1(
    completedDays.filter((c) => c.day !== null).reduce((sum, c) => sum + weightOf(c.id), 0),
  );

  const points: BurnupPoint[] = [];
  for (let x = 0; x <= weeks; x += 1) {
    const date = addDays(firstMonday, x * 7);
    const planned =
      x < version.fromWeek
        ? null
        : round1(
            baseline +
              [...topics]
                .filter(([, t]) => t.lastWeek !== null && t.lastWeek < x)
                .reduce((sum, [id]) => sum + weightOf(id), 0),
          );
    points.push({ x, date, planned, actual: date <= today ? actualBefore(date) : null, forecast: null });
  }
  const todayPoint: BurnupPoint = {
    x: round3(todayX),
    date: today,
    planned: null,
    actual: actualNow,
    forecast: forecastFinish ? actualNow : null,
  };
  points.push(todayPoint);
  if (forecastFinish && forecastX > todayX)
    points.push({ x: round3(forecastX), date: forecastFinish, planned: null, actual: null, forecast: total });
  points.sort((a, b) => a.x - b.x);
  return { unit, total, points, todayX: round3(todayX), fromX: version.fromWeek, weeks };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

// Streaks and heatmap -------------------------------------------------------------------------

export interface Streaks {
  /** Consecutive active days ending today (or yesterday, if today has no activity yet). */
  current: number;
  longest: number;
  activeToday: boolean;
  lastActive: LocalDate | null;
}

/** Distinct local dates with learning activity, sorted. */
export function activeDays(instants: readonly string[], timeZone: string): LocalDate[] {
  return [...new Set(instants.map((at) => localDateOf(new Date(at), timeZone)))].sort();
}

export function streaks(days: readonly LocalDate[], today: LocalDate): Streaks {
  const set = new Set(days);
  let longest = 0;
  let run = 0;
  let previous: LocalDate | null = null;
  for (const day of days) {
    if (day > today) continue;
    run = previous !== null && daysBetween(previous, day) === 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = day;
  }
  const activeToday = set.has(today);
  let current = 0;
  let cursor = activeToday ? today : addDays(today, -1);
  while (set.has(cursor)) {
    current += 1;
    cursor = addDays(cursor, -1);
  }
  const past = days.filter((d) => d <= today);
  return { current, longest, activeToday, lastActive: past.at(-1) ?? null };
}

export interface HeatmapDay {
  date: LocalDate;
  count: number;
  /** 0 (none) … 4 (busiest), fixed thresholds so colours mean the same every week. */
  level: 0 | 1 | 2 | 3 | 4;
  future: boolean;
}

export interface Heatmap {
  start: LocalDate;
  end: LocalDate;
  /** Monday-first columns, oldest first. */
  weeks: { start: LocalDate; days: HeatmapDay[] }[];
  activeDays: number;
  total: number;
}

export function levelOf(count: number): HeatmapDay['level'] {
  if (count <= 0) return 0;
  if (count <= 2) return 1;
  if (count <= 5) return 2;
  if (count <= 9) return 3;
  return 4;
}

/** Learning events per local day for the `weeks` weeks ending with the current one. */
export function heatmap(
  instants: readonly string[],
  timeZone: string,
  today: LocalDate,
  weeks = 26,
): Heatmap {
  const counts = new Map<string, number>();
  for (const at of instants) {
    const day = localDateOf(new Date(at), timeZone);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return heatmapOfDays(counts, today, weeks);
}

/** The heatmap from learning events already counted per local day (see progress's learningDays). */
export function heatmapOfDays(counts: ReadonlyMap<LocalDate, number>, today: LocalDate, weeks = 26): Heatmap {
  const start = addDays(mondayOf(today), -(weeks - 1) * 7);
  const columns: Heatmap['weeks'] = [];
  let activeDaysCount = 0;
  let total = 0;
  for (let w = 0; w < weeks; w += 1) {
    const monday = addDays(start, w * 7);
    const days: HeatmapDay[] = [];
    for (let d = 0; d < 7; d += 1) {
      const date = addDays(monday, d);
      const count = date <= today ? (counts.get(date) ?? 0) : 0;
      if (count > 0) activeDaysCount += 1;
      total += count;
      days.push({ date, count, level: levelOf(count), future: date > today });
    }
    columns.push({ start: monday, days });
  }
  return { start, end: addDays(start, weeks * 7 - 1), weeks: columns, activeDays: activeDaysCount, total };
}
