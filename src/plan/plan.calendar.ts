// The plan as an iCalendar file (RFC 5545), generated with ical-generator: one all-day event spanning
// each week with that week's goals, an all-day event for each week off, and — when the learner chose a
// study time — a session on each study day at that wall-clock time in their zone (`DTSTART;TZID=…`,
// with a VTIMEZONE describing the zone's real offsets, so a 18:30 session stays at 18:30 across a
// daylight-saving change).

import { createHash } from 'node:crypto';
import ical, { ICalEventTransparency, type ICalEventData } from 'ical-generator';
import { Temporal } from 'temporal-polyfill';
import { DAY_MS } from '../lib/clock.js';
import { addDays, formatOffset, isoWeekday, offsetMinutes, offsetTransitions } from './dates.js';
import { WEEKDAYS } from './scheduler.js';
import { sessionLength } from './plan.settings.js';
import { formatHours } from './plan.tracking.js';
import type { PlanView, WeekView } from './plan.presenter.js';
import { isFinished } from '../progress/status.js';
import { Slices } from '../lib/slices.js';

// ical-generator takes Temporal values: a PlainDate for all-day events, and a PlainDateTime with the
// event's zone for sessions, so it writes the wall-clock time with TZID and never reinterprets it in the
// server's own zone (what it does with a plain Date).

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
  `${isFinished(item.status) ? '☑' : '☐'} ${item.title}${item.parts > 1 ? ` (part ${item.part}/${item.parts})` : ''} — ${formatHours(item.hours)} h`;

function weekSummary(week: WeekView, totalWeeks: number): string {
  const titles = week.items.map(
    (item) => item.title + (item.parts > 1 ? ` (part ${item.part}/${item.parts})` : ''),
  );
  const shown = titles.slice(0, 2).join(', ');
  const more = titles.length > 2 ? ` +${titles.length - 2} more` : '';
  return `Week ${week.index + 1}/${totalWeeks}: ${shown}${more} (${formatHours(week.hours)} h)`;
}

/**
 * RFC 5545 §3.1 line folding, as ical-generator does it (a line continues after CRLF and a space
 * once it would pass 74 octets, never inside a character) but without encoding each character on
 * its own: lines that already fit — nearly all — are returned as they are.
 */
export function foldLines(text: string): string {
  return text.split('\r\n').map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= 74) return line;
  let folded = '';
  let octets = 0;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    octets += size;
    if (octets > 74) {
      folded += '\r\n ';
      octets = size;
    }
    folded += char;
  }
  return folded;
}

/**
 * The plan as an `.ics` document. ical-generator describes the calendar and each event; the
 * document is assembled here, event by event, yielding to the event loop between slices, because
 * the library's own `toString` folds the whole document one character at a time (about 40 ms for
 * the largest plan an account may hold, all of it blocking).
 */
export async function planCalendar(plan: PlanView, options: CalendarOptions): Promise<string> {
  const { settings } = plan;
  const uid = (suffix: string) => `${options.ownerKey}-${suffix}@waymark`;
  const slices = new Slices();
  const weeks = plan.weeks.filter((w) => w.items.length > 0 || w.off);
  const totalWeeks = (plan.weeks.at(-1)?.index ?? 0) + 1;
  const first = weeks[0]?.start ?? settings.startDate;
  const last = weeks.at(-1)?.end ?? settings.startDate;
  const span = {
    from: new Date(Date.parse(`${first}T00:00:00Z`) - 2 * DAY_MS),
    to: new Date(Date.parse(`${last}T00:00:00Z`) + 2 * DAY_MS),
  };
  // The calendar itself gets no zone name: ical-generator would then write DTSTAMP in local time,
  // which RFC 5545 forbids. Its own text (properties, no events) opens the document.
  const calendar = ical({
    timezone: { name: null },
    name: `Waymark: ${plan.roadmapTitle} plan`,
    description: `Weekly goals${settings.studyTime ? ' and study sessions' : ''} from your Waymark plan (version ${plan.version ?? 0}).`,
    prodId: { company: 'Waymark', product: 'plan', language: 'EN' },
    url: options.planUrl,
    ttl: 6 * 60 * 60,
  });
  const parts = [calendar.toString().replace(/END:VCALENDAR$/, '')];
  const add = (event: ICalEventData) => parts.push(foldLines(calendar.createEvent(event).toString()));

  for (const week of weeks) {
    await slices.pause();
    if (week.off) {
      add({
        id: uid(`w${week.index}`),
        allDay: true,
        start: Temporal.PlainDate.from(week.start),
        end: Temporal.PlainDate.from(addDays(week.end, 1)),
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
    add({
      id: uid(`w${week.index}`),
      allDay: true,
      start: Temporal.PlainDate.from(week.start),
      end: Temporal.PlainDate.from(addDays(week.end, 1)),
      summary: weekSummary(week, totalWeeks),
      description: description.join('\n'),
      transparency: ICalEventTransparency.TRANSPARENT,
      stamp: options.now,
      url: `${options.planUrl}#week-${week.index + 1}`,
    });
  }

  // Sessions: at the chosen wall-clock time with TZID, and one VTIMEZONE with the zone's real
  // offsets over the plan's span, so a 18:30 session stays at 18:30 across a daylight-saving change.
  let sessions = 0;
  if (settings.studyTime !== null) {
    const study = Temporal.PlainTime.from(settings.studyTime);
    const length = sessionLength(settings);
    const days = new Set(settings.studyDays);
    for (const week of weeks) {
      if (week.off) continue;
      await slices.pause();
      const topics = week.items.map((item) => item.title);
      const description = [
        `Week ${week.index + 1} goals:`,
        ...week.items.map(goalLine),
        `${options.planUrl}#week-${week.index + 1}`,
      ].join('\n');
      for (let d = 0; d < 7; d += 1) {
        const date = addDays(week.start, d);
        if (date < settings.startDate || !days.has(WEEKDAYS[isoWeekday(date) - 1]!)) continue;
        const start = Temporal.PlainDate.from(date).toPlainDateTime(study);
        sessions += 1;
        add({
          id: uid(`s${date}`),
          start,
          end: start.add({ minutes: length }),
          timezone: settings.timeZone,
          summary: `Study: ${topics[0] ?? plan.roadmapTitle}${topics.length > 1 ? ` and ${topics.length - 1} more` : ''}`,
          description,
          stamp: options.now,
          url: `${options.planUrl}#week-${week.index + 1}`,
        });
      }
    }
  }
  if (sessions > 0) parts.splice(1, 0, foldLines(vtimezone(settings.timeZone, span.from, span.to)) + '\r\n');
  parts.push('END:VCALENDAR');
  return parts.join('');
}

/** A short, stable, non-reversible key for event UIDs (user ids never appear in the feed). */
export function calendarOwnerKey(userId: string, roadmapId: string): string {
  return createHash('sha256').update(`${userId}:${roadmapId}`).digest('hex').slice(0, 16);
}
