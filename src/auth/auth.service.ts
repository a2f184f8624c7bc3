import type { WriteTx } from '../db/types.js';
import type { UserRow } from '../db/schema.js';
import type { UserChange } from '../db/changes.js';
import { dataContext } from '../account/data-context.js';
import { problems } from '../http/problems.js';
import * as repo from './auth.repository.js';
import type { AuthDeps, Authenticated, ClientMeta } from './auth.types.js';
import { checkPasswordStrength, normaliseEmail, prepareSignup, requireAccount } from './credentials.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.js';
import { LoginGuard } from './login-guard.js';
import { revokeSecretLinks } from './secret-links.js';
import { accountRow, createSession } from './session.service.js';
import { newId } from './tokens.js';
import { notifyPasswordChanged } from './email.service.js';

// Account lifecycle: sign up, log in and out, change or reset the password, delete the account.
// Each hashes or checks passwords first (slow, outside any transaction), then makes its change
// through the one write entry point, which announces it after commit.

/** How long a guest's session still signs in after that guest signed up (see {@link signup}). */
export const SIGNUP_HANDOVER_MS = 10 * 60_000;

function iso(date: Date): string {
  return date.toISOString();
}

/** Moves all of a guest's data into an account and deletes the guest. */
async function mergeGuestInto(deps: AuthDeps, trx: WriteTx, guestId: string, userId: string): Promise<void> {
  const ctx = dataContext(deps.content(), deps.clock);
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
  const { email, passwordHash } = await prepareSignup(deps, current, input);
  const now = iso(deps.clock.now());
  return deps.db.write(
    async (trx) => {
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
        // The guest's other sessions end now. The one signing up lives a few minutes more, marked as
        // replaced: if this response never reaches the browser (the visitor navigated away), the cookie
        // it still holds signs in to the new account and is exchanged for a fresh session on first use.
        const handover = current.via === 'session' ? current.session : null;
        await repo.deleteOtherSessions(trx, userId, handover?.id ?? null);
        if (handover) {
          const until = new Date(deps.clock.now().getTime() + SIGNUP_HANDOVER_MS);
          await repo.markSessionReplaced(trx, handover.id, now, iso(until));
        }
      } else {
        const account = accountRow(email, passwordHash, now, null);
        await repo.insertUser(trx, account);
        userId = account.id;
      }
      const { token } = await createSession(deps, trx, userId, meta);
      const user = await repo.findUserById(trx, userId);
      if (!user) throw problems.internal();
      return { user, token };
    },
    ({ user }) => ({
      userId: user.id,
      scope: 'account',
      event: { type: 'sessions-revoked', sessionIds: 'all' },
    }),
  );
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
  return deps.db.write(
    async (trx) => {
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
    },
    ({ merged }) => {
      const changes: UserChange[] = [];
      if (current?.session)
        changes.push({
          userId: current.user.id,
          scope: 'account',
          event: merged
            ? { type: 'deleted' }
            : { type: 'sessions-revoked', sessionIds: [current.session.id] },
        });
      changes.push({
        userId: user.id,
        scope: 'account',
        event: merged
          ? { type: 'sync', reason: 'guest progress merged' }
          : { type: 'changed', scope: 'account' },
      });
      return changes;
    },
  );
}

export async function logout(deps: AuthDeps, current: Authenticated): Promise<void> {
  const session = current.session;
  if (!session) return;
  await deps.db.write((trx) => repo.deleteSession(trx, current.user.id, session.id), {
    userId: current.user.id,
    scope: 'account',
    event: { type: 'sessions-revoked', sessionIds: [session.id] },
  });
}

/** Reads the user afresh: credential checks must never use a cached row. */
async function freshUser(deps: AuthDeps, userId: string): Promise<UserRow> {
  const user = await repo.findUserById(deps.db.kysely, userId);
  if (!user) throw problems.unauthenticated();
  return user;
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
  await deps.db.write(
    async (trx) => {
      await repo.updateUser(trx, current.user.id, { password_hash: hash, updated_at: iso(deps.clock.now()) });
      await repo.deleteOtherSessions(trx, current.user.id, current.session?.id ?? null);
      // A password change is what people do when they fear a leak: by default every API token and
      // every secret link (calendar feeds) made with the old password stops working too.
      if (!input.keepApiTokens) {
        await repo.deleteApiTokensOf(trx, current.user.id);
        await revokeSecretLinks(trx, current.user.id);
      }
    },
    { userId: current.user.id, scope: 'account', event: { type: 'password-changed' } },
  );
  notifyPasswordChanged(deps, user.email);
}

/** Sets a password without the old one (the local admin CLI). Revokes every session. */
export async function resetPassword(deps: AuthDeps, email: string, newPassword: string): Promise<boolean> {
  checkPasswordStrength(newPassword);
  const user = await repo.findUserByEmail(deps.db.kysely, normaliseEmail(email));
  if (!user) return false;
  const hash = await hashPassword(newPassword, deps.config.scryptLog2N);
  await deps.db.write(
    async (trx) => {
      await repo.updateUser(trx, user.id, { password_hash: hash, updated_at: iso(deps.clock.now()) });
      await repo.deleteOtherSessions(trx, user.id, null);
    },
    { userId: user.id, scope: 'account', event: { type: 'password-changed' } },
  );
  await new LoginGuard(deps.db, deps.clock).clear(user.email ?? '');
  notifyPasswordChanged(deps, user.email);
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
  await deps.db.write((trx) => repo.deleteUser(trx, current.user.id), {
    userId: current.user.id,
    scope: 'account',
    event: { type: 'deleted' },
  });
}

/**
 * Creates an account without signing it in (the local admin CLI's `user create`), optionally as an
 * instance admin. Refuses an email that is taken.
 */
export async function createAccount(
  deps: AuthDeps,
  input: { email: string; password: string; admin: boolean },
): Promise<UserRow> {
  const email = normaliseEmail(input.email);
  checkPasswordStrength(input.password);
  const passwordHash = await hashPassword(input.password, deps.config.scryptLog2N);
  const now = iso(deps.clock.now());
  return deps.db.write(
    async (trx) => {
      if (await repo.findUserByEmail(trx, email))
        throw problems.conflict('email_unavailable', `An account with the email ${email} already exists.`);
      const id = newId();
      await repo.insertUser(trx, {
        id,
        email,
        password_hash: passwordHash,
        is_guest: 0,
        role: input.admin ? 'admin' : 'learner',
        time_zone: 'UTC',
        created_at: now,
        updated_at: now,
      });
      const user = await repo.findUserById(trx, id);
      if (!user) throw problems.internal();
      return user;
    },
    (user) => ({ userId: user.id, scope: 'account' }),
  );
}

/** Makes an account an instance admin or a plain learner again (`user promote` / `user demote`); false if there is no such account. */
export async function setRole(deps: AuthDeps, email: string, role: UserRow['role']): Promise<boolean> {
  const user = await repo.findUserByEmail(deps.db.kysely, normaliseEmail(email));
  if (!user || user.is_guest === 1) return false;
  await deps.db.write((trx) => repo.updateUser(trx, user.id, { role, updated_at: iso(deps.clock.now()) }), {
    userId: user.id,
    scope: 'account',
  });
  return true;
}
