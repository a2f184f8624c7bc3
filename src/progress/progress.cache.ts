import type { ProgressRow } from '../db/schema.js';
import type { UserEvents } from '../realtime/user-events.js';

const MAX_USERS = 10_000;
const TTL_MS = 30_000;

/**
 * The latest progress rows of recently active users, so reading a roadmap's progress needs no
 * query. Any change to a user's data (on any instance, via {@link UserEvents}) drops their entry;
 * entries also expire after 30 seconds as a bound on staleness if an invalidation is lost.
 */
export class ProgressCache {
  private readonly entries = new Map<
    string,
    {
      rows: Map<string, ProgressRow>;
      /** Ticked checklist item ids by topic, once something asked for them. */
      ticks?: Map<string, string[]>;
      views: Map<string, Buffer>;
      at: number;
    }
  >();

  constructor(events: UserEvents | null) {
    events?.onAny((userId, event) => {
      if (event.type !== 'sessions-revoked') this.entries.delete(userId);
    });
  }

  get(userId: string, now: number): Map<string, ProgressRow> | undefined {
    const entry = this.entries.get(userId);
    if (!entry || now - entry.at > TTL_MS) return undefined;
    return entry.rows;
  }

  set(userId: string, rows: Map<string, ProgressRow>, now: number): void {
    if (this.entries.size >= MAX_USERS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(userId, { rows, views: new Map(), at: now });
  }

  getTicks(userId: string, now: number): Map<string, string[]> | undefined {
    const entry = this.entries.get(userId);
    if (!entry || now - entry.at > TTL_MS) return undefined;
    return entry.ticks;
  }

  /** Ticks belong to the rows' entry: they are stored only while it exists and dropped with it. */
  setTicks(userId: string, ticks: Map<string, string[]>): void {
    const entry = this.entries.get(userId);
    if (entry) entry.ticks = ticks;
  }

  /**
   * A serialised response derived from the cached rows (e.g. a roadmap's progress JSON), so a
   * repeated read is a map lookup. Kept as UTF-8 bytes: a string body would be re-encoded by the
   * socket on every response, which was the largest single cost of a cached read. Dropped with the rows.
   */
  view(userId: string, key: string, now: number): Buffer | undefined {
    const entry = this.entries.get(userId);
    if (!entry || now - entry.at > TTL_MS) return undefined;
    return entry.views.get(key);
  }

  /** Stores a view only if it was built from the rows still cached (not from an entry since replaced). */
  setView(userId: string, key: string, body: Buffer, builtFrom: Map<string, ProgressRow>): void {
    const entry = this.entries.get(userId);
    if (entry && entry.rows === builtFrom) entry.views.set(key, body);
  }

  delete(userId: string): void {
    this.entries.delete(userId);
  }
}
