// The plan scheduler: a pure, deterministic function from (topics, their statuses, settings, today)
// to weeks of goals. No clock, no database, no randomness — the same input always gives the same plan,
// which is what lets the service store versions and the tests state properties.
//
// Hours are counted in half-hour units internally (every estimate is a multiple of 0.5 h), so
// packing and splitting never accumulate floating-point error.

import { addDays, daysBetween, isoWeekday, mondayOf, type LocalDate } from './dates.js';
import type { Status } from '../progress/status.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MIN_HOURS_PER_WEEK = 1;
export const MAX_HOURS_PER_WEEK = 60;
/** A schedule that would run longer than this (three years) is reported as infeasible instead. */
export const MAX_PLAN_WEEKS = 156;

export type TopicStatus = Status;

/** What the scheduler needs to know about a topic, in the roadmap's order. */
export interface SchedulerTopic {
  id: string;
  estimateHours: number;
  optional: boolean;
  prerequisites: readonly string[];
  tools: readonly string[];
  status: TopicStatus;
  /** Key concepts in the topic's checklist, and how many the learner ticked (used for `learning` topics). */
  checklistTotal: number;
  checklistDone: number;
}

/** The settings that shape a schedule (the rest of a plan's settings only affect the calendar). */
export interface SchedulingSettings {
  /** First day of the plan; week 0 is the Monday-to-Sunday week containing it. */
  startDate: LocalDate;
  hoursPerWeek: number;
  /** Target length in weeks, counted from week 0. */
  targetWeeks: number;
  /** Days the learner studies; capacity of a partial week is prorated by them. */
  studyDays: readonly Weekday[];
  /** Mondays of weeks with no study at all. */
  weeksOff: readonly LocalDate[];
  includeOptional: boolean;
  /** Per-topic overrides: always in / always out (out wins when a topic is in both). */
  includeTopics: readonly string[];
  excludeTopics: readonly string[];
}

export interface ScheduleInput {
  /** Every topic of the roadmap, in roadmap (step) order. */
  topics: readonly SchedulerTopic[];
  settings: SchedulingSettings;
  /** Today in the learner's time zone: nothing is scheduled before it (nor before the start date). */
  today: LocalDate;
}

export interface PlannedItem {
  topicId: string;
  hours: number;
  /** 1-based; `parts` > 1 when the topic is split across weeks ("part 1/2"). */
  part: number;
  parts: number;
}

export interface PlannedWeek {
  /** Weeks since the plan's first week (0-based); stable across re-plans while the start date stays. */
  index: number;
  start: LocalDate;
  end: LocalDate;
  off: boolean;
  capacityHours: number;
  hours: number;
  items: PlannedItem[];
  /** Tools and languages of the week's topics, deduplicated, in first-seen order. */
  tools: string[];
}

export type FeasibilityStatus = 'fits' | 'over-target' | 'infeasible';

export interface Feasibility {
  /** fits: finishes by the target. over-target: a real plan that ends after the target. infeasible: more than three years. */
  status: FeasibilityStatus;
  hoursNeeded: number;
  /** Study hours the settings provide from today to the target's last week. */
  hoursAvailable: number;
  targetWeeks: number;
  /** Weeks from the start to the last scheduled week, inclusive; null when infeasible. */
  weeksNeeded: number | null;
  /** Smallest whole number of hours a week that fits the target; null when even 60 would not. */
  hoursPerWeekNeeded: number | null;
  targetFinish: LocalDate;
  plannedFinish: LocalDate | null;
  message: string;
}

export interface Schedule {
  /** Index of the first week scheduled (the week containing max(start date, today)). */
  fromWeek: number;
  fromDate: LocalDate;
  /** Weeks from `fromWeek` to the last scheduled week; empty when nothing is left or it is infeasible. */
  weeks: PlannedWeek[];
  /** Topic ids in the order they are studied. */
  order: string[];
  /** Every topic the settings include (done ones too). */
  scope: string[];
  /** Hours scheduled per topic (what is left of it). */
  topicHours: Record<string, number>;
  feasibility: Feasibility;
}

const UNITS_PER_HOUR = 2;
const toUnits = (hours: number) => Math.max(1, Math.round(hours * UNITS_PER_HOUR));
const toHours = (units: number) => units / UNITS_PER_HOUR;

/** Whether the settings put a topic in the plan at all (done or not). */
export function isIncluded(
  topic: Pick<SchedulerTopic, 'id' | 'optional'>,
  settings: SchedulingSettings,
): boolean {
  if (settings.excludeTopics.includes(topic.id)) return false;
  if (settings.includeTopics.includes(topic.id)) return true;
  return !topic.optional || settings.includeOptional;
}

/**
 * Half-hour units still to study: none for done or skipped topics; for a topic being learned, the
 * share of its key concepts not yet ticked (at least half an hour, since it still has to be finished).
 */
function remainingUnits(topic: SchedulerTopic): number {
  if (topic.status === 'done' || topic.status === 'skipped') return 0;
  const full = toUnits(topic.estimateHours);
  if (topic.status !== 'learning' || topic.checklistTotal <= 0) return full;
  const ticked = Math.min(topic.checklistDone, topic.checklistTotal) / topic.checklistTotal;
  return Math.min(full, Math.max(1, Math.ceil(full * (1 - ticked))));
}

/**
 * Topological order by prerequisites (only those also being scheduled), choosing among the topics
 * that are ready the one earliest in the roadmap. A cycle (the linter forbids them) is broken in
 * roadmap order rather than dropping topics.
 */
export function studyOrder(topics: readonly Pick<SchedulerTopic, 'id' | 'prerequisites'>[]): string[] {
  const position = new Map(topics.map((t, i) => [t.id, i]));
  const waitingOn = new Map<string, Set<string>>();
  const unlocks = new Map<string, string[]>();
  for (const topic of topics) {
    const prerequisites = new Set(topic.prerequisites.filter((p) => position.has(p) && p !== topic.id));
    waitingOn.set(topic.id, prerequisites);
    for (const p of prerequisites) unlocks.set(p, [...(unlocks.get(p) ?? []), topic.id]);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  const ready = topics.filter((t) => waitingOn.get(t.id)!.size === 0).map((t) => t.id);
  while (order.length < topics.length) {
    if (ready.length === 0) {
      // Only reachable with a cycle: release the earliest unplaced topic.
      const next = topics.find((t) => !placed.has(t.id))!;
      ready.push(next.id);
    }
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    if (placed.has(id)) continue;
    placed.add(id);
    order.push(id);
    for (const next of unlocks.get(id) ?? []) {
      const waiting = waitingOn.get(next)!;
      waiting.delete(id);
      if (waiting.size === 0 && !placed.has(next) && !ready.includes(next)) ready.push(next);
    }
  }
  return order;
}

/** Study days of week `index` on or after `firstDay`, and of a full week. */
function capacityUnits(
  settings: SchedulingSettings,
  hoursPerWeek: number,
  weekMonday: LocalDate,
  firstDay: LocalDate,
): number {
  if (settings.weeksOff.includes(weekMonday)) return 0;
  const days = new Set(settings.studyDays);
  if (days.size === 0) return 0;
  let available = 0;
  for (let d = 0; d < 7; d += 1) {
    const date = addDays(weekMonday, d);
    if (date >= firstDay && days.has(WEEKDAYS[isoWeekday(date) - 1]!)) available += 1;
  }
  return Math.floor((hoursPerWeek * UNITS_PER_HOUR * available) / days.size);
}

const formatHours = (hours: number) => (Number.isInteger(hours) ? String(hours) : hours.toFixed(1));

/**
 * Cuts the remaining topics into weeks. Topics are taken in {@link studyOrder} and packed into each
 * week up to its capacity; a topic larger than what is left of a week fills the week and continues
 * in the next one(s) as "part n/m", so no week ever exceeds its capacity. Weeks off have none.
 *
 * @example
 * schedulePlan({ topics, settings: { startDate: '2026-03-02', hoursPerWeek: 10, targetWeeks: 26, … }, today: '2026-03-02' })
 * // → { weeks: [{ index: 0, start: '2026-03-02', hours: 10, items: [{ topicId: 'backend-role', hours: 2, part: 1, parts: 1 }, …] }, …],
 * //     feasibility: { status: 'fits', … } }
 */
export function schedulePlan(input: ScheduleInput): Schedule {
  const { settings } = input;
  const firstMonday = mondayOf(settings.startDate);
  const fromDate = input.today > settings.startDate ? input.today : settings.startDate;
  const fromWeek = Math.floor(daysBetween(firstMonday, fromDate) / 7);
  const mondayOfWeek = (index: number) => addDays(firstMonday, index * 7);
  const capacity = (index: number, hoursPerWeek = settings.hoursPerWeek) =>
    capacityUnits(settings, hoursPerWeek, mondayOfWeek(index), fromDate);

  const inScope = input.topics.filter((t) => isIncluded(t, settings));
  const pending = inScope.filter((t) => remainingUnits(t) > 0);
  const byId = new Map(pending.map((t) => [t.id, t]));
  const order = studyOrder(pending);
  const neededUnits = pending.reduce((sum, t) => sum + remainingUnits(t), 0);

  // Pack.
  const weeks: PlannedWeek[] = [];
  const topicHours: Record<string, number> = {};
  let index = fromWeek;
  let left = capacity(index);
  let current: PlannedWeek = newWeek(index, mondayOfWeek(index), left, settings);
  let currentUnits = 0;
  const horizon = fromWeek + MAX_PLAN_WEEKS;
  let infeasible = false;
  const parts = new Map<string, PlannedItem[]>();
  packing: for (const id of order) {
    const topic = byId.get(id)!;
    let units = remainingUnits(topic);
    topicHours[id] = toHours(units);
    while (units > 0) {
      while (left === 0) {
        weeks.push(current);
        index += 1;
        if (index >= horizon) {
          infeasible = true;
          break packing;
        }
        left = capacity(index);
        current = newWeek(index, mondayOfWeek(index), left, settings);
        currentUnits = 0;
      }
      const take = Math.min(units, left);
      const item: PlannedItem = { topicId: id, hours: toHours(take), part: 1, parts: 1 };
      current.items.push(item);
      currentUnits += take;
      current.hours = toHours(currentUnits);
      parts.set(id, [...(parts.get(id) ?? []), item]);
      units -= take;
      left -= take;
    }
  }
  if (!infeasible && current.items.length > 0) weeks.push(current);
  // Drop trailing empty weeks (e.g. weeks off after the last goal).
  while (weeks.length > 0 && weeks[weeks.length - 1]!.items.length === 0) weeks.pop();
  for (const list of parts.values())
    list.forEach((item, i) => Object.assign(item, { part: i + 1, parts: list.length }));
  const toolsOf = new Map(pending.map((t) => [t.id, t.tools]));
  for (const week of weeks)
    week.tools = dedupeTools(week.items.flatMap((item) => toolsOf.get(item.topicId) ?? []));

  // Judge the result against the target.
  const targetLastWeek = settings.targetWeeks - 1;
  let availableUnits = 0;
  for (let w = fromWeek; w <= targetLastWeek; w += 1) availableUnits += capacity(w);
  let hoursPerWeekNeeded: number | null = null;
  for (let h = MIN_HOURS_PER_WEEK; h <= MAX_HOURS_PER_WEEK && hoursPerWeekNeeded === null; h += 1) {
    let units = 0;
    for (let w = fromWeek; w <= targetLastWeek && units < neededUnits; w += 1) units += capacity(w, h);
    if (units >= neededUnits) hoursPerWeekNeeded = h;
  }
  const lastWeek = weeks.at(-1);
  const feasibility = judge({
    settings,
    neededUnits,
    availableUnits,
    hoursPerWeekNeeded,
    weeksNeeded: infeasible ? null : lastWeek ? lastWeek.index + 1 : 0,
    plannedFinish: infeasible ? null : lastWeek ? lastWeek.end : null,
    targetFinish: addDays(mondayOfWeek(targetLastWeek), 6),
  });
  return {
    fromWeek,
    fromDate,
    weeks: infeasible ? [] : weeks,
    order: infeasible ? [] : order,
    scope: inScope.map((t) => t.id),
    topicHours: infeasible ? {} : topicHours,
    feasibility,
  };
}

function newWeek(
  index: number,
  start: LocalDate,
  capacity: number,
  settings: SchedulingSettings,
): PlannedWeek {
  return {
    index,
    start,
    end: addDays(start, 6),
    off: settings.weeksOff.includes(start),
    capacityHours: toHours(capacity),
    hours: 0,
    items: [],
    tools: [],
  };
}

function dedupeTools(tools: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tool of tools) {
    const key = tool.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(tool.trim());
  }
  return out;
}

function judge(facts: {
  settings: SchedulingSettings;
  neededUnits: number;
  availableUnits: number;
  hoursPerWeekNeeded: number | null;
  weeksNeeded: number | null;
  plannedFinish: LocalDate | null;
  targetFinish: LocalDate;
}): Feasibility {
  const { settings, weeksNeeded, hoursPerWeekNeeded } = facts;
  const hoursNeeded = toHours(facts.neededUnits);
  const hoursAvailable = toHours(facts.availableUnits);
  const base = {
    hoursNeeded,
    hoursAvailable,
    targetWeeks: settings.targetWeeks,
    weeksNeeded,
    hoursPerWeekNeeded,
    targetFinish: facts.targetFinish,
    plannedFinish: facts.plannedFinish,
  };
  const h = formatHours(hoursNeeded);
  const perWeek = `${settings.hoursPerWeek} h/week`;
  const fix =
    hoursPerWeekNeeded !== null
      ? `To finish by ${facts.targetFinish}, study ${hoursPerWeekNeeded} h/week, choose a later target, or leave out some topics.`
      : `Even ${MAX_HOURS_PER_WEEK} h/week would not fit them before ${facts.targetFinish}: choose a later target or leave out some topics.`;
  if (hoursNeeded === 0) {
    return {
      status: 'fits',
      ...base,
      message: 'Everything in this plan is done or skipped: nothing left to schedule.',
    };
  }
  if (weeksNeeded === null) {
    return {
      status: 'infeasible',
      ...base,
      message: `At ${perWeek}, the ${h} hours left would take more than ${MAX_PLAN_WEEKS} weeks (three years); your ${settings.targetWeeks}-week target has room for ${formatHours(hoursAvailable)} hours. ${fix}`,
    };
  }
  if (weeksNeeded <= settings.targetWeeks) {
    return {
      status: 'fits',
      ...base,
      message: `${h} hours at ${perWeek} take ${weeksNeeded} weeks, finishing ${facts.plannedFinish}, within your ${settings.targetWeeks}-week target (${facts.targetFinish}).`,
    };
  }
  return {
    status: 'over-target',
    ...base,
    message: `At ${perWeek}, the ${h} hours left take ${weeksNeeded} weeks (until ${facts.plannedFinish}), ${weeksNeeded - settings.targetWeeks} more than your ${settings.targetWeeks}-week target, which has room for ${formatHours(hoursAvailable)} hours. ${fix}`,
  };
}

/** One "choose one of" set as the scheduler sees it: its members and the one the learner chose. */
export interface AlternativeChoice {
  topicIds: readonly string[];
  chosen: string;
  /** The set is on the required path (any member is required): the chosen member is then required. */
  required: boolean;
}

/**
 * Narrows a roadmap's topics to one member per alternative set: the chosen member stays (required
 * when the set is, done when any member is done, since progress in any member counts for the set),
 * the other members leave the plan even if marked required, and a prerequisite naming any member
 * means the chosen one. Progress itself is untouched, so switching back restores the same plan.
 *
 * @example
 * chooseAlternatives(topics, [{ topicIds: ['javascript-basics', 'python-basics'], chosen: 'python-basics', required: true }])
 * // → topics without javascript-basics; python-basics required; prerequisites on javascript-basics now name python-basics
 */
export function chooseAlternatives<
  T extends Pick<SchedulerTopic, 'id' | 'optional' | 'prerequisites' | 'status'>,
>(topics: readonly T[], sets: readonly AlternativeChoice[]): T[] {
  if (sets.length === 0) return [...topics];
  const chosenFor = new Map<string, AlternativeChoice>();
  for (const set of sets) for (const id of set.topicIds) chosenFor.set(id, set);
  const doneIds = new Set(topics.filter((t) => t.status === 'done').map((t) => t.id));
  const out: T[] = [];
  for (const topic of topics) {
    const set = chosenFor.get(topic.id);
    if (set && set.chosen !== topic.id) continue;
    const prerequisites = dedupe(topic.prerequisites.map((p) => chosenFor.get(p)?.chosen ?? p));
    const setDone = set ? set.topicIds.some((id) => doneIds.has(id)) : false;
    out.push({
      ...topic,
      optional: set ? !set.required : topic.optional,
      status: setDone ? 'done' : topic.status,
      prerequisites: prerequisites.filter((p) => p !== topic.id),
    });
  }
  return out;
}

function dedupe(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
