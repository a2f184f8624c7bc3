// Learning activity per local day, at a cost that does not grow with the length of a history.
//
// Days before "yesterday" are closed: new activity is stamped with the current time, so it can only
// land on today or (across a time-zone boundary) yesterday. Closed days are counted once into
// `activity_days` and kept, with the zone they were cut in; the open days are read raw. Reads never
// write: the maintenance job folds newly closed days in (foldLearningDays), and a read counts the
// days the rollup does not hold yet from the log. Activity stamped earlier than the closed boundary
// (an import, a guest merged into an account) drops the rollup, and a change of time zone makes it
// unusable; reads count from the log until the next fold rebuilds it. Counting runs in SQL per
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

/** Where the closed days end for `today` in `timeZone`, and how a stored rollup relates to that. */
async function closedDays(db: Db, userId: string, timeZone: string, today: LocalDate) {
  const closedBefore = addDays(today, -1);
  const boundary = zonedTimeToUtc(closedBefore, '00:00', timeZone);
  const rollup = await repo.findRollup(db.kysely, userId);
  // Usable: cut in this zone and not past the boundary (a clock set back makes it unusable).
  const usable =
    rollup && rollup.time_zone === timeZone && rollup.through_day <= closedBefore ? rollup : null;
  return { closedBefore, boundary, boundaryIso: boundary.toISOString(), rollup, usable };
}

/** Closed days the rollup does not hold: from its boundary on, or the whole history without one. */
async function countClosedDays(
  db: Db,
  userId: string,
  timeZone: string,
  closed: Awaited<ReturnType<typeof closedDays>>,
): Promise<Map<LocalDate, number>> {
  const { boundary, boundaryIso, usable } = closed;
  const added = new Map<LocalDate, number>();
  if (usable && usable.through_day === closed.closedBefore) return added;
  const split = splitMinute(timeZone, boundary);
  const from = usable ? usable.through_utc : null;
  bucketsToDays(await repo.bucketCounts(db.kysely, userId, from, boundaryIso, split), split, timeZone, added);
  if (!usable) {
    for (const at of await repo.nonCanonicalTimes(db.kysely, userId)) {
      if (!(Date.parse(at) < boundary.getTime() && at < boundaryIso)) continue;
      const day = localDateOf(new Date(at), timeZone);
      added.set(day, (added.get(day) ?? 0) + 1);
    }
  }
  return added;
}

/**
 * Learning activity per local day (status changes, notes, ticks, reviews), every day up to and
 * including `today`. Read-only: closed days come from the rollup where it holds them; days it does
 * not hold yet (it is folded in the background, see {@link foldLearningDays}) are counted from the log.
 *
 * @example const days = await learningDayCounts(app.db, userId, 'Europe/Berlin', '2026-12-02');
 */
export async function learningDayCounts(
  db: Db,
  userId: string,
  timeZone: string,
  today: LocalDate,
): Promise<Map<LocalDate, number>> {
  const closed = await closedDays(db, userId, timeZone, today);
  const days = await countClosedDays(db, userId, timeZone, closed);
  if (closed.usable) {
    for (const { day, count } of await repo.listDays(db.kysely, userId))
      days.set(day, (days.get(day) ?? 0) + count);
  }
  for (const at of await learningActivityTimes(db.kysely, userId, closed.boundaryIso)) {
    const day = localDateOf(new Date(at), timeZone);
    if (day > today) continue;
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return days;
}

/**
 * Brings the learner's rollup up to `today` in `timeZone`: adds the days closed since its boundary,
 * or rebuilds it (no rollup, another zone). Run by the maintenance job (src/maintenance), never by
 * a read. Returns whether it wrote; false when there was nothing to fold or another fold won.
 */
export async function foldLearningDays(
  db: Db,
  userId: string,
  timeZone: string,
  today: LocalDate,
): Promise<boolean> {
  const closed = await closedDays(db, userId, timeZone, today);
  if (closed.usable && closed.usable.through_day === closed.closedBefore) return false;
  const added = await countClosedDays(db, userId, timeZone, closed);
  return db.write(
    (trx) =>
      repo.saveRollup(
        trx,
        db.dialect,
        { userId, timeZone, throughDay: closed.closedBefore, throughUtc: closed.boundaryIso },
        closed.rollup,
        added,
        closed.usable ? 'add' : 'replace',
      ),
    // A derived summary of data already announced: nothing new for anyone.
    null,
  );
}

/** Rollups folded per batch; the job yields to the event loop between batches. */
const FOLD_BATCH = 200;
/**
 * A rollup whose boundary is older than this may lack a closed day. A current one starts yesterday
 * (at most 48 h ago, 49 h across a DST change); this errs towards looking, and the fold checks exactly.
 */
const BEHIND_MS = 46 * 3600 * 1000;

/**
 * Folds every learner's newly closed days into their rollup, in their own time zone (users.time_zone,
 * which plans keep equal to theirs): learners with activity and no rollup, a rollup in another zone,
 * or one at least a day behind. Idempotent; several instances may run it at once. Returns how many
 * rollups it wrote.
 */
export async function foldAllLearningDays(db: Db, now: Date): Promise<number> {
  let folded = 0;
  let afterUserId = '';
  const behindBefore = new Date(now.getTime() - BEHIND_MS).toISOString();
  for (;;) {
    const batch = await repo.rollupCandidates(db.kysely, { behindBefore, afterUserId, limit: FOLD_BATCH });
    for (const { userId, timeZone } of batch) {
      if (await foldLearningDays(db, userId, timeZone, localDateOf(now, timeZone))) folded += 1;
    }
    if (batch.length < FOLD_BATCH) return folded;
    afterUserId = batch[batch.length - 1]!.userId;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
