import type { UserRow } from '../db/schema.js';
import type { UserChange } from '../db/changes.js';
import type { WriteTx } from '../db/types.js';
import { dataContext } from '../account/data-context.js';
import { Problem, problems } from '../http/problems.js';
import * as messages from '../mail/messages.js';
import * as repo from './auth.repository.js';
import * as links from './email-tokens.repository.js';
import type { EmailTokenRow } from './email-tokens.repository.js';
import type { AuthDeps, Authenticated, ClientMeta } from './auth.types.js';
import { checkPasswordStrength, normaliseEmail, prepareSignup, requireAccount } from './credentials.js';
import { hashPassword } from './password.js';
import { LoginGuard } from './login-guard.js';
import { revokeSecretLinks } from './secret-links.js';
import { accountRow, createSession, guestRow } from './session.service.js';
import { newSecret, sha256 } from './tokens.js';

// Everything Waymark does by email (issue 14, item 10): a sign-up finished through an emailed link
// (so the answer never says whether an address has an account), verifying an account's address,
// "forgot password", and a notice after every password change. Links are single-use and expire;
// only their SHA-256 is stored. Mail goes out in the background after the write committed
// (src/mail/mailer.ts): a slow or unreachable SMTP server never fails or delays a request.

const HOUR_MS = 3_600_000;
/** How long each kind of link works. */
export const LINK_VALID_MS = { signup: 24 * HOUR_MS, verify: 24 * HOUR_MS, reset: HOUR_MS } as const;
/** Mails to one address per hour, whatever they are; beyond it nothing more is sent (and nothing said). */
const MAILS_PER_ADDRESS_PER_HOUR = 5;
/** Reset or verification links per account per hour. */
const LINKS_PER_ACCOUNT_PER_HOUR = 3;

/** Links in mail are built from the public URL (config.ts refuses email without one). */
function url(deps: AuthDeps, path: string): string {
  return `${deps.config.mail?.publicUrl ?? ''}${path}`;
}

export const LINK_PATHS = {
  confirm: (token: string) => `/email/confirm/${token}`,
  reset: (token: string) => `/password/reset/${token}`,
  forgot: '/password/forgot',
  login: '/login',
} as const;

/** The email feature is on: an SMTP server is configured. Otherwise 404 `email_not_configured`. */
export function requireMail(deps: AuthDeps): NonNullable<AuthDeps['mailer']> {
  if (!deps.mailer || !deps.config.mail) {
    throw new Problem(
      404,
      'email_not_configured',
      'Email is not set up',
      'This Waymark does not send email (no SMTP server is configured). Ask the person who runs it; they can reset a password with `waymark user reset-password`.',
    );
  }
  return deps.mailer;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const LINK_INVALID = () =>
  new Problem(
    400,
    'link_invalid',
    'This link does not work any more',
    'This link was already used, has expired, or was replaced by a newer one. Ask for a new one.',
    [{ pointer: '/body/token', message: 'is not a valid link' }],
  );

/** A new link row (not yet written) and the secret that goes into the mail. */
function newLink(
  deps: AuthDeps,
  purpose: EmailTokenRow['purpose'],
  userId: string,
  email: string,
  passwordHash: string | null = null,
): { secret: string; row: EmailTokenRow } {
  const now = deps.clock.now().getTime();
  const secret = newSecret();
  return {
    secret,
    row: {
      token_hash: sha256(secret),
      user_id: userId,
      purpose,
      email,
      created_at: iso(now),
      expires_at: iso(now + LINK_VALID_MS[purpose]),
      used_at: null,
      password_hash: passwordHash,
    },
  };
}

/** Whether one more mail to this address fits its hourly limit. */
async function addressHasRoom(deps: AuthDeps, trx: WriteTx, email: string): Promise<boolean> {
  const since = iso(deps.clock.now().getTime() - HOUR_MS);
  return (await links.countMailsToAddress(trx, email, since)) < MAILS_PER_ADDRESS_PER_HOUR;
}

export interface PendingSignup {
  /** The address the link (or the notice) went to, as the person typed it, normalised. */
  email: string;
}

/**
 * Sign-up while email is configured: the same answer whether or not the address has an account.
 * A new address gets a link that creates the account (carrying the chosen password's hash and, from
 * a guest, the guest's progress); an address that has an account gets a notice saying someone tried,
 * with links to log in or reset the password. Nothing is created until the link is opened.
 */
export async function requestSignup(
  deps: AuthDeps,
  current: Authenticated | null,
  input: { email: string; password: string },
): Promise<PendingSignup> {
  const mailer = requireMail(deps);
  const { email, passwordHash } = await prepareSignup(deps, current, input);
  const guestId = current?.user.is_guest === 1 ? current.user.id : null;
  const mail = await deps.db.write(async (trx) => {
    if (!(await addressHasRoom(deps, trx, email))) return null;
    const existing = await repo.findUserByEmail(trx, email);
    if (existing) {
      // Recorded like a link (used at once, never valid) so the per-address limit counts it.
      const { row } = newLink(deps, 'signup', existing.id, email);
      await links.insertEmailToken(trx, { ...row, used_at: row.created_at });
      return messages.signupExisting(email, url(deps, LINK_PATHS.login), url(deps, LINK_PATHS.forgot));
    }
    // The link hangs on the guest whose progress the account will keep; a sign-up without a
    // session gets a guest of its own (no session; the purge keeps it while the link is valid).
    let holderId = guestId;
    if (holderId === null) {
      const guest = guestRow(iso(deps.clock.now().getTime()));
      await repo.insertUser(trx, guest);
      holderId = guest.id;
    }
    const { secret, row } = newLink(deps, 'signup', holderId, email, passwordHash);
    await links.insertEmailToken(trx, row);
    return messages.signupLink(
      email,
      url(deps, LINK_PATHS.confirm(secret)),
      LINK_VALID_MS.signup,
      guestId !== null,
    );
  }, null);
  if (mail) mailer.send(mail);
  return { email };
}

/** What an emailed confirmation link is, for the page that asks to confirm it (never consumes it). */
export async function describeLink(
  deps: AuthDeps,
  secret: string,
): Promise<{ purpose: EmailTokenRow['purpose']; email: string } | null> {
  const row = await links.findEmailToken(deps.db.kysely, sha256(secret));
  const now = deps.clock.now().toISOString();
  if (!row || row.used_at !== null || row.expires_at <= now) return null;
  return { purpose: row.purpose, email: row.email };
}

export type ConfirmOutcome =
  | { outcome: 'account-created'; user: UserRow; token: string; merged: boolean }
  | { outcome: 'email-verified'; email: string };

/**
 * Opens a sign-up or verification link (once). A sign-up link creates the account — from the
 * guest that asked, keeping its progress — signs this browser in, and merges a guest session of
 * this browser too; a verification link marks the account's address verified.
 */
export async function confirmLink(
  deps: AuthDeps,
  current: Authenticated | null,
  secret: string,
  meta: ClientMeta,
): Promise<ConfirmOutcome> {
  requireMail(deps);
  const tokenHash = sha256(secret);
  const row = await links.findEmailToken(deps.db.kysely, tokenHash);
  if (!row || (row.purpose !== 'signup' && row.purpose !== 'verify')) throw LINK_INVALID();
  const now = iso(deps.clock.now().getTime());
  if (row.purpose === 'verify') {
    await deps.db.write(
      async (trx) => {
        if (!(await links.consumeEmailToken(trx, tokenHash, 'verify', now))) throw LINK_INVALID();
        if (!(await links.setEmailVerified(trx, row.user_id, row.email, now))) throw LINK_INVALID();
      },
      { userId: row.user_id, scope: 'account' },
    );
    return { outcome: 'email-verified', email: row.email };
  }
  const passwordHash = row.password_hash;
  if (passwordHash === null) throw LINK_INVALID();
  return deps.db.write(
    async (trx) => {
      if (!(await links.consumeEmailToken(trx, tokenHash, 'signup', now))) throw LINK_INVALID();
      if (await repo.findUserByEmail(trx, row.email)) {
        throw problems.conflict(
          'email_unavailable',
          'This address got an account after the link was sent. Log in with it, or reset its password.',
        );
      }
      const holder = await repo.findUserById(trx, row.user_id);
      let userId: string;
      if (holder && holder.is_guest === 1) {
        userId = holder.id;
        await repo.updateUser(trx, userId, {
          email: row.email,
          password_hash: passwordHash,
          is_guest: 0,
          email_verified_at: now,
          updated_at: now,
        });
        await repo.deleteOtherSessions(trx, userId, null);
        await links.retireLinksOfUser(trx, userId, ['signup'], now);
      } else {
        const account = accountRow(row.email, passwordHash, now, now);
        await repo.insertUser(trx, account);
        userId = account.id;
      }
      // This browser signs in; a guest it was using joins the account, as at log-in.
      let merged = false;
      if (current?.session && current.user.id !== userId) {
        await repo.deleteSession(trx, current.user.id, current.session.id);
        if (current.user.is_guest === 1) {
          const ctx = dataContext(deps.content(), deps.clock);
          for (const section of deps.userData) await section.merge(trx, current.user.id, userId, ctx);
          await repo.deleteUser(trx, current.user.id);
          merged = true;
        }
      }
      const { token } = await createSession(deps, trx, userId, meta);
      const user = await repo.findUserById(trx, userId);
      if (!user) throw problems.internal();
      return { outcome: 'account-created' as const, user, token, merged };
    },
    ({ user, merged }) => {
      const changes: UserChange[] = [
        { userId: user.id, scope: 'account', event: { type: 'sessions-revoked', sessionIds: 'all' } },
      ];
      if (current?.session && current.user.id !== user.id)
        changes.push({
          userId: current.user.id,
          scope: 'account',
          event: merged
            ? { type: 'deleted' }
            : { type: 'sessions-revoked', sessionIds: [current.session.id] },
        });
      return changes;
    },
  );
}

/**
 * "Forgot password": mails a reset link valid for an hour if an account has this address. The
 * answer is the same either way, and so is the work before the write; at most 3 links per account
 * and 5 mails per address an hour (more are silently not sent).
 */
export async function requestPasswordReset(deps: AuthDeps, rawEmail: string): Promise<{ email: string }> {
  const mailer = requireMail(deps);
  const email = normaliseEmail(rawEmail);
  const mail = await deps.db.write(async (trx) => {
    const user = await repo.findUserByEmail(trx, email);
    if (!user || user.is_guest === 1) return null;
    if (!(await addressHasRoom(deps, trx, email))) return null;
    const since = iso(deps.clock.now().getTime() - HOUR_MS);
    if ((await links.countLinksOfUser(trx, user.id, 'reset', since)).count >= LINKS_PER_ACCOUNT_PER_HOUR)
      return null;
    const { secret, row } = newLink(deps, 'reset', user.id, email);
    await links.insertEmailToken(trx, row);
    return messages.resetLink(email, url(deps, LINK_PATHS.reset(secret)), LINK_VALID_MS.reset);
  }, null);
  if (mail) mailer.send(mail);
  return { email };
}

/**
 * Sets a new password through a reset link (once). Like a password change it signs out every
 * session and, unless `keepApiTokens`, revokes API tokens and calendar feeds; it also clears the
 * failed-sign-in count and proves the address. This browser is signed in with the new password.
 */
export async function resetWithLink(
  deps: AuthDeps,
  current: Authenticated | null,
  input: { token: string; newPassword: string; keepApiTokens?: boolean | undefined },
  meta: ClientMeta,
): Promise<{ user: UserRow; token: string }> {
  const mailer = requireMail(deps);
  const tokenHash = sha256(input.token);
  const row = await links.findEmailToken(deps.db.kysely, tokenHash);
  const now = deps.clock.now();
  if (!row || row.purpose !== 'reset' || row.used_at !== null || row.expires_at <= now.toISOString())
    throw LINK_INVALID();
  checkPasswordStrength(input.newPassword, '/body/newPassword');
  const hash = await hashPassword(input.newPassword, deps.config.scryptLog2N);
  const at = now.toISOString();
  const result = await deps.db.write(
    async (trx) => {
      if (!(await links.consumeEmailToken(trx, tokenHash, 'reset', at))) throw LINK_INVALID();
      const user = await repo.findUserById(trx, row.user_id);
      if (!user || user.email !== row.email) throw LINK_INVALID();
      await repo.updateUser(trx, user.id, {
        password_hash: hash,
        updated_at: at,
        email_verified_at: user.email_verified_at ?? at,
      });
      await repo.deleteOtherSessions(trx, user.id, null);
      if (!input.keepApiTokens) {
        await repo.deleteApiTokensOf(trx, user.id);
        await revokeSecretLinks(trx, user.id);
      }
      await links.retireLinksOfUser(trx, user.id, ['reset'], at);
      if (current?.session && current.user.id !== user.id)
        await repo.deleteSession(trx, current.user.id, current.session.id);
      const { token } = await createSession(deps, trx, user.id, meta);
      const fresh = await repo.findUserById(trx, user.id);
      if (!fresh) throw problems.internal();
      return { user: fresh, token };
    },
    ({ user }) => ({ userId: user.id, scope: 'account', event: { type: 'password-changed' } }),
  );
  await new LoginGuard(deps.db, deps.clock).clear(row.email);
  mailer.send(messages.passwordChanged(row.email, 'reset', now, url(deps, LINK_PATHS.forgot)));
  return result;
}

/** After a password change in settings (or the API): a notice to the account's address, if email is on. */
export function notifyPasswordChanged(deps: AuthDeps, email: string | null): void {
  if (!deps.mailer || !deps.config.mail || !email) return;
  deps.mailer.send(
    messages.passwordChanged(email, 'changed', deps.clock.now(), url(deps, LINK_PATHS.forgot)),
  );
}

/**
 * Mails the signed-in account a link proving its address. 409 when it is already verified; 429
 * (with Retry-After) after 3 links in an hour.
 */
export async function sendVerification(deps: AuthDeps, current: Authenticated): Promise<{ email: string }> {
  const mailer = requireMail(deps);
  requireAccount(current.user);
  const user = await repo.findUserById(deps.db.kysely, current.user.id);
  if (!user?.email) throw problems.unauthenticated();
  if (user.email_verified_at !== null) {
    throw problems.conflict('already_verified', `Your address ${user.email} is already verified.`);
  }
  const email = user.email;
  const mail = await deps.db.write(async (trx) => {
    const nowMs = deps.clock.now().getTime();
    const recent = await links.countLinksOfUser(trx, user.id, 'verify', iso(nowMs - HOUR_MS));
    if (recent.count >= LINKS_PER_ACCOUNT_PER_HOUR || !(await addressHasRoom(deps, trx, email))) {
      const retry = recent.oldest
        ? Math.max(1, Math.ceil((Date.parse(recent.oldest) + HOUR_MS - nowMs) / 1000))
        : 3600;
      throw new Problem(
        429,
        'too_many_emails',
        'Too many emails',
        `Several links were sent to ${email} in the last hour. Check your inbox (and spam folder), or try again in ${Math.ceil(retry / 60)} minutes.`,
        [],
        { 'retry-after': String(retry) },
      );
    }
    const { secret, row } = newLink(deps, 'verify', user.id, email);
    await links.insertEmailToken(trx, row);
    return messages.verifyLink(email, url(deps, LINK_PATHS.confirm(secret)), LINK_VALID_MS.verify);
  }, null);
  mailer.send(mail);
  return { email };
}
