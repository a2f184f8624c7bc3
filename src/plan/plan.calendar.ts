// The plan as an iCalendar file (RFC 5545), generated with ical-generator: one all-day event spanning
// each week with that week's goals, an all-day event for each week off, and — when the learner chose a
// study time — a session on each study day at that wall-clock time in their zone (`DTSTART;TZID=…`,
// with a VTIMEZONE describing the zone's real offsets, so a 18:30 session stays at 18:30 across a
// daylight-saving change).

import { createHash } from 'node:crypto';
import ical, {
  ICalEventTransparency,
  type ICalTemporalInstantStub,
  type ICalTemporalPlainDateStub,
  type ICalTemporalPlainDateTimeStub,
  type ICalTemporalZonedDateTimeStub,
} from 'ical-generator';
import {
  addDays,
  formatOffset,
  isoWeekday,
  offsetMinutes,
  offsetTransitions,
  wallClock,
  zonedTimeToUtc,
  type LocalDate,
} from './dates.js';
import { WEEKDAYS } from './scheduler.js';
import { sessionLength } from './plan.settings.js';
import { formatHours } from './plan.tracking.js';
import type { PlanView, WeekView } from './plan.presenter.js';

// ical-generator accepts Temporal-shaped objects; these small ones carry a wall-clock date/time so the
// library never reinterprets it in the server's own zone (what it does with a plain Date).

class PlainDate implements ICalTemporalPlainDateStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  constructor(readonly date: LocalDate) {
    [this.year, this.month, this.day] = date.split('-').map(Number) as [number, number, number];
  }
  toPlainDateTime(): PlainDateTime {
    return new PlainDateTime(this.date, 0);
  }
  toJSON(): string {
    return this.date;
  }
  toString(): string {
    return this.date;
  }
}

class PlainDateTime implements ICalTemporalPlainDateTimeStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second = 0;
  constructor(
    readonly date: LocalDate,
    /** Minutes after midnight; may exceed a day (rolls over to the next date). */
    minutes: number,
  ) {
    const rolled = addDays(date, Math.floor(minutes / 1440));
    this.date = rolled;
    [this.year, this.month, this.day] = rolled.split('-').map(Number) as [number, number, number];
    this.hour = Math.floor((minutes % 1440) / 60);
    this.minute = minutes % 60;
  }
  get time(): string {
    return `${String(this.hour).padStart(2, '0')}:${String(this.minute).padStart(2, '0')}`;
  }
  toPlainDate(): PlainDate {
    return new PlainDate(this.date);
  }
  toZonedDateTime(timeZone: string): ZonedDateTime {
    return new ZonedDateTime(this, timeZone);
  }
  toJSON(): string {
    return `${this.date}T${this.time}:00`;
  }
  toString(): string {
    return this.toJSON();
  }
}

class ZonedDateTime implements ICalTemporalZonedDateTimeStub {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second = 0;
  constructor(
    readonly local: PlainDateTime,
    readonly timeZoneId: string,
  ) {
    ({ year: this.year, month: this.month, day: this.day, hour: this.hour, minute: this.minute } = local);
  }
  toInstant(): ICalTemporalInstantStub {
    const instant = zonedTimeToUtc(this.local.date, this.local.time, this.timeZoneId);
    return {
      epochMilliseconds: instant.getTime(),
      toJSON: () => instant.toISOString(),
      toString: () => instant.toISOString(),
      toZonedDateTimeISO: (zone: string) => zonedAt(instant, zone),
    };
  }
  toPlainDateTime(): PlainDateTime {
    return this.local;
  }
  withTimeZone(timeZone: string): ZonedDateTime {
    return timeZone === this.timeZoneId ? this : zonedAt(this.toInstant().epochMilliseconds, timeZone);
  }
  toJSON(): string {
    return `${this.local.toJSON()}[${this.timeZoneId}]`;
  }
  toString(): string {
    return this.toJSON();
  }
}

function zonedAt(instant: Date | number, timeZone: string): ZonedDateTime {
  const w = wallClock(new Date(instant), timeZone);
  const date = `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  return new ZonedDateTime(new PlainDateTime(date, w.hour * 60 + w.minute), timeZone);
}

/**
 * A VTIMEZONE for `timeZone` covering `from`–`to`: the offset in force at the start, then one
 * observance per offset change, all read from the zone database that Intl ships with Node.
 */
export function vtimezone(timeZone: string, from: Date, to: Date): string {
  const transitions = offsetTransitions(timeZone, from, to);
  const initial = transitions[0]?.from ?? offsetMinutes(from, timeZone);
  const local = (instant: Date, offset: number) => {
    const shifted = new Date(instant.getTime() + offset * 60_000);
    return shifted.toISOString().replace(/[-:]/g, '').slice(0, 15);
  };
  const isDaylight = (offset: number, other: number) => offset > other;
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, `X-LIC-LOCATION:${timeZone}`];
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', start: string, fromOffset: number, toOffset: number) => {
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${start}`,
      `TZOFFSETFROM:${formatOffset(fromOffset)}`,
      `TZOFFSETTO:${formatOffset(toOffset)}`,
      `END:${kind}`,
    );
  };
  const firstIsDaylight = transitions[0] ? isDaylight(initial, transitions[0].to) : false;
  observance(firstIsDaylight ? 'DAYLIGHT' : 'STANDARD', local(from, initial), initial, initial);
  for (const t of transitions)
    observance(isDaylight(t.to, t.from) ? 'DAYLIGHT' : 'STANDARD', local(t.at, t.from), t.from, t.to);
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

export interface CalendarOptions {
  /** Absolute URL of the plan page, linked from every event. */
  planUrl: string;
  /** Stable per learner and roadmap, so re-imports and feed refreshes update events instead of duplicating them. */
  ownerKey: string;
  now: Date;
}

const goalLine = (item: WeekView['items'][number]) =>
  `${item.status === 'done' || item.status === 'skipped' ? '☑' : '☐'} ${item.title}${item.parts > 1 ? ` (part ${item.part}/${item.parts})` : ''} — ${formatHours(item.hours)} h`;

function weekSummary(week: WeekView, totalWeeks: number): string {
  const titles = week.items.map(
    (item) => item.title + (item.parts > 1 ? ` (part ${item.part}/${item.parts})` : ''),
  );
  const shown = titles.slice(0, 2).join(', ');
  const more = titles.length > 2 ? ` +${titles.length - 2} more` : '';
  return `Week ${week.index + 1}/${totalWeeks}: ${shown}${more} (${formatHours(week.hours)} h)`;
}

/** The plan as an `.ics` document. */
export function planCalendar(plan: PlanView, options: CalendarOptions): string {
  const { settings } = plan;
  const uid = (suffix: string) => `${options.ownerKey}-${suffix}@waymark`;
  const calendar = ical({
    name: `Waymark: ${plan.roadmapTitle} plan`,
    description: `Weekly goals${settings.studyTime ? ' and study sessions' : ''} from your Waymark plan (version ${plan.version ?? 0}).`,
    prodId: { company: 'Waymark', product: 'plan', language: 'EN' },
    url: options.planUrl,
    ttl: 6 * 60 * 60,
  });
  const weeks = plan.weeks.filter((w) => w.items.length > 0 || w.off);
  const totalWeeks = (plan.weeks.at(-1)?.index ?? 0) + 1;
  for (const week of weeks) {
    if (week.off) {
      calendar.createEvent({
        id: uid(`w${week.index}`),
        allDay: true,
        start: new PlainDate(week.start),
        end: new PlainDate(addDays(week.end, 1)),
        summary: `Week ${week.index + 1}: week off`,
        description: 'No study planned this week.',
        transparency: ICalEventTransparency.TRANSPARENT,
        stamp: options.now,
        url: `${options.planUrl}#week-${week.index + 1}`,
      });
      continue;
    }
    const description = [
      'Goals this week:',
      ...week.items.map(goalLine),
      week.tools.length ? `Tools and languages: ${week.tools.join(', ')}` : null,
      `Planned: ${formatHours(week.hours)} h`,
      `${options.planUrl}#week-${week.index + 1}`,
    ].filter((line): line is string => line !== null);
    calendar.createEvent({
      id: uid(`w${week.index}`),
      allDay: true,
      start: new PlainDate(week.start),
      end: new PlainDate(addDays(week.end, 1)),
      summary: weekSummary(week, totalWeeks),
      description: description.join('\n'),
      transparency: ICalEventTransparency.TRANSPARENT,
      stamp: options.now,
      url: `${options.planUrl}#week-${week.index + 1}`,
    });
  }

  let body = calendar.toString();
  if (settings.studyTime !== null) {
    const [hours, minutes] = settings.studyTime.split(':').map(Number) as [number, number];
    const startMinutes = hours * 60 + minutes;
    const length = sessionLength(settings);
    const days = new Set(settings.studyDays);
    let sessions = 0;
    for (const week of weeks) {
      if (week.off) continue;
      const topics = week.items.map((item) => item.title);
      for (let d = 0; d < 7; d += 1) {
        const date = addDays(week.start, d);
        if (date < settings.startDate || !days.has(WEEKDAYS[isoWeekday(date) - 1]!)) continue;
        calendar.createEvent({
          id: uid(`s${date}`),
          start: new PlainDateTime(date, startMinutes),
          end: new PlainDateTime(date, startMinutes + length),
          timezone: settings.timeZone,
          summary: `Study: ${topics[0] ?? plan.roadmapTitle}${topics.length > 1 ? ` and ${topics.length - 1} more` : ''}`,
          description: [
            `Week ${week.index + 1} goals:`,
            ...week.items.map(goalLine),
            `${options.planUrl}#week-${week.index + 1}`,
          ].join('\n'),
          stamp: options.now,
          url: `${options.planUrl}#week-${week.index + 1}`,
        });
        sessions += 1;
      }
    }
    body = calendar.toString();
    if (sessions > 0) {
      // The VTIMEZONE goes in by hand: giving ical-generator a calendar-wide zone would also make it
      // write DTSTAMP in local time, which RFC 5545 forbids (DTSTAMP is always UTC).
      const first = weeks[0]?.start ?? settings.startDate;
      const last = weeks.at(-1)?.end ?? settings.startDate;
      const block = vtimezone(
        settings.timeZone,
        new Date(Date.parse(`${first}T00:00:00Z`) - 2 * 86_400_000),
        new Date(Date.parse(`${last}T00:00:00Z`) + 2 * 86_400_000),
      );
      body = body.replace('BEGIN:VEVENT', `${block}\r\nBEGIN:VEVENT`);
    }
  }
  return body;
}

/** A short, stable, non-reversible key for event UIDs (user ids never appear in the feed). */
export function calendarOwnerKey(userId: string, roadmapId: string): string {
  return createHash('sha256').update(`${userId}:${roadmapId}`).digest('hex').slice(0, 16);
}
