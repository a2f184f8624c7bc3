// Learning activity per local day, at a cost that does not grow with the length of a history.
//
// Days before "yesterday" are closed: new activity is stamped with the current time, so it can only
// land on today or (across a time-zone boundary) yesterday. Closed days are counted once into
// `activity_days` and kept, with the zone they were cut in; the open days are read raw. Activity
// stamped earlier than the closed boundary (an import, a guest merged into an account) drops the
// rollup, and so does a change of time zone; the next read rebuilds it. Counting runs in SQL per
// UTC hour (split at the zone's odd minutes, e.g. :30 for India), so even a rebuild reads at most
// one row per hour of history into JavaScript.

import type { Db } from '../db/database.js';
import { addDays, localDateOf, offsetMinutes, zonedTimeToUtc, type LocalDate } from '../plan/dates.js';
import * as repo from './activity-days.repository.js';
import { learningActivityTimes } from './progress.repository.js';

function splitMinute(timeZone: string, at: Date): number {
  const minutes = Math.abs(offsetMinutes(at, timeZone)) % 60;
  return minutes === 0 ? 0 : 60 - minutes;
}

function bucketsToDays(
  buckets: { bucket: string; count: number }[],
  split: number,
  timeZone: string,
  into: Map<LocalDate, number>,
): void {
  for (const { bucket, count } of buckets) {
    const hour = Date.parse(`${bucket.slice(0, 13)}:00:00.000Z`);
    const at = new Date(hour + (bucket.endsWith('b') ? split * 60_000 : 0));
    const day = localDateOf(at, timeZone);
    into.set(day, (into.get(day) ?? 0) + count);
  }
}

/**
 * Learning activity per local day (status changes, notes, ticks, reviews), every day up to and
 * including `today`. Keeps the closed days' counts up to date as a side effect.
 *
 * @example const days = await learningDayCounts(app.db, userId, 'Europe/Berlin', '2026-12-02');
 */
export async function learningDayCounts(
  db: Db,
  userId: string,
  timeZone: string,
  today: LocalDate,
): Promise<Map<LocalDate, number>> {
  const closedBefore = addDays(today, -1);
  const boundary = zonedTimeToUtc(closedBefore, '00:00', timeZone);
  const boundaryIso = boundary.toISOString();
  const rollup = await repo.findRollup(db.kysely, userId);
  const split = splitMinute(timeZone, boundary);
  const fresh = rollup && rollup.time_zone === timeZone && rollup.through_day <= closedBefore;
  if (!fresh || rollup.through_day < closedBefore) {
    const from = fresh ? rollup.through_utc : null;
    const added = new Map<LocalDate, number>();
    bucketsToDays(
      await repo.bucketCounts(db.kysely, userId, from, boundaryIso, split),
      split,
      timeZone,
      added,
    );
    if (!fresh) {
      for (const at of await repo.nonCanonicalTimes(db.kysely, userId)) {
        if (!(Date.parse(at) < boundary.getTime() && at < boundaryIso)) continue;
        const day = localDateOf(new Date(at), timeZone);
        added.set(day, (added.get(day) ?? 0) + 1);
      }
    }
    await db.write(
      (trx) =>
        repo.saveRollup(
          trx,
          db.dialect,
          { userId, timeZone, throughDay: closedBefore, throughUtc: boundaryIso },
          rollup,
          added,
          fresh ? 'add' : 'replace',
        ),
      // A derived summary of data already announced: nothing new for anyone.
      null,
    );
  }
  const days = new Map<LocalDate, number>();
  for (const { day, count } of await repo.listDays(db.kysely, userId)) days.set(day, count);
  for (const at of await learningActivityTimes(db.kysely, userId, boundaryIso)) {
    const day = localDateOf(new Date(at), timeZone);
    if (day > today) continue;
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return days;
}
