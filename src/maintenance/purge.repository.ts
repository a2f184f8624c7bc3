import type { Queryable, WriteTx } from '../db/types.js';

/**
 * Ids of guests nobody can come back as any more: created before `createdBefore`, with no session
 * seen since `seenSince`. With `withoutData`, only guests who never stored anything (no progress,
 * activity, plan or review card); those go after a day, the others after the retention period.
 * Uses users_guest_created_idx and sessions_user_seen_idx (migration 006).
 */
export async function abandonedGuestIds(
  db: Queryable,
  options: { createdBefore: string; seenSince: string; withoutData: boolean; limit: number; now: string },
): Promise<string[]> {
  let query = db
    .selectFrom('users')
    .select('users.id')
    .where('users.is_guest', '=', 1)
    .where('users.created_at', '<', options.createdBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sessions')
            .select('sessions.id')
            .whereRef('sessions.user_id', '=', 'users.id')
            .where('sessions.last_seen_at', '>=', options.seenSince),
        ),
      ),
    )
    // A guest waiting for its emailed sign-up link to be opened becomes an account then: keep it.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('email_tokens')
            .select('email_tokens.token_hash')
            .whereRef('email_tokens.user_id', '=', 'users.id')
            .where('email_tokens.used_at', 'is', null)
            .where('email_tokens.expires_at', '>', options.now),
        ),
      ),
    );
  if (options.withoutData) {
    for (const table of ['progress', 'activity', 'plans', 'review_cards'] as const) {
      query = query.where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom(table).select(`${table}.user_id`).whereRef(`${table}.user_id`, '=', 'users.id')),
        ),
      );
    }
  }
  const rows = await query.orderBy('users.created_at').limit(options.limit).execute();
  return rows.map((row) => row.id);
}

/** Deletes these users; their sessions and data go with them (foreign keys cascade). */
export async function deleteUsers(db: WriteTx, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .deleteFrom('users')
    .where('id', 'in', ids)
    .where('is_guest', '=', 1)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes emailed links that expired before `before` (uses email_tokens_expires_idx). */
export async function deleteExpiredEmailTokens(db: WriteTx, before: string): Promise<number> {
  const result = await db.deleteFrom('email_tokens').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Forgets failed-sign-in counts whose window and lock are both over. */
export async function deleteStaleLoginFailures(db: WriteTx, before: string, now: string): Promise<number> {
  const result = await db
    .deleteFrom('login_failures')
    .where('first_failed_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes up to `limit` sessions that expired before `now` (uses sessions_expires_idx). */
export async function deleteExpiredSessionsBatch(db: WriteTx, now: string, limit: number): Promise<number> {
  const ids = await db
    .selectFrom('sessions')
    .select('id')
    .where('expires_at', '<', now)
    .limit(limit)
    .execute();
  if (ids.length === 0) return 0;
  const result = await db
    .deleteFrom('sessions')
    .where(
      'id',
      'in',
      ids.map((row) => row.id),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
