import type { Config } from '../config.js';
import { LoginGuard } from './login-guard.js';
import { isTokenScope, type TokenScope } from './token-scopes.js';
import { revokeSecretLinks } from './secret-links.js';
import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import type { Queryable } from '../db/types.js';
import type { ApiTokenRow, SessionRow, UserRow } from '../db/schema.js';
import type { UserDataContext, UserDataSection } from '../account/user-data.js';
import { problems } from '../http/problems.js';
import type { Clock } from '../lib/clock.js';
import { DAY_MS } from '../lib/clock.js';
import * as repo from './auth.repository.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.js';
import { API_TOKEN_PREFIX, newId, newSecret, sha256 } from './tokens.js';
import type { SessionCache } from './session-cache.js';
import type { UserEvent, UserEvents } from '../realtime/user-events.js';

function publish(deps: AuthDeps, userId: string, event: UserEvent): void {
  deps.events?.publish(userId, event);
}

export interface AuthDeps {
  db: Db;
  config: Config;
  clock: Clock;
  content: () => Content;
  /** Fan-out of per-user changes (cache invalidation, live views); optional for CLI use. */
  events?: UserEvents;
  sessionCache?: SessionCache;
  /** Every feature's user-data section (src/features.ts), for export, import and the guest merge. */
  userData: readonly UserDataSection[];
}

export interface ClientMeta {
  userAgent: string;
  ip: string;
}

/** The user as every API response shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string | null;
  isGuest: boolean;
  role: 'learner' | 'admin';
  timeZone: string;
  createdAt: string;
}

export function presentUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    email: user.email,
    isGuest: user.is_guest === 1,
    role: user.role,
    timeZone: user.time_zone,
    createdAt: user.created_at,
  };
}

export interface PublicSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
  ip: string;
  current: boolean;
}

export function presentSession(session: SessionRow, currentId: string | null): PublicSession {
  return {
    id: session.id,
    createdAt: session.created_at,
    lastSeenAt: session.last_seen_at,
    expiresAt: session.expires_at,
    userAgent: session.user_agent,
    ip: session.ip,
    current: session.id === currentId,
  };
}

export interface PublicApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  scope: TokenScope;
}

export function presentApiToken(token: ApiTokenRow): PublicApiToken {
  return {
    id: token.id,
    name: token.name,
    prefix: token.token_prefix,
    createdAt: token.created_at,
    lastUsedAt: token.last_used_at,
    expiresAt: token.expires_at,
    scope: isTokenScope(token.scope) ? token.scope : 'read',
  };
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** Lower-cases and trims; rejects what cannot be an address. */
export function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (normalised.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalised)) {
    throw problems.validation('Enter an email address such as ada@example.org.', [
      { pointer: '/body/email', message: 'must be an email address' },
    ]);
  }
  return normalised;
}

function checkPasswordStrength(password: string, pointer = '/body/password'): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw problems.validation(`Choose a password of ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`, [
      { pointer, message: `must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters` },
    ]);
  }
}

function iso(date: Date): string {
  return date.toISOString();
}

/** A new session for the user; the caller sets the returned secret as the cookie. */
export async function createSession(
  deps: AuthDeps,
  db: Queryable,
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
  };
  await repo.insertSession(db, session);
  return { token, session };
}

/** Creates a guest account with a session: how a visitor starts without signing up. */
export async function createGuest(
  deps: AuthDeps,
  meta: ClientMeta,
): Promise<{ user: UserRow; token: string; session: SessionRow }> {
  const now = iso(deps.clock.now());
  const user: UserRow = {
    id: newId(),
    email: null,
    password_hash: null,
    is_guest: 1,
    role: 'learner',
    time_zone: 'UTC',
    created_at: now,
    updated_at: now,
  };
  return deps.db.kysely.transaction().execute(async (trx) => {
    await repo.insertUser(trx, user);
    const { token, session } = await createSession(deps, trx, user.id, meta);
    return { user, token, session };
  });
}

export interface Authenticated {
  user: UserRow;
  session: SessionRow | null;
  via: 'session' | 'token';
  /** The API token used, when `via` is `token`. */
  token?: { id: string; scope: TokenScope };
  /** Set when a sliding session was extended: the cookie must be re-sent. */
  renewedToken?: string;
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
 * neither expired nor due for renewal. Undefined when the database must be asked.
 */
export function authenticateCachedSession(deps: AuthDeps, tokenHash: string): Authenticated | undefined {
  const found = deps.sessionCache?.get(tokenHash, Date.now());
  if (!found || sessionState(deps, found.session, deps.clock.now().getTime()) !== 'valid') return undefined;
  return { user: found.user, session: found.session, via: 'session' };
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
  const realNow = Date.now();
  const found =
    deps.sessionCache?.get(tokenHash, realNow) ??
    (await repo.findSessionByTokenHash(deps.db.kysely, tokenHash));
  if (!found) return null;
  const now = deps.clock.now();
  const state = sessionState(deps, found.session, now.getTime());
  if (state === 'expired') {
    deps.sessionCache?.delete(tokenHash);
    await repo.deleteSessionByTokenHash(deps.db.kysely, tokenHash);
    return null;
  }
  if (state === 'renew') {
    const expiresAt = iso(new Date(now.getTime() + deps.config.sessionDays * DAY_MS));
    await repo.touchSession(deps.db.kysely, found.session.id, iso(now), expiresAt);
    const renewed = {
      user: found.user,
      session: { ...found.session, expires_at: expiresAt, last_seen_at: iso(now) },
    };
    deps.sessionCache?.set(tokenHash, renewed, realNow);
    return { ...renewed, via: 'session', renewedToken: token };
  }
  deps.sessionCache?.set(tokenHash, found, realNow);
  return { user: found.user, session: found.session, via: 'session' };
}

/** Resolves an `Authorization: Bearer wm_…` personal API token. */
export async function authenticateApiToken(deps: AuthDeps, token: string): Promise<Authenticated | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
  const found = await repo.findApiTokenByHash(deps.db.kysely, sha256(token));
  if (!found) return null;
  const now = deps.clock.now();
  if (found.token.expires_at && new Date(found.token.expires_at) <= now) return null;
  // Record use at most once a minute so scripts hammering the API do not turn every read into a write.
  if (!found.token.last_used_at || now.getTime() - new Date(found.token.last_used_at).getTime() > 60_000) {
    await repo.markApiTokenUsed(deps.db.kysely, found.token.id, iso(now));
  }
  const scope = isTokenScope(found.token.scope) ? found.token.scope : 'read';
  return { user: found.user, session: null, via: 'token', token: { id: found.token.id, scope } };
}

function dataContext(deps: AuthDeps): UserDataContext {
  const content = deps.content();
  return {
    content,
    now: iso(deps.clock.now()),
    canonicalTopicId(id) {
      const live = content.aliases.get(id) ?? id;
      if (content.topics.has(live) || content.retired.has(live)) return live;
      return null;
    },
  };
}

/** Moves all of a guest's data into an account and deletes the guest. */
async function mergeGuestInto(
  deps: AuthDeps,
  trx: Queryable,
  guestId: string,
  userId: string,
): Promise<void> {
  const ctx = dataContext(deps);
  for (const section of deps.userData) await section.merge(trx, guestId, userId, ctx);
  await repo.deleteUser(trx, guestId);
}

/**
 * Creates an account. Called from a guest session, it turns that guest into the account and
 * keeps everything; otherwise it creates a fresh user. Either way a new session is issued.
 */
export async function signup(
  deps: AuthDeps,
  current: Authenticated | null,
  input: { email: string; password: string },
  meta: ClientMeta,
): Promise<{ user: UserRow; token: string }> {
  const email = normaliseEmail(input.email);
  checkPasswordStrength(input.password);
  if (current && current.user.is_guest === 0) {
    throw problems.conflict(
      'already_signed_in',
      'You are already signed in to an account. Log out first to create another one.',
    );
  }
  // Hash before looking the address up so both outcomes take the same time.
  const passwordHash = await hashPassword(input.password, deps.config.scryptLog2N);
  const now = iso(deps.clock.now());
  const result = await deps.db.kysely.transaction().execute(async (trx) => {
    if (await repo.findUserByEmail(trx, email)) {
      throw problems.conflict(
        'email_unavailable',
        'An account cannot be created with this email. If you already have one, log in instead.',
      );
    }
    let userId: string;
    if (current && current.user.is_guest === 1) {
      userId = current.user.id;
      await repo.updateUser(trx, userId, {
        email,
        password_hash: passwordHash,
        is_guest: 0,
        updated_at: now,
      });
      await repo.deleteOtherSessions(trx, userId, null);
    } else {
      userId = newId();
      await repo.insertUser(trx, {
        id: userId,
        email,
        password_hash: passwordHash,
        is_guest: 0,
        role: 'learner',
        time_zone: 'UTC',
        created_at: now,
        updated_at: now,
      });
    }
    const { token } = await createSession(deps, trx, userId, meta);
    const user = await repo.findUserById(trx, userId);
    if (!user) throw problems.internal();
    return { user, token };
  });
  publish(deps, result.user.id, { type: 'sessions-revoked', sessionIds: 'all' });
  return result;
}

/**
 * Signs in with email and password. A guest session's data is merged into the account
 * (newest change per topic wins) and the guest is deleted. Always issues a new session.
 */
export async function login(
  deps: AuthDeps,
  current: Authenticated | null,
  input: { email: string; password: string },
  meta: ClientMeta,
): Promise<{ user: UserRow; token: string; merged: boolean }> {
  const email = input.email.trim().toLowerCase();
  const guard = new LoginGuard(deps.db, deps.clock);
  if (email.length <= 254) await guard.assertOpen(email);
  const user = email.length <= 254 ? await repo.findUserByEmail(deps.db.kysely, email) : undefined;
  const ok = user?.password_hash
    ? await verifyPassword(input.password, user.password_hash)
    : await verifyAgainstDummy(input.password, deps.config.scryptLog2N);
  if (!user || !ok) {
    // Unknown addresses count too, so a lock never tells whether an account exists.
    if (email.length <= 254) await guard.recordFailure(email);
    throw problems.invalidCredentials();
  }
  await guard.clear(email);
  const result = await deps.db.kysely.transaction().execute(async (trx) => {
    let merged = false;
    if (current?.session) {
      await repo.deleteSession(trx, current.user.id, current.session.id);
      if (current.user.is_guest === 1 && current.user.id !== user.id) {
        await mergeGuestInto(deps, trx, current.user.id, user.id);
        merged = true;
      }
    }
    const { token } = await createSession(deps, trx, user.id, meta);
    return { user, token, merged };
  });
  if (current?.session)
    publish(deps, current.user.id, { type: 'sessions-revoked', sessionIds: [current.session.id] });
  if (result.merged) publish(deps, user.id, { type: 'sync', reason: 'guest progress merged' });
  return result;
}

export async function logout(deps: AuthDeps, current: Authenticated): Promise<void> {
  if (!current.session) return;
  await repo.deleteSession(deps.db.kysely, current.user.id, current.session.id);
  publish(deps, current.user.id, { type: 'sessions-revoked', sessionIds: [current.session.id] });
}

/** Reads the user afresh: credential checks must never use a cached row. */
async function freshUser(deps: AuthDeps, userId: string): Promise<UserRow> {
  const user = await repo.findUserById(deps.db.kysely, userId);
  if (!user) throw problems.unauthenticated();
  return user;
}

function requireAccount(user: UserRow): void {
  if (user.is_guest === 1) {
    throw problems.forbidden(
      'account_required',
      'Guests cannot do this. Set an email and password first (sign up keeps your progress).',
    );
  }
}

/** Changes the password after checking the current one; every other session is revoked. */
export async function changePassword(
  deps: AuthDeps,
  current: Authenticated,
  input: { currentPassword: string; newPassword: string; keepApiTokens?: boolean | undefined },
): Promise<void> {
  requireAccount(current.user);
  checkPasswordStrength(input.newPassword, '/body/newPassword');
  const user = await freshUser(deps, current.user.id);
  const ok = user.password_hash ? await verifyPassword(input.currentPassword, user.password_hash) : false;
  if (!ok) {
    throw problems.validation('Your current password is not correct.', [
      { pointer: '/body/currentPassword', message: 'is not correct' },
    ]);
  }
  const hash = await hashPassword(input.newPassword, deps.config.scryptLog2N);
  await deps.db.kysely.transaction().execute(async (trx) => {
    await repo.updateUser(trx, current.user.id, { password_hash: hash, updated_at: iso(deps.clock.now()) });
    await repo.deleteOtherSessions(trx, current.user.id, current.session?.id ?? null);
    // A password change is what people do when they fear a leak: by default every API token and
    // every secret link (calendar feeds) made with the old password stops working too.
    if (!input.keepApiTokens) {
      await repo.deleteApiTokensOf(trx, current.user.id);
      await revokeSecretLinks(trx, current.user.id);
    }
  });
  publish(deps, current.user.id, { type: 'sessions-revoked', sessionIds: 'all' });
}

/** Sets a password without the old one (the local admin CLI). Revokes every session. */
export async function resetPassword(deps: AuthDeps, email: string, newPassword: string): Promise<boolean> {
  checkPasswordStrength(newPassword);
  const user = await repo.findUserByEmail(deps.db.kysely, normaliseEmail(email));
  if (!user) return false;
  const hash = await hashPassword(newPassword, deps.config.scryptLog2N);
  await deps.db.kysely.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, { password_hash: hash, updated_at: iso(deps.clock.now()) });
    await repo.deleteOtherSessions(trx, user.id, null);
  });
  await new LoginGuard(deps.db, deps.clock).clear(user.email ?? '');
  publish(deps, user.id, { type: 'sessions-revoked', sessionIds: 'all' });
  return true;
}

/** Deletes the account and all its data. Accounts confirm with their password; guests need not. */
export async function deleteAccount(
  deps: AuthDeps,
  current: Authenticated,
  password: string | undefined,
): Promise<void> {
  if (current.user.is_guest === 0) {
    const user = await freshUser(deps, current.user.id);
    const ok =
      user.password_hash && password !== undefined
        ? await verifyPassword(password, user.password_hash)
        : false;
    if (!ok) {
      throw problems.validation('Enter your current password to confirm deleting your account.', [
        { pointer: '/body/password', message: 'is not correct' },
      ]);
    }
  }
  await repo.deleteUser(deps.db.kysely, current.user.id);
  publish(deps, current.user.id, { type: 'deleted' });
}

export async function listSessions(deps: AuthDeps, current: Authenticated): Promise<PublicSession[]> {
  const sessions = await repo.listSessions(deps.db.kysely, current.user.id);
  return sessions.map((s) => presentSession(s, current.session?.id ?? null));
}

export async function revokeSession(
  deps: AuthDeps,
  current: Authenticated,
  sessionId: string,
): Promise<void> {
  if (!(await repo.deleteSession(deps.db.kysely, current.user.id, sessionId))) {
    throw problems.notFound('Session', 'You have no session with this id (it may already be revoked).');
  }
  publish(deps, current.user.id, { type: 'sessions-revoked', sessionIds: [sessionId] });
}

export async function listApiTokens(deps: AuthDeps, current: Authenticated): Promise<PublicApiToken[]> {
  return (await repo.listApiTokens(deps.db.kysely, current.user.id)).map(presentApiToken);
}

const MAX_TOKENS_PER_USER = 50;

/** Creates a personal API token; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  deps: AuthDeps,
  current: Authenticated,
  input: { name: string; expiresInDays?: number | undefined; scope?: TokenScope | undefined },
): Promise<{ token: PublicApiToken; secret: string }> {
  requireAccount(current.user);
  if (current.via === 'token')
    throw problems.forbidden(
      'token_not_allowed',
      'API tokens cannot create tokens. Do this in Waymark’s settings.',
    );
  const existing = await repo.listApiTokens(deps.db.kysely, current.user.id);
  if (existing.length >= MAX_TOKENS_PER_USER) {
    throw problems.conflict(
      'too_many_tokens',
      `You already have ${MAX_TOKENS_PER_USER} tokens. Revoke one you no longer use first.`,
    );
  }
  const now = deps.clock.now();
  const secret = newSecret(API_TOKEN_PREFIX);
  const row: ApiTokenRow = {
    id: newId(),
    user_id: current.user.id,
    name: input.name.trim(),
    token_hash: sha256(secret),
    token_prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
    created_at: iso(now),
    last_used_at: null,
    expires_at: input.expiresInDays ? iso(new Date(now.getTime() + input.expiresInDays * DAY_MS)) : null,
    scope: input.scope ?? 'read-write',
    created_by_token: current.token?.id ?? null,
  };
  await repo.insertApiToken(deps.db.kysely, row);
  return { token: presentApiToken(row), secret };
}

export async function revokeApiToken(deps: AuthDeps, current: Authenticated, tokenId: string): Promise<void> {
  const revoked = await deps.db.write(async (trx) => {
    if (!(await repo.deleteApiToken(trx, current.user.id, tokenId))) return false;
    // Tokens it made (possible before tokens lost that power) go with it.
    await repo.deleteApiTokensCreatedBy(trx, current.user.id, tokenId);
    return true;
  });
  if (!revoked) {
    throw problems.notFound('Token', 'You have no API token with this id (it may already be revoked).');
  }
}

export { dataContext };
