// The parts of a user's account row other features may change: today, the learner's one time zone
// (the plan feature sets it when a plan is saved in a zone). Runs in the caller's transaction.

import type { Queryable } from '../db/types.js';
import * as repo from './auth.repository.js';

/** Makes `timeZone` the user's time zone (no write when it already is). */
export function setUserTimeZone(db: Queryable, userId: string, timeZone: string, now: string): Promise<void> {
  return repo.updateTimeZoneIfChanged(db, userId, timeZone, now);
}
