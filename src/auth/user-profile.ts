// The parts of a user's account row other features may change: today, the learner's one time zone
// (the plan feature sets it when a plan is saved in a zone). Runs in the caller's transaction.

import type { Queryable, WriteTx } from '../db/types.js';
import type { UserRow } from '../db/schema.js';
import * as repo from './auth.repository.js';

/** Makes `timeZone` the user's time zone (no write when it already is). */
export function setUserTimeZone(db: WriteTx, userId: string, timeZone: string, now: string): Promise<void> {
  return repo.updateTimeZoneIfChanged(db, userId, timeZone, now);
}

/** What other features may read of an account: never its secrets. */
export interface UserProfile {
  id: string;
  email: string | null;
  isGuest: boolean;
  role: 'learner' | 'admin';
  timeZone: string;
}

function profileOf(row: UserRow): UserProfile {
  return {
    id: row.id,
    email: row.email,
    isGuest: row.is_guest === 1,
    role: row.role,
    timeZone: row.time_zone,
  };
}

/** One account's profile, or null. */
export async function findUserProfile(db: Queryable, userId: string): Promise<UserProfile | null> {
  const row = await repo.findUserById(db, userId);
  return row ? profileOf(row) : null;
}

/** An account by its (case-insensitive) email, or null. */
export async function findUserProfileByEmail(db: Queryable, email: string): Promise<UserProfile | null> {
  const row = await repo.findUserByEmail(db, email.trim().toLowerCase());
  return row ? profileOf(row) : null;
}
