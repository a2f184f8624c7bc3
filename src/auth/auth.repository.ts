import type { Queryable, WriteTx } from '../db/types.js';
import type { ApiTokenRow, NewUser, SessionRow, UserRow } from '../db/schema.js';

// Users ---------------------------------------------------------------------------------------

export function insertUser(db: WriteTx, user: NewUser): Promise<unknown> {
  return db.insertInto('users').values(user).execute();
}

export function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function updateUser(
  db: WriteTx,
  id: string,
  changes: Partial<
    Pick<
      UserRow,
      'email' | 'password_hash' | 'is_guest' | 'time_zone' | 'role' | 'updated_at' | 'email_verified_at'
    >
  >,
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** Deletes the user; sessions, tokens, progress and every other per-user table cascade. */
export async function deleteUser(db: WriteTx, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

// Sessions ------------------------------------------------------------------------------------

export async function insertSession(db: WriteTx, session: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
}

export async function findSessionByTokenHash(
  db: Queryable,
  tokenHash: string,
): Promise<SessionWithUser | undefined> {
  return (await findSessionsByTokenHashes(db, [tokenHash])).get(tokenHash);
}

/** The sessions (with their users) of the given token hashes, by hash; unknown hashes are absent. */
export async function findSessionsByTokenHashes(
  db: Queryable,
  tokenHashes: readonly string[],
): Promise<Map<string, SessionWithUser>> {
  const found = new Map<string, SessionWithUser>();
  if (tokenHashes.length === 0) return found;
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as s_id',
      'sessions.token_hash as s_token_hash',
      'sessions.created_at as s_created_at',
      'sessions.last_seen_at as s_last_seen_at',
      'sessions.expires_at as s_expires_at',
      'sessions.user_agent as s_user_agent',
      'sessions.ip as s_ip',
      'sessions.replaced_at as s_replaced_at',
      'users.id',
      'users.email',
      'users.password_hash',
      'users.is_guest',
      'users.role',
      'users.time_zone',
      'users.created_at',
      'users.updated_at',
      'users.email_verified_at',
    ])
    .where('sessions.token_hash', 'in', tokenHashes)
    .execute();
  for (const row of rows) {
    found.set(row.s_token_hash, {
      session: {
        id: row.s_id,
        token_hash: row.s_token_hash,
        user_id: row.id,
        created_at: row.s_created_at,
        last_seen_at: row.s_last_seen_at,
        expires_at: row.s_expires_at,
        user_agent: row.s_user_agent,
        ip: row.s_ip,
        replaced_at: row.s_replaced_at,
      },
      user: {
        id: row.id,
        email: row.email,
        password_hash: row.password_hash,
        is_guest: row.is_guest,
        role: row.role,
        time_zone: row.time_zone,
        created_at: row.created_at,
        updated_at: row.updated_at,
        email_verified_at: row.email_verified_at,
      },
    });
  }
  return found;
}

export async function touchSession(
  db: WriteTx,
  id: string,
  lastSeenAt: string,
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

/** Marks a guest's session as replaced by sign-up and shortens its life (see auth.service `signup`). */
export async function markSessionReplaced(
  db: WriteTx,
  id: string,
  replacedAt: string,
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ replaced_at: replacedAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

/** Deletes one session by id; false when it was already gone (another request took it first). */
export async function deleteSessionById(db: WriteTx, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function listSessions(db: Queryable, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Deletes one of the user's sessions; returns false when it is not theirs or does not exist. */
export async function deleteSession(db: WriteTx, userId: string, sessionId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteSessionByTokenHash(db: WriteTx, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteOtherSessions(
  db: WriteTx,
  userId: string,
  keepSessionId: string | null,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  await query.execute();
}

export async function deleteExpiredSessions(db: WriteTx, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// API tokens ----------------------------------------------------------------------------------

export async function insertApiToken(db: WriteTx, token: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

export function listApiTokens(db: Queryable, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findApiTokenByHash(
  db: Queryable,
  tokenHash: string,
): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const token = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!token) return undefined;
  const user = await findUserById(db, token.user_id);
  return user ? { token, user } : undefined;
}

export function findApiTokenById(
  db: Queryable,
  userId: string,
  tokenId: string,
): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function markApiTokenUsed(db: WriteTx, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function deleteApiToken(db: WriteTx, userId: string, tokenId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('api_tokens')
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteApiTokensCreatedBy(db: WriteTx, userId: string, tokenId: string): Promise<void> {
  await db
    .deleteFrom('api_tokens')
    .where('user_id', '=', userId)
    .where('created_by_token', '=', tokenId)
    .execute();
}

export async function deleteApiTokensOf(db: WriteTx, userId: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
}

/** Up to `limit` non-guest accounts (the CLI picks the only one when no email is given). */
export function listAccounts(db: Queryable, limit: number): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('is_guest', '=', 0)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** Sets the user's time zone; leaves the row (and its `updated_at`) alone when it is already that zone. */
export async function updateTimeZoneIfChanged(
  db: WriteTx,
  userId: string,
  timeZone: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ time_zone: timeZone, updated_at: now })
    .where('id', '=', userId)
    .where('time_zone', '!=', timeZone)
    .execute();
}
