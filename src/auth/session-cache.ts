import type { SessionWithUser } from './auth.repository.js';

const MAX_ENTRIES = 20_000;
const TTL_MS = 60_000;

/** A session cookie's owner, and the session itself once it was read under a known auth version. */
export interface SessionCacheEntry {
  userId: string;
  /** The session and the user's auth version it was read under; null until it can be cached safely. */
  value: SessionWithUser | null;
  version: string | null;
  at: number;
}

/**
 * Recently seen sessions in memory, so an authenticated request costs no database query. This
 * class only stores; whether an entry may be served is decided in `session.service.ts` by
 * comparing its auth version with the shared one (see `realtime/user-versions.ts`), so a session
 * revoked on any instance stops working at once. Entries expire after a minute to bound memory.
 */
export class SessionCache {
  private readonly entries = new Map<string, SessionCacheEntry>();

  get(tokenHash: string, now: number): SessionCacheEntry | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (now - entry.at > TTL_MS) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  /** Records the cookie's owner and, when `read` is given, the session read under that version. */
  set(tokenHash: string, userId: string, read: { value: SessionWithUser; version: string } | null): void {
    if (!this.entries.has(tokenHash) && this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, {
      userId,
      value: read?.value ?? null,
      version: read?.version ?? null,
      at: Date.now(),
    });
  }

  delete(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }
}
