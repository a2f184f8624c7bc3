import type { WriteTx } from '../db/types.js';
import type { SessionRow, UserRow } from '../db/schema.js';
import { DAY_MS } from '../lib/clock.js';
import { batchedLookup } from '../db/read-batch.js';
import type { Db } from '../db/database.js';
import * as repo from './auth.repository.js';
import type { SessionWithUser } from './auth.repository.js';
import type { AuthDeps, Authenticated, ClientMeta } from './auth.types.js';
import { isTokenScope } from './token-scopes.js';
import { API_TOKEN_PREFIX, newId, newSecret, sha256 } from './tokens.js';

function iso(date: Date): string {
  return date.toISOString();
}

/** A new session row for the user, written in the caller's transaction; the secret becomes the cookie. */
export async function createSession(
  deps: AuthDeps,
  trx: WriteTx,
  userId: string,
  meta: ClientMeta,
): Promise<{ token: string; session: SessionRow }> {
  const now = deps.clock.now();
  const token = newSecret();
  const session: SessionRow = {
    id: newId(),
    token_hash: sha256(token),
    user_id: userId,
    created_at: iso(now),
    last_seen_at: iso(now),
    expires_at: iso(new Date(now.getTime() + deps.config.sessionDays * DAY_MS)),
    user_agent: meta.userAgent.slice(0, 300),
    ip: meta.ip.slice(0, 64),
    replaced_at: null,
  };
  await repo.insertSession(trx, session);
  return { token, session };
}

/** A new guest account's row (no email, no password, UTC until the learner picks a zone). */
export function guestRow(now: string): UserRow {
  return {
    id: newId(),
    email: null,
    password_hash: null,
    is_guest: 1,
    role: 'learner',
    time_zone: 'UTC',
    created_at: now,
    updated_at: now,
    email_verified_at: null,
  };
}

/** A new account's row: signed up with `email` and a password (verified at `verifiedAt`, or not yet). */
export function accountRow(
  email: string,
  passwordHash: string,
  now: string,
  verifiedAt: string | null,
): UserRow {
  return {
    ...guestRow(now),
    email,
    password_hash: passwordHash,
    is_guest: 0,
    email_verified_at: verifiedAt,
  };
}

/** Creates a guest account with a session: how a visitor starts without signing up. */
export async function createGuest(
  deps: AuthDeps,
  meta: ClientMeta,
): Promise<{ user: UserRow; token: string; session: SessionRow }> {
  const user = guestRow(iso(deps.clock.now()));
  return deps.db.write(
    async (trx) => {
      await repo.insertUser(trx, user);
      const { token, session } = await createSession(deps, trx, user.id, meta);
      return { user, token, session };
    },
    { userId: user.id, scope: 'account' },
  );
}

/** The stored form of a session cookie (its SHA-256), or null when it cannot be one of ours. */
export function sessionTokenHash(token: string): string | null {
  return token.length < 20 || token.length > 100 ? null : sha256(token);
}

/** Whether a session is still good at `now`, due for a sliding renewal (past half its lifetime), or expired. */
function sessionState(deps: AuthDeps, session: SessionRow, now: number): 'valid' | 'renew' | 'expired' {
  const expires = new Date(session.expires_at).getTime();
  if (expires <= now) return 'expired';
  return expires - now < (deps.config.sessionDays * DAY_MS) / 2 ? 'renew' : 'valid';
}

/**
 * The common case of {@link authenticateSession} without waiting: a cached session that is
 * neither expired nor due for renewal, whose user's auth version (in this process's store) is the
 * one it was cached under. Undefined when anything must be asked.
 */
export function authenticateCachedSession(deps: AuthDeps, tokenHash: string): Authenticated | undefined {
  const entry = deps.sessionCache?.get(tokenHash, Date.now());
  if (!entry?.value || entry.version === null) return undefined;
  if (deps.versions?.currentNow(entry.userId, 'auth') !== entry.version) return undefined;
  if (sessionState(deps, entry.value.session, deps.clock.now().getTime()) !== 'valid') return undefined;
  return { user: entry.value.user, session: entry.value.session, via: 'session' };
}

/** A cached session, if its user's auth version in the shared store is still the one it was read under. */
async function cachedSession(deps: AuthDeps, tokenHash: string): Promise<SessionWithUser | undefined> {
  const entry = deps.sessionCache?.get(tokenHash, Date.now());
  if (!entry?.value || entry.version === null) return undefined;
  const current = await deps.versions?.current(entry.userId, 'auth');
  return current === entry.version ? entry.value : undefined;
}

const sessionLookups = new WeakMap<Db, (tokenHash: string) => Promise<SessionWithUser | undefined>>();

/**
 * The session of a token hash, from the database. On PostgreSQL the lookups of requests that
 * arrive together share one query (one round trip; see batchedLookup); SQLite answers in-process.
 */
function findSession(db: Db, tokenHash: string): Promise<SessionWithUser | undefined> {
  if (db.dialect !== 'postgres') return repo.findSessionByTokenHash(db.kysely, tokenHash);
  let lookup = sessionLookups.get(db);
  if (!lookup) {
    lookup = batchedLookup((hashes) => repo.findSessionsByTokenHashes(db.kysely, hashes));
    sessionLookups.set(db, lookup);
  }
  return lookup(tokenHash);
}

/**
 * Reads the session from the database and caches it only when that is safe: the version read
 * must have been taken before the query (so the cookie's user must be known from an earlier
 * request — a first request is never cached) and must still be current after it, so a session
 * revoked while the query ran is never put back.
 */
async function readSession(deps: AuthDeps, tokenHash: string): Promise<SessionWithUser | undefined> {
  const cache = deps.sessionCache;
  const knownUser = cache?.get(tokenHash, Date.now())?.userId;
  const before = knownUser && deps.versions ? await deps.versions.current(knownUser, 'auth') : null;
  const found = await findSession(deps.db, tokenHash);
  if (!found) {
    cache?.delete(tokenHash);
    return undefined;
  }
  const stillCurrent =
    before !== null &&
    found.user.id === knownUser &&
    (await deps.versions?.current(knownUser, 'auth')) === before;
  cache?.set(
    tokenHash,
    found.user.id,
    stillCurrent && before !== null ? { value: found, version: before } : null,
  );
  return found;
}

/**
 * Resolves a session cookie. Expired sessions are deleted. A session past half its lifetime is
 * extended (sliding expiry), at most once a day, so active learners stay signed in.
 */
export async function authenticateSession(
  deps: AuthDeps,
  token: string,
  tokenHash: string | null = sessionTokenHash(token),
): Promise<Authenticated | null> {
  if (tokenHash === null) return null;
  const found = (await cachedSession(deps, tokenHash)) ?? (await readSession(deps, tokenHash));
  if (!found) return null;
  const now = deps.clock.now();
  const state = sessionState(deps, found.session, now.getTime());
  if (state === 'expired') {
    deps.sessionCache?.delete(tokenHash);
    await deps.db.write((trx) => repo.deleteSessionByTokenHash(trx, tokenHash), null);
    return null;
  }
  if (found.session.replaced_at !== null) return exchangeReplacedSession(deps, found, tokenHash);
  if (state === 'renew') {
    const expiresAt = iso(new Date(now.getTime() + deps.config.sessionDays * DAY_MS));
    await deps.db.write((trx) => repo.touchSession(trx, found.session.id, iso(now), expiresAt), null);
    // Read again (and cached) by the next request.
    deps.sessionCache?.set(tokenHash, found.user.id, null);
    return {
      user: found.user,
      session: { ...found.session, expires_at: expiresAt, last_seen_at: iso(now) },
      via: 'session',
      renewedToken: token,
    };
  }
  return { user: found.user, session: found.session, via: 'session' };
}

/**
 * A guest session that sign-up replaced (auth.service `signup`) still signs in for a few minutes: the
 * sign-up's response may never have reached the browser, which then holds only this cookie. It is never
 * renewed; its first use swaps it for a fresh session of the new account (the cookie is re-sent). When a
 * parallel request took it first, this one is still answered as the account, and that one's cookie wins.
 */
async function exchangeReplacedSession(
  deps: AuthDeps,
  found: SessionWithUser,
  tokenHash: string,
): Promise<Authenticated> {
  deps.sessionCache?.delete(tokenHash);
  const fresh = await deps.db.write(
    async (trx) => {
      if (!(await repo.deleteSessionById(trx, found.session.id))) return null;
      const meta = { userAgent: found.session.user_agent, ip: found.session.ip };
      return createSession(deps, trx, found.user.id, meta);
    },
    { userId: found.user.id, scope: 'account' },
  );
  if (!fresh) return { user: found.user, session: found.session, via: 'session' };
  return { user: found.user, session: fresh.session, via: 'session', renewedToken: fresh.token };
}

/** Resolves an `Authorization: Bearer wm_…` personal API token (never cached: revoking one takes effect at once). */
export async function authenticateApiToken(deps: AuthDeps, token: string): Promise<Authenticated | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
  const found = await repo.findApiTokenByHash(deps.db.kysely, sha256(token));
  if (!found) return null;
  const now = deps.clock.now();
  if (found.token.expires_at && new Date(found.token.expires_at) <= now) return null;
  // Record use at most once a minute so scripts hammering the API do not turn every read into a write.
  if (!found.token.last_used_at || now.getTime() - new Date(found.token.last_used_at).getTime() > 60_000) {
    await deps.db.write((trx) => repo.markApiTokenUsed(trx, found.token.id, iso(now)), null);
  }
  const scope = isTokenScope(found.token.scope) ? found.token.scope : 'read';
  return { user: found.user, session: null, via: 'token', token: { id: found.token.id, scope } };
}

/** Whether the credentials a long-lived request (an event stream) was opened with still work, asked of the database. */
export async function stillAuthenticates(deps: AuthDeps, auth: Authenticated): Promise<boolean> {
  if (auth.session)
    return (await repo.findSessionByTokenHash(deps.db.kysely, auth.session.token_hash)) !== undefined;
  if (auth.token)
    return (await repo.findApiTokenById(deps.db.kysely, auth.user.id, auth.token.id)) !== undefined;
  return false;
}
