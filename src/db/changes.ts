/**
 * What a write may have touched: `data` is the learner's own records (progress, notes, plans,
 * reviews); `account` includes the user row, sessions or API tokens (email, password, time zone,
 * sign-in), so cached sessions must be read again after it.
 */
export type ChangeScope = 'data' | 'account';

/** What one user's open event streams (and every app instance) are told after a write committed. */
export type UserEvent =
  /** Their data changed (`version`: their data version after it, the same on every instance; null if unknown). */
  | { type: 'changed'; scope: ChangeScope; version?: number | null }
  /** Data arrived from elsewhere (guest merge, import): refresh everything. */
  | { type: 'sync'; reason: string; version?: number | null }
  /** Sessions ended (log-out, revocation, sign-up from a guest); their streams close. */
  | { type: 'sessions-revoked'; sessionIds: string[] | 'all'; version?: number | null }
  /** A personal API token was revoked; streams it opened close. */
  | { type: 'token-revoked'; tokenId: string; version?: number | null }
  /** The password changed: every stream of the user closes (clients reconnect with what still works). */
  | { type: 'password-changed'; version?: number | null }
  /** The account is gone; every stream closes. */
  | { type: 'deleted'; version?: number | null };

/**
 * One user's change made by a write, announced after commit. `event` is what their open event
 * streams receive; without it they receive `{ type: 'changed', scope }`.
 */
export interface UserChange {
  userId: string;
  scope: ChangeScope;
  event?: UserEvent;
}

/**
 * What a write announces (every `db.write` must say): one or more users' changes, or `null` when no
 * cache and no open stream needs to hear of it — housekeeping (extending a session, marking a token
 * used, purging, login-failure counters) and project-run bookkeeping, which reaches the learner
 * through the run's own live channel.
 */
export type Changes = UserChange | readonly UserChange[] | null;

/**
 * Where committed changes go. {@link Db.write} calls `beforeCommit` as the last step inside the
 * transaction (a shared version store refusing here rolls the write back, so nothing is
 * acknowledged that other instances could miss) and `afterCommit` once the commit returned
 * (or `committed: false` when it failed after `beforeCommit`).
 */
export interface ChangeFeed {
  beforeCommit(changes: readonly UserChange[]): Promise<void>;
  afterCommit(changes: readonly UserChange[], committed: boolean): void;
}

export function changeList(changes: Changes): readonly UserChange[] {
  if (changes === null) return [];
  return Array.isArray(changes) ? changes : [changes as UserChange];
}
