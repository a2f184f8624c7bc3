// The auth feature's public reads for the rest of Waymark (the CLI's local commands): accounts,
// without reaching into this feature's repository.

import type { UserRow } from '../db/schema.js';
import type { Queryable } from '../db/types.js';
import * as repo from './auth.repository.js';

/** The account with this e-mail address, compared as stored (trimmed, lower case). */
export function accountByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  return repo.findUserByEmail(db, email.trim().toLowerCase());
}

/** At most `limit` accounts (never guests), oldest first: enough to tell "none", "one" and "several". */
export function someAccounts(db: Queryable, limit: number): Promise<UserRow[]> {
  return repo.listAccounts(db, limit);
}
