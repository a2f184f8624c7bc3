import type { SessionWithUser } from './auth.repository.js';
import type { UserEvents } from '../realtime/user-events.js';

const MAX_ENTRIES = 20_000;
const TTL_MS = 60_000;

/**
 * Keeps recently seen sessions in memory so an authenticated read costs no database query.
 * Entries are dropped as soon as any instance revokes a session, changes anything of the user's,
 * or deletes them (through {@link UserEvents}), and in any case after a minute.
 */
export class SessionCache {
  private readonly entries = new Map<string, { value: SessionWithUser; at: number }>();
  private readonly byUser = new Map<string, Set<string>>();

  constructor(events: UserEvents | null) {
    // Any change by or to the user that may have touched their row (email, time zone…) or
    // sessions drops their cached sessions, so request.auth.user is never older than the user's
    // last such write. Writes declared data-only (ticking a topic, rating a card) keep them: they
    // are most of the traffic, and re-reading the session after each cost a query per request.
    events?.onAny((userId, event) => {
      if (event.type === 'changed' && event.scope === 'data') return;
      this.forgetUser(userId);
    });
  }

  get(tokenHash: string, now: number): SessionWithUser | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (now - entry.at > TTL_MS) {
      this.delete(tokenHash);
      return undefined;
    }
    return entry.value;
  }

  set(tokenHash: string, value: SessionWithUser, now: number): void {
    if (!this.entries.has(tokenHash) && this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    this.entries.set(tokenHash, { value, at: now });
    const hashes = this.byUser.get(value.user.id) ?? new Set<string>();
    hashes.add(tokenHash);
    this.byUser.set(value.user.id, hashes);
  }

  delete(tokenHash: string): void {
    const entry = this.entries.get(tokenHash);
    if (!entry) return;
    this.entries.delete(tokenHash);
    const hashes = this.byUser.get(entry.value.user.id);
    hashes?.delete(tokenHash);
    if (hashes?.size === 0) this.byUser.delete(entry.value.user.id);
  }

  forgetUser(userId: string): void {
    for (const tokenHash of this.byUser.get(userId) ?? []) this.entries.delete(tokenHash);
    this.byUser.delete(userId);
  }
}
