// Calendar dates and time zones. Plain dates ("2026-03-30") are compared and shifted as UTC midnights
// (cheap string/number work: the scheduler and the dashboard call these in loops), so adding days never
// crosses a DST change. Converting between wall-clock times and instants, and finding a zone's offset
// changes, is done by Temporal (temporal-polyfill); the day an instant falls on comes from a cached
// Intl formatter, which is what both use underneath and costs no object per call.

import { Temporal } from 'temporal-polyfill';
import { DAY_MS } from '../lib/clock.js';

/** A calendar date, `YYYY-MM-DD`, with no time and no zone. */
export type LocalDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isLocalDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function toUtcMidnight(date: LocalDate): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function fromUtcMidnight(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** @example addDays('2026-03-28', 2) // '2026-03-30' */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMidnight(toUtcMidnight(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMidnight(to) - toUtcMidnight(from)) / DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(toUtcMidnight(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday on or before `date`: plans, weeks off and check-ins are keyed by it. */
export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, 1 - isoWeekday(date));
}

// Time zones ------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The canonical name of an IANA time zone, or null when Intl does not know it.
 * @example canonicalTimeZone('europe/berlin') // 'Europe/Berlin'
 */
export function canonicalTimeZone(timeZone: string): string | null {
  if (timeZone.trim() === '' || timeZone.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Wall-clock fields of an instant in a zone. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 1970,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** The calendar date an instant falls on in a zone (a streak day, a heatmap cell, "today"). */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(instant, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Minutes the zone is ahead of UTC at an instant (Berlin in summer: 120). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60_000);
}

/**
 * The instant at which the clocks in `timeZone` show `date` `time`. A time skipped by a spring-forward
 * change (02:30 on the last Sunday of March in Berlin) moves forward by the gap, and a repeated time
 * takes its first occurrence: Temporal's "compatible" disambiguation, what calendar apps do too.
 *
 * @example zonedTimeToUtc('2026-03-30', '18:30', 'Europe/Berlin').toISOString() // '2026-03-30T16:30:00.000Z'
 */
export function zonedTimeToUtc(date: LocalDate, time: string, timeZone: string): Date {
  const zoned = Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone, {
    disambiguation: 'compatible',
  });
  return new Date(zoned.epochMilliseconds);
}

/** A UTC offset as iCalendar writes it: `+0100`, `-0430`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** One change of a zone's UTC offset (a daylight-saving switch or a rule change). */
export interface OffsetTransition {
  /** The instant of the change. */
  at: Date;
  from: number;
  to: number;
}

const offsetOf = (zoned: Temporal.ZonedDateTime) => Math.round(zoned.offsetNanoseconds / 60e9);

/** Every offset change of a zone between two instants, read from the zone database by Temporal. */
export function offsetTransitions(timeZone: string, from: Date, to: Date): OffsetTransition[] {
  const transitions: OffsetTransition[] = [];
  let current = Temporal.Instant.fromEpochMilliseconds(from.getTime()).toZonedDateTimeISO(timeZone);
  for (;;) {
    const next = current.getTimeZoneTransition('next');
    if (!next || next.epochMilliseconds > to.getTime()) return transitions;
    const before = next.subtract({ nanoseconds: 1 });
    transitions.push({ at: new Date(next.epochMilliseconds), from: offsetOf(before), to: offsetOf(next) });
    current = next;
  }
}

/**
 * The `YYYY-MM-DD` date `weeks` weeks after a Monday; a tiny helper that reads better at call sites.
 * @example weekStart('2026-03-02', 4) // '2026-03-30'
 */
export function weekStart(firstMonday: LocalDate, weeks: number): LocalDate {
  return addDays(firstMonday, weeks * 7);
}
