import type { ProfileRow } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';
import { problems } from '../http/problems.js';
import * as repo from './profiles.repository.js';

// The rules of public profiles: what a handle may be, who owns it, and that nothing is public until
// the learner turns it on. Reading the public side (progress, projects, streak) is profiles.public.ts.

export const HANDLE_MIN = 3;
export const HANDLE_MAX = 30;
export const DISPLAY_NAME_MAX = 80;
/** Letters, digits and single hyphens inside; starts and ends with a letter or digit. */
export const HANDLE_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$';

/**
 * Words that name Waymark's own pages and routes, or that would let a profile pass for the
 * instance's staff. Compared lower-cased.
 */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  'about',
  'account',
  'admin',
  'administrator',
  'api',
  'assets',
  'auth',
  'badge',
  'cohort',
  'cohorts',
  'dashboard',
  'docs',
  'export',
  'help',
  'home',
  'import',
  'invite',
  'invites',
  'login',
  'logout',
  'me',
  'mentor',
  'mentors',
  'metrics',
  'moderator',
  'new',
  'null',
  'plan',
  'privacy',
  'profile',
  'profiles',
  'projects',
  'readyz',
  'healthz',
  'review',
  'roadmaps',
  'root',
  'security',
  'settings',
  'signup',
  'static',
  'staff',
  'support',
  'system',
  'terms',
  'u',
  'undefined',
  'user',
  'users',
  'v',
  'waymark',
  'well-known',
  'www',
]);

/** A learner's profile settings as their owner sees them. */
export interface ProfileSettings {
  handle: string | null;
  displayName: string;
  public: boolean;
  /** Path of the public page while it is public; null otherwise. */
  url: string | null;
  updatedAt: string | null;
}

export interface ProfileInput {
  handle: string;
  displayName: string;
  public: boolean;
}

export function presentSettings(row: ProfileRow | undefined): ProfileSettings {
  if (!row) return { handle: null, displayName: '', public: false, url: null, updatedAt: null };
  return {
    handle: row.handle,
    displayName: row.display_name,
    public: row.public === 1,
    url: row.public === 1 ? `/u/${row.handle}` : null,
    updatedAt: row.updated_at,
  };
}

/** The lookup key of a handle: handles are unique and found ignoring case. */
export const handleKey = (handle: string): string => handle.toLowerCase();

/** Checks a handle's shape and that it is not reserved; returns it trimmed. */
export function validHandle(raw: string): string {
  const handle = raw.trim();
  if (handle.length < HANDLE_MIN || handle.length > HANDLE_MAX || !new RegExp(HANDLE_PATTERN).test(handle)) {
    throw problems.validation(
      `A handle has ${HANDLE_MIN} to ${HANDLE_MAX} letters (a–z), digits or single hyphens, and starts and ends with a letter or digit.`,
      [
        {
          pointer: '/body/handle',
          message: `must be ${HANDLE_MIN}–${HANDLE_MAX} letters, digits or hyphens`,
        },
      ],
    );
  }
  if (RESERVED_HANDLES.has(handleKey(handle))) throw problems.handleReserved(handle);
  return handle;
}

/** Checks a display name (any script; no control characters); returns it trimmed, spaces collapsed. */
export function validDisplayName(raw: string): string {
  const name = raw
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go.
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (name.length < 1 || name.length > DISPLAY_NAME_MAX) {
    throw problems.validation(`Choose a display name of 1 to ${DISPLAY_NAME_MAX} characters.`, [
      { pointer: '/body/displayName', message: `must be 1–${DISPLAY_NAME_MAX} characters` },
    ]);
  }
  return name;
}

export async function getSettings(db: Queryable, userId: string): Promise<ProfileSettings> {
  return presentSettings(await repo.findByUser(db, userId));
}

/**
 * Saves the learner's profile settings. The handle must be free (ignoring case) unless it is
 * already theirs; a race between two learners on one handle is caught by the unique index and
 * reported the same way by the route (see `isUniqueViolation`).
 */
export async function saveSettings(
  trx: WriteTx,
  userId: string,
  input: ProfileInput,
  now: string,
): Promise<ProfileSettings> {
  const handle = validHandle(input.handle);
  const displayName = validDisplayName(input.displayName);
  const owner = await repo.findByHandleKey(trx, handleKey(handle));
  if (owner && owner.user_id !== userId) throw problems.handleTaken(handle);
  const current = await repo.findByUser(trx, userId);
  const row: ProfileRow = {
    user_id: userId,
    handle,
    handle_key: handleKey(handle),
    display_name: displayName,
    public: input.public ? 1 : 0,
    created_at: current?.created_at ?? now,
    updated_at: now,
  };
  await repo.putProfile(trx, row);
  return presentSettings(row);
}

/** Removes the profile altogether: the handle is free again and every public URL answers 404. */
export async function removeProfile(trx: WriteTx, userId: string): Promise<void> {
  await repo.deleteProfile(trx, userId);
}

/** The public profile behind a handle, or the same 404 whether it is unknown or not published. */
export async function requirePublicProfile(
  db: Queryable,
  handle: string,
): Promise<ProfileRow & { time_zone: string }> {
  const row = handle.length <= HANDLE_MAX ? await repo.findByHandleKey(db, handleKey(handle)) : undefined;
  if (!row || row.public !== 1) {
    throw problems.notFound('Profile', 'There is no public profile with this handle.');
  }
  return row;
}
