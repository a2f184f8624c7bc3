import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { foldAllLearningDays } from '../progress/progress.record.js';
import {
  abandonedGuestIds,
  deleteExpiredSessionsBatch,
  deleteStaleLoginFailures,
  deleteExpiredEmailTokens,
  deleteUsers,
} from './purge.repository.js';

const DAY_MS = 86_400_000;
/** Rows per transaction: small enough that other writers never wait long for the lock. */
const BATCH = 200;

export interface PurgeOptions {
  /** Days a guest who stored something is kept after their last visit. */
  guestRetentionDays: number;
}

export interface PurgeResult {
  expiredSessions: number;
  emptyGuests: number;
  guestsWithData: number;
}

/**
 * Deletes expired sessions, guests who never stored anything and have not been seen for a day,
 * and guests with data not seen for `guestRetentionDays`. Works in small transactions and yields
 * to the event loop between them, so it can run beside live traffic. Idempotent: several instances
 * may run it at once.
 */
export async function purgeOnce(db: Db, clock: Clock, options: PurgeOptions): Promise<PurgeResult> {
  const now = clock.now().getTime();
  const result: PurgeResult = { expiredSessions: 0, emptyGuests: 0, guestsWithData: 0 };
  const iso = (ms: number) => new Date(ms).toISOString();
  for (;;) {
    // Housekeeping: an expired session already fails authentication, so there is nothing to announce.
    const deleted = await db.write((trx) => deleteExpiredSessionsBatch(trx, iso(now), BATCH), null);
    result.expiredSessions += deleted;
    if (deleted < BATCH) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await db.write((trx) => deleteStaleLoginFailures(trx, iso(now - DAY_MS), iso(now)), null);
  // Expired links are kept a day (so the per-address mail limits still count them), then go.
  await db.write((trx) => deleteExpiredEmailTokens(trx, iso(now - DAY_MS)), null);
  const passes = [
    { key: 'emptyGuests', days: 1, withoutData: true },
    { key: 'guestsWithData', days: options.guestRetentionDays, withoutData: false },
  ] as const;
  for (const pass of passes) {
    const cutoff = iso(now - pass.days * DAY_MS);
    for (;;) {
      const ids = await abandonedGuestIds(db.kysely, {
        createdBefore: cutoff,
        seenSince: cutoff,
        withoutData: pass.withoutData,
        limit: BATCH,
        now: iso(now),
      });
      if (ids.length === 0) break;
      result[pass.key] += await db.write(
        (trx) => deleteUsers(trx, ids),
        ids.map((userId) => ({ userId, scope: 'account' as const, event: { type: 'deleted' as const } })),
      );
      if (ids.length < BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return result;
}

export interface PurgeJob {
  stop(): void;
}

/**
 * Runs {@link purgeOnce}, then folds newly closed days into the activity rollups, in the background:
 * first a few seconds after start-up (never delaying it), then every `intervalMinutes`. A failed run
 * is logged and retried at the next tick.
 */
export function startPurgeJob(
  db: Db,
  clock: Clock,
  options: PurgeOptions & {
    intervalMinutes: number;
    log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  },
): PurgeJob {
  if (options.intervalMinutes <= 0) return { stop() {} };
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    purgeOnce(db, clock, options)
      .then(async (result) => {
        if (result.expiredSessions + result.emptyGuests + result.guestsWithData > 0)
          options.log.info({ purge: result }, 'purged expired sessions and abandoned guests');
        // Streaks and the heatmap read closed days from the rollup; reads never write it, this does.
        const folded = await foldAllLearningDays(db, clock.now());
        if (folded > 0) options.log.info({ folded }, 'folded closed days into activity rollups');
      })
      .catch((error: unknown) =>
        options.log.error({ err: error }, 'purge failed; retrying at the next interval'),
      )
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(run, 5_000);
  const every = setInterval(run, options.intervalMinutes * 60_000);
  first.unref();
  every.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
