import type { UserRow } from '../db/schema.js';
import { Problem, problems } from '../http/problems.js';
import type { AuthDeps, Authenticated } from './auth.types.js';
import { hashPassword } from './password.js';

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

export function checkPasswordStrength(password: string, pointer = '/body/password'): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw problems.validation(`Choose a password of ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`, [
      { pointer, message: `must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters` },
    ]);
  }
}

/**
 * Sign-up's checks, all at once: an empty email and a short password are both reported, each by its
 * field (one problem with two errors), rather than the second only after the first is fixed.
 */
export function checkSignupInput(input: { email: string; password: string }): string {
  const refused: Problem[] = [];
  const attempt = <T>(check: () => T): T | null => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      refused.push(error);
      return null;
    }
  };
  const email = attempt(() => normaliseEmail(input.email));
  attempt(() => checkPasswordStrength(input.password));
  if (refused.length === 1) throw refused[0]!;
  if (refused.length > 1) {
    throw problems.validation(
      `Enter an email address and a password of ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
      refused.flatMap((problem) => problem.errors),
    );
  }
  return email ?? '';
}

/** Guests have no password to confirm with; some things need an account. */
export function requireAccount(user: UserRow): void {
  if (user.is_guest === 1) {
    throw problems.forbidden(
      'account_required',
      'Guests cannot do this. Set an email and password first (sign up keeps your progress).',
    );
  }
}

/**
 * The checks every sign-up makes before anything is stored (direct or by emailed link): all input
 * errors at once, no second account while signed in to one, and the password's hash, computed before
 * the address is looked up so the time taken says nothing about whether it is registered.
 */
export async function prepareSignup(
  deps: AuthDeps,
  current: Authenticated | null,
  input: { email: string; password: string },
): Promise<{ email: string; passwordHash: string }> {
  const email = checkSignupInput(input);
  if (current && current.user.is_guest === 0) {
    throw problems.conflict(
      'already_signed_in',
      'You are already signed in to an account. Log out first to create another one.',
    );
  }
  return { email, passwordHash: await hashPassword(input.password, deps.config.scryptLog2N) };
}
