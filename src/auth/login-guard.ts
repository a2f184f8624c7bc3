import type { Db } from '../db/database.js';
import { Problem } from '../http/problems.js';
import type { Clock } from '../lib/clock.js';
import * as repo from './login-guard.repository.js';

/** Failures within this window count together; an older first failure starts a new count. */
const WINDOW_MS = 60 * 60_000;
/** Failures allowed before the account is locked for a while. */
const FREE_FAILURES = 5;
/** The lock doubles with each further failure, from one minute up to this. */
const MAX_LOCK_MS = 15 * 60_000;

/**
 * Brute-force protection per account, across every sign-in route and every client address (the
 * rate limits are per address): after 5 failures in an hour the account is locked for 1 minute,
 * doubling with each further failure up to 15 minutes. Locks always expire — nobody can lock an
 * account for good — and a successful sign-in or a password reset clears the count. Stored in the
 * database, which every instance shares.
 */
export class LoginGuard {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Throws 429 with Retry-After while the account is locked. */
  async assertOpen(account: string): Promise<void> {
    const row = await repo.findLoginFailures(this.db.kysely, account);
    const now = this.clock.now().getTime();
    if (row?.locked_until && Date.parse(row.locked_until) > now) {
      const seconds = Math.ceil((Date.parse(row.locked_until) - now) / 1000);
      throw new Problem(
        429,
        'account_locked',
        'Too many failed sign-ins',
        `There were too many failed sign-ins to this account. It is locked for ${seconds} more seconds; try again then (or reset the password).`,
        [],
        { 'retry-after': String(seconds) },
      );
    }
  }

  async recordFailure(account: string): Promise<void> {
    const now = this.clock.now().getTime();
    await this.db.write(async (trx) => {
      const row = await repo.findLoginFailures(trx, account);
      const fresh = !row || now - Date.parse(row.first_failed_at) > WINDOW_MS;
      const failures = fresh ? 1 : row.failures + 1;
      const over = failures - FREE_FAILURES + 1;
      const lockMs = over > 0 ? Math.min(MAX_LOCK_MS, 60_000 * 2 ** (over - 1)) : 0;
      await repo.saveLoginFailures(trx, {
        account,
        failures,
        first_failed_at: fresh ? new Date(now).toISOString() : row.first_failed_at,
        locked_until: lockMs ? new Date(now + lockMs).toISOString() : null,
      });
    }, null);
  }

  async clear(account: string): Promise<void> {
    await this.db.write((trx) => repo.clearLoginFailures(trx, account), null);
  }
}
