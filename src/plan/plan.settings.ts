// A plan's settings: their schema (shared by the API, the form route and the export), defaults, and the
// checks a schema cannot express (real dates, known topics, a time zone Intl knows).

import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import '../lib/formats.js';
import type { Content, Roadmap } from '../content/content.types.js';
import { problems, type ProblemField } from '../http/problems.js';
import { canonicalTimeZone, isLocalDate, mondayOf, type LocalDate } from './dates.js';
import {
  MAX_HOURS_PER_WEEK,
  MAX_PLAN_WEEKS,
  MIN_HOURS_PER_WEEK,
  WEEKDAYS,
  isIncluded,
  type SchedulingSettings,
  type Weekday,
} from './scheduler.js';

export interface PlanSettings extends SchedulingSettings {
  studyDays: Weekday[];
  weeksOff: LocalDate[];
  includeTopics: string[];
  excludeTopics: string[];
  /** `HH:MM` in `timeZone`; null = no study-session events in the calendar. */
  studyTime: string | null;
  /** Length of a study session; null = hours per week spread evenly over the study days. */
  sessionMinutes: number | null;
  /** IANA time zone the plan's days, sessions and streaks are in. */
  timeZone: string;
}

export const MIN_SESSION_MINUTES = 15;
export const MAX_SESSION_MINUTES = 480;
export const DEFAULT_HOURS_PER_WEEK = 10;
export const DEFAULT_STUDY_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

const TopicId = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 });
const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const WeekdaySchema = Type.Union(
  WEEKDAYS.map((d) => Type.Literal(d)),
  { description: 'mon … sun' },
);

const settingsFields = {
  startDate: DateString,
  hoursPerWeek: Type.Integer({
    minimum: MIN_HOURS_PER_WEEK,
    maximum: MAX_HOURS_PER_WEEK,
    description: 'Study hours per week, 1–60',
  }),
  targetWeeks: Type.Integer({
    minimum: 1,
    maximum: MAX_PLAN_WEEKS,
    description: 'Target length in weeks (default: the roadmap’s, 26 ≈ six months)',
  }),
  studyDays: Type.Array(WeekdaySchema, { minItems: 1, maxItems: 7, uniqueItems: true }),
  studyTime: Type.Union([
    Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour, in timeZone' }),
    Type.Null(),
  ]),
  sessionMinutes: Type.Union([
    Type.Integer({ minimum: MIN_SESSION_MINUTES, maximum: MAX_SESSION_MINUTES }),
    Type.Null(),
  ]),
  weeksOff: Type.Array(DateString, {
    maxItems: MAX_PLAN_WEEKS,
    description: 'Any date in each week off (stored as its Monday)',
  }),
  includeOptional: Type.Boolean(),
  includeTopics: Type.Array(TopicId, { maxItems: 1000, description: 'Topics to include even if optional' }),
  excludeTopics: Type.Array(TopicId, { maxItems: 1000, description: 'Topics to leave out' }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
};

/** The settings as stored in an export (no schema id, so it can be embedded anywhere). */
export const PlanSettingsStored = Type.Object(settingsFields, { additionalProperties: false });

/** The settings as the API returns them. */
export const PlanSettingsSchema = Type.Object(settingsFields, {
  $id: 'PlanSettings',
  title: 'PlanSettings',
  additionalProperties: false,
});

/** The body of `PUT …/plan`: any subset; what is left out keeps its current (or default) value. */
export const PlanSettingsInput = Type.Partial(Type.Object(settingsFields, { additionalProperties: false }), {
  additionalProperties: false,
});
export type PlanSettingsInput = Static<typeof PlanSettingsInput>;

/**
 * Settings for a learner who has not saved a plan: start today, at the roadmap's suggested hours a week
 * (10 for the backend roadmap; 10 when a roadmap suggests none) for its suggested length (26 weeks ≈ six months).
 */
export function defaultSettings(roadmap: Roadmap, today: LocalDate, timeZone: string): PlanSettings {
  return {
    startDate: today,
    hoursPerWeek:
      Number.isInteger(roadmap.hoursPerWeek) &&
      roadmap.hoursPerWeek >= MIN_HOURS_PER_WEEK &&
      roadmap.hoursPerWeek <= MAX_HOURS_PER_WEEK
        ? roadmap.hoursPerWeek
        : DEFAULT_HOURS_PER_WEEK,
    targetWeeks: Math.min(MAX_PLAN_WEEKS, Math.max(1, roadmap.weeks)),
    studyDays: [...DEFAULT_STUDY_DAYS],
    studyTime: null,
    sessionMinutes: null,
    weeksOff: [],
    includeOptional: false,
    includeTopics: [],
    excludeTopics: [],
    timeZone,
  };
}

/**
 * Applies a (validated-by-schema) change to settings and checks what the schema cannot: real dates,
 * topics that belong to the roadmap, a known time zone. Normalises weeks off to their Mondays and
 * sorts lists so equal settings compare equal. Throws a 400 problem naming every bad field.
 */
export function applySettingsChange(
  content: Content,
  roadmap: Roadmap,
  base: PlanSettings,
  change: PlanSettingsInput,
  pointer = '/body',
): PlanSettings {
  const errors: ProblemField[] = [];
  const next: PlanSettings = { ...base, ...stripUndefined(change) } as PlanSettings;
  if (!isLocalDate(next.startDate))
    errors.push({
      pointer: `${pointer}/startDate`,
      message: `"${next.startDate}" is not a calendar date (YYYY-MM-DD)`,
    });
  const weeksOff = new Set<string>();
  next.weeksOff.forEach((date, i) => {
    if (isLocalDate(date)) weeksOff.add(mondayOf(date));
    else
      errors.push({
        pointer: `${pointer}/weeksOff/${i}`,
        message: `"${date}" is not a calendar date (YYYY-MM-DD)`,
      });
  });
  const zone = canonicalTimeZone(next.timeZone);
  if (zone === null) {
    errors.push({
      pointer: `${pointer}/timeZone`,
      message: `"${next.timeZone}" is not an IANA time zone this server knows (e.g. Europe/Berlin, America/New_York, UTC)`,
    });
  }
  const inRoadmap = new Set(roadmap.topicIds);
  const resolve = (ids: readonly string[], field: string) =>
    ids.map((id, i) => {
      const canonical = content.aliases.get(id) ?? id;
      if (!inRoadmap.has(canonical))
        errors.push({
          pointer: `${pointer}/${field}/${i}`,
          message: `"${id}" is not a topic of the ${roadmap.title} roadmap`,
        });
      return canonical;
    });
  const includeTopics = resolve(next.includeTopics, 'includeTopics');
  const excludeTopics = resolve(next.excludeTopics, 'excludeTopics');
  if (errors.length > 0) {
    throw problems.validation(
      `The plan settings have ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${errors[0]!.message}.`,
      errors,
    );
  }
  const order = new Map(WEEKDAYS.map((d, i) => [d, i]));
  return {
    ...next,
    studyDays: [...new Set(next.studyDays)].sort((a, b) => order.get(a)! - order.get(b)!),
    weeksOff: [...weeksOff].sort(),
    includeTopics: [...new Set(includeTopics)].sort(),
    excludeTopics: [...new Set(excludeTopics)].sort(),
    timeZone: zone!,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function sameSettings(a: PlanSettings, b: PlanSettings): boolean {
  const keys = Object.keys(settingsFields) as (keyof PlanSettings)[];
  return keys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

/** Minutes per study session: the chosen length, or the weekly hours spread over the study days (15-minute steps). */
export function sessionLength(settings: PlanSettings): number {
  if (settings.sessionMinutes !== null) return settings.sessionMinutes;
  const even = (settings.hoursPerWeek * 60) / Math.max(1, settings.studyDays.length);
  return Math.min(MAX_SESSION_MINUTES, Math.max(MIN_SESSION_MINUTES, Math.round(even / 15) * 15));
}

// The no-JavaScript settings form ------------------------------------------------------------------

/** The settings form as a browser posts it (urlencoded: every value a string, repeated names a list). */
export type SettingsFormBody = Partial<
  Record<
    | 'startDate'
    | 'hoursPerWeek'
    | 'targetWeeks'
    | 'studyTime'
    | 'sessionMinutes'
    | 'timeZone'
    | 'includeOptional'
    | 'topicsShown'
    | 'weeksOffShown',
    string
  >
> &
  Partial<Record<'studyDays' | 'weeksOff' | 'topics', string | string[]>>;

const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Turns the form into a settings change. The topic checklist shows whether each topic is in the plan;
 * only the boxes the learner changed become per-topic overrides, so ticking "include all optional
 * topics" still works when the checklist below it was left alone.
 */
export function settingsFromForm(
  form: SettingsFormBody,
  roadmap: Roadmap,
  content: Content,
  current: PlanSettings,
): { change: PlanSettingsInput; errors: ProblemField[] } {
  const errors: ProblemField[] = [];
  const integer = (
    name: 'hoursPerWeek' | 'targetWeeks' | 'sessionMinutes',
    optional: boolean,
  ): number | null | undefined => {
    const raw = (form[name] ?? '').trim();
    if (raw === '') {
      if (!optional) errors.push({ pointer: `/body/${name}`, message: FIELD_HINTS[name]! });
      return optional ? null : undefined;
    }
    if (!/^\d{1,4}$/.test(raw)) {
      errors.push({ pointer: `/body/${name}`, message: FIELD_HINTS[name]! });
      return undefined;
    }
    return Number(raw);
  };
  const change: PlanSettingsInput = {
    startDate: (form.startDate ?? '').trim(),
    hoursPerWeek: integer('hoursPerWeek', false) ?? undefined,
    targetWeeks: integer('targetWeeks', false) ?? undefined,
    sessionMinutes: integer('sessionMinutes', true),
    studyDays: listOf(form.studyDays) as Weekday[],
    studyTime: (form.studyTime ?? '').trim() === '' ? null : (form.studyTime ?? '').trim().slice(0, 5),
    timeZone: (form.timeZone ?? '').trim(),
    includeOptional: form.includeOptional === 'on' || form.includeOptional === 'true',
  };
  if (form.weeksOffShown !== undefined) change.weeksOff = listOf(form.weeksOff);
  if (form.topicsShown !== undefined) {
    const checked = new Set(listOf(form.topics));
    const includeTopics: string[] = [];
    const excludeTopics: string[] = [];
    const nextDefaults = {
      ...current,
      includeOptional: change.includeOptional ?? current.includeOptional,
      includeTopics: [],
      excludeTopics: [],
    };
    for (const id of roadmap.topicIds) {
      const topic = content.topics.get(id);
      if (!topic) continue;
      const wasIn = isIncluded(topic, current);
      const boxIn = checked.has(id);
      const wanted =
        boxIn !== wasIn
          ? boxIn
          : current.excludeTopics.includes(id)
            ? false
            : current.includeTopics.includes(id)
              ? true
              : null;
      if (wanted === null || wanted === isIncluded(topic, nextDefaults)) continue;
      (wanted ? includeTopics : excludeTopics).push(id);
    }
    change.includeTopics = includeTopics;
    change.excludeTopics = excludeTopics;
  }
  for (const error of Value.Errors(PlanSettingsInput, change)) {
    const field = error.path.split('/')[1] ?? '';
    if (errors.some((e) => e.pointer === `/body/${field}`)) continue;
    errors.push({
      pointer: `/body/${field}`,
      message: FIELD_HINTS[field] ?? `${field} ${error.message.toLowerCase()}`,
    });
  }
  const add = (field: string) => {
    if (!errors.some((e) => e.pointer === `/body/${field}`))
      errors.push({ pointer: `/body/${field}`, message: FIELD_HINTS[field]! });
  };
  if (change.startDate && !isLocalDate(change.startDate)) add('startDate');
  if (change.timeZone && canonicalTimeZone(change.timeZone) === null) add('timeZone');
  return { change, errors };
}

/** What to tell a person about each field of the form, as a sentence. */
const FIELD_HINTS: Record<string, string> = {
  startDate: 'Choose a start date (a real calendar day)',
  hoursPerWeek: `Hours a week must be a whole number from ${MIN_HOURS_PER_WEEK} to ${MAX_HOURS_PER_WEEK}`,
  targetWeeks: `The target must be a whole number of weeks from 1 to ${MAX_PLAN_WEEKS}`,
  studyDays: 'Choose at least one study day',
  studyTime: 'The study time must be a time such as 18:30',
  sessionMinutes: `A session must be from ${MIN_SESSION_MINUTES} to ${MAX_SESSION_MINUTES} minutes`,
  timeZone: 'Choose a time zone from the list, such as Europe/Berlin or America/New_York',
};
