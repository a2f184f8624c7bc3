import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  canonicalTimeZone,
  isLocalDate,
  localDateOf,
  mondayOf,
  offsetMinutes,
  offsetTransitions,
  zonedTimeToUtc,
} from '../../src/plan/dates.js';
import { activeDays, heatmap, streaks } from '../../src/plan/plan.tracking.js';

// Days and times in the learner's zone. Berlin switches to summer time on Sunday 29 March 2026 at
// 02:00 (01:00 UTC) and back on Sunday 25 October 2026 at 03:00 (01:00 UTC).

describe('calendar dates and time zones', () => {
  it('accepts only real calendar dates and known IANA zones', () => {
    assert.ok(isLocalDate('2028-02-29'));
    assert.ok(!isLocalDate('2026-02-29'));
    assert.ok(!isLocalDate('2026-3-1'));
    assert.equal(canonicalTimeZone('europe/berlin'), 'Europe/Berlin');
    assert.equal(canonicalTimeZone('UTC'), 'UTC');
    assert.equal(canonicalTimeZone('Mars/Olympus_Mons'), null);
    assert.equal(canonicalTimeZone(''), null);
  });

  it('shifts plain dates by whole days across DST changes and finds their Monday', () => {
    assert.equal(addDays('2026-03-28', 2), '2026-03-30');
    assert.equal(addDays('2026-10-24', 2), '2026-10-26');
    assert.equal(mondayOf('2026-03-29'), '2026-03-23');
    assert.equal(mondayOf('2026-03-30'), '2026-03-30');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  });

  it('turns a local wall-clock time into the right UTC instant on both sides of a DST change', () => {
    const utc = (date: string, time: string, zone: string) => zonedTimeToUtc(date, time, zone).toISOString();
    assert.equal(
      utc('2026-03-27', '18:30', 'Europe/Berlin'),
      '2026-03-27T17:30:00.000Z',
      'Friday before: CET, UTC+1',
    );
    assert.equal(
      utc('2026-03-30', '18:30', 'Europe/Berlin'),
      '2026-03-30T16:30:00.000Z',
      'Monday after: CEST, UTC+2',
    );
    assert.equal(utc('2026-10-23', '18:30', 'Europe/Berlin'), '2026-10-23T16:30:00.000Z');
    assert.equal(utc('2026-10-26', '18:30', 'Europe/Berlin'), '2026-10-26T17:30:00.000Z');
    assert.equal(
      utc('2026-03-29', '02:30', 'Europe/Berlin'),
      '2026-03-29T01:30:00.000Z',
      'a skipped time moves forward (03:30 CEST)',
    );
    assert.equal(
      utc('2026-10-25', '02:30', 'Europe/Berlin'),
      '2026-10-25T00:30:00.000Z',
      'a repeated time takes its first occurrence',
    );
    assert.equal(
      utc('2026-03-09', '07:00', 'America/New_York'),
      '2026-03-09T11:00:00.000Z',
      'EDT after 8 March',
    );
    assert.equal(
      utc('2026-04-06', '07:00', 'Australia/Sydney'),
      '2026-04-05T21:00:00.000Z',
      'AEST after 5 April',
    );
    assert.equal(utc('2026-06-01', '09:15', 'Asia/Kathmandu'), '2026-06-01T03:30:00.000Z', 'UTC+5:45');
    assert.equal(utc('2026-06-01', '09:15', 'UTC'), '2026-06-01T09:15:00.000Z');
  });

  it('finds the instants and offsets of a year’s DST changes', () => {
    const changes = offsetTransitions(
      'Europe/Berlin',
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-12-31T00:00:00Z'),
    );
    assert.deepEqual(
      changes.map((c) => [c.at.toISOString(), c.from, c.to]),
      [
        ['2026-03-29T01:00:00.000Z', 60, 120],
        ['2026-10-25T01:00:00.000Z', 120, 60],
      ],
    );
    assert.deepEqual(
      offsetTransitions('Asia/Tokyo', new Date('2026-01-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z')),
      [],
    );
    assert.equal(offsetMinutes(new Date('2026-07-01T00:00:00Z'), 'America/St_Johns'), -150);
  });
});

describe('streaks in the learner’s time zone', () => {
  it('counts the day an event happened where the learner lives, across the spring DST change', () => {
    const events = [
      '2026-03-28T22:30:00Z', // 23:30 Saturday 28 March in Berlin (CET)
      '2026-03-28T23:30:00Z', // 01:30 Sunday 29 March (still CET)
      '2026-03-29T22:30:00Z', // 00:30 Monday 30 March (CEST) — a fixed +1 h offset would say Sunday
    ];
    assert.deepEqual(activeDays(events, 'Europe/Berlin'), ['2026-03-28', '2026-03-29', '2026-03-30']);
    assert.deepEqual(streaks(activeDays(events, 'Europe/Berlin'), '2026-03-30'), {
      current: 3,
      longest: 3,
      activeToday: true,
      lastActive: '2026-03-30',
    });
    // The same instants in UTC are only two days.
    assert.deepEqual(activeDays(events, 'UTC'), ['2026-03-28', '2026-03-29']);
  });

  it('keeps a streak alive until the end of the next local day, and breaks it after a missed day', () => {
    const days = activeDays(['2026-10-24T21:59:00Z', '2026-10-25T22:30:00Z'], 'Europe/Berlin');
    // 23:59 CEST Saturday 24 October, then 23:30 CET Sunday 25 October (the 25-hour day).
    assert.deepEqual(days, ['2026-10-24', '2026-10-25']);
    assert.equal(streaks(days, '2026-10-25').current, 2);
    assert.equal(streaks(days, '2026-10-26').current, 2, 'yesterday still counts: today is not over');
    assert.equal(streaks(days, '2026-10-26').activeToday, false);
    assert.equal(streaks(days, '2026-10-27').current, 0, 'a whole day without learning ends the streak');
    assert.equal(streaks(days, '2026-10-27').longest, 2);
  });

  it('splits events at local midnight, not UTC midnight', () => {
    const events = ['2026-06-01T21:59:59Z', '2026-06-01T22:00:00Z']; // 23:59:59 and 00:00 in Berlin (CEST)
    assert.deepEqual(activeDays(events, 'Europe/Berlin'), ['2026-06-01', '2026-06-02']);
    assert.deepEqual(activeDays(events, 'America/Los_Angeles'), ['2026-06-01']);
    assert.deepEqual(activeDays(['2026-06-01T23:30:00Z'], 'Pacific/Auckland'), ['2026-06-02']);
  });

  it('reports the longest run anywhere in the history', () => {
    const days = [
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-02-10',
      '2026-02-11',
      '2026-03-01',
    ];
    assert.deepEqual(streaks(days, '2026-03-02'), {
      current: 1,
      longest: 4,
      activeToday: false,
      lastActive: '2026-03-01',
    });
    assert.deepEqual(streaks([], '2026-03-02'), {
      current: 0,
      longest: 0,
      activeToday: false,
      lastActive: null,
    });
  });
});

describe('activity heatmap', () => {
  it('lays out 26 Monday-first weeks ending with the current one, counting events per local day', () => {
    const map = heatmap(
      ['2026-03-29T22:30:00Z', '2026-03-29T22:45:00Z', '2026-03-27T08:00:00Z'],
      'Europe/Berlin',
      '2026-04-01',
    );
    assert.equal(map.weeks.length, 26);
    assert.ok(
      map.weeks.every((w) => w.days.length === 7 && new Date(`${w.start}T00:00:00Z`).getUTCDay() === 1),
    );
    assert.equal(map.weeks.at(-1)!.start, '2026-03-30');
    assert.equal(map.start, addDays('2026-03-30', -25 * 7));
    const day = (date: string) => map.weeks.flatMap((w) => w.days).find((d) => d.date === date)!;
    assert.equal(day('2026-03-30').count, 2, 'two events after midnight CEST on Monday');
    assert.equal(day('2026-03-29').count, 0);
    assert.equal(day('2026-03-27').count, 1);
    assert.equal(day('2026-03-30').level, 1);
    assert.equal(day('2026-04-02').future, true);
    assert.equal(map.activeDays, 2);
    assert.equal(map.total, 3);
    assert.equal(localDateOf(new Date('2026-03-29T22:30:00Z'), 'Europe/Berlin'), '2026-03-30');
  });
});
