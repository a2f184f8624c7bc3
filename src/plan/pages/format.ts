// How dates and hours read on the plan pages. Dates are plain calendar days (already in the learner's
// zone), so they are formatted as UTC midnights: no zone can shift them.

import type { LocalDate } from '../dates.js';

const at = (date: LocalDate) => new Date(`${date}T00:00:00Z`);
const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const full = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const long = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "Mon 2 Mar 2026" */
export function formatDay(date: LocalDate): string {
  return full.format(at(date));
}

/** "2 March 2026" */
export function formatLongDay(date: LocalDate): string {
  return long.format(at(date));
}

/** "2 Mar" */
export function formatShortDay(date: LocalDate): string {
  return dayMonth.format(at(date));
}

/** "2–8 Mar 2026", "30 Mar – 5 Apr 2026", "29 Dec 2026 – 4 Jan 2027" */
export function formatRange(start: LocalDate, end: LocalDate): string {
  const [sy, sm] = start.split('-');
  const [ey, em] = end.split('-');
  const endText = long.format(at(end)).replace(/ (\w+) /, (_, m: string) => ` ${m.slice(0, 3)} `);
  if (sy === ey && sm === em) return `${Number(start.slice(8))}–${endText}`;
  if (sy === ey) return `${formatShortDay(start)} – ${endText}`;
  return `${formatShortDay(start)} ${sy} – ${endText}`;
}

/** "10", "2.5" */
export function hours(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** "1 hour", "2.5 hours" */
export function hoursText(value: number): string {
  return `${hours(value)} ${value === 1 ? 'hour' : 'hours'}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2026-03-23T09:00:00.000Z" → "23 Mar 2026, 09:00 UTC" */
export function formatInstant(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}
