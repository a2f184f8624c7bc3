import type { SessionWithUser } from './auth.repository.js';
import type { UserEvents } from '../realtime/user-events.js';

const MAX_ENTRIES = 20_000;
const TTL_MS = 60_000;

/**
 * Keeps recently seen sessions in memory so an authenticated read costs no database query.
 * Entries are dropped as soon as any instance revokes a session, changes the user, or deletes
 * them (through {@link UserEvents}), and in any case after a minute.
 */
export class SessionCache {
  private readonly entries = new Map<string, { value: SessionWithUser; at: number }>();

  constructor(events: UserEvents | null) {
    events?.onAny((userId, event) => {
      if (event.type === 'sessions-revoked' || event.type === 'deleted' || event.type === 'sync')
        this.forgetUser(userId);
    });
  }

  get(tokenHash: string, now: number): SessionWithUser | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (now - entry.at > TTL_MS) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.value;
  }

  set(tokenHash: string, value: SessionWithUser, now: number): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, { value, at: now });
  }

  delete(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  forgetUser(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.value.user.id === userId) this.entries.delete(key);
  }
}
