import type { ProgressRow } from '../db/schema.js';
import type { UserEvents } from '../realtime/user-events.js';

const MAX_USERS = 10_000;
const TTL_MS = 30_000;

interface Entry {
  rows: Map<string, ProgressRow>;
  /** Ticked checklist item ids by topic, once something asked for them. */
  ticks?: Map<string, string[]>;
  views: Map<string, Buffer>;
  at: number;
}

/**
 * The latest progress rows of recently active users, so reading a roadmap's progress needs no
 * query. Any change to a user's data (on any instance, via {@link UserEvents}) drops their entry;
 * entries also expire after 30 seconds as a bound on staleness if an invalidation is lost.
 */
export class ProgressCache {
  private readonly entries = new Map<string, Entry>();

  constructor(events: UserEvents | null) {
    events?.onAny((userId, event) => {
      if (event.type !== 'sessions-revoked') this.entries.delete(userId);
    });
  }

  private fresh(userId: string, now: number): Entry | undefined {
    const entry = this.entries.get(userId);
    return entry && now - entry.at <= TTL_MS ? entry : undefined;
  }

  get(userId: string, now: number): Map<string, ProgressRow> | undefined {
    return this.fresh(userId, now)?.rows;
  }

  set(userId: string, rows: Map<string, ProgressRow>, now: number): void {
    if (this.entries.size >= MAX_USERS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(userId, { rows, views: new Map(), at: now });
  }

  getTicks(userId: string, now: number): Map<string, string[]> | undefined {
    return this.fresh(userId, now)?.ticks;
  }

  /**
   * Ticks belong to the rows' entry and are dropped with it. They are stored only if that entry is
   * still the one that was cached when they were read (`alongside`): a write in between replaced it.
   */
  setTicks(userId: string, ticks: Map<string, string[]>, alongside: Map<string, ProgressRow>): void {
    const entry = this.entries.get(userId);
    if (entry && entry.rows === alongside) entry.ticks = ticks;
  }

  /**
   * A serialised response derived from the cached rows (e.g. a roadmap's progress JSON), so a
   * repeated read is a map lookup. Kept as UTF-8 bytes: a string body would be re-encoded by the
   * socket on every response, which was the largest single cost of a cached read. Dropped with the rows.
   */
  view(userId: string, key: string, now: number): Buffer | undefined {
    return this.fresh(userId, now)?.views.get(key);
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
