import type { ProgressRow } from '../db/schema.js';
import type { UserVersions } from '../realtime/user-versions.js';

const MAX_USERS = 10_000;
const TTL_MS = 30_000;

interface Entry {
  rows: Map<string, ProgressRow>;
  /** The user's data version the rows were read under; the entry is served only while it is current. */
  version: string;
  /** Ticked checklist item ids by topic, once something asked for them. */
  ticks?: Map<string, string[]>;
  views: Map<string, Buffer>;
  at: number;
}

/** What a read saw when it started: the version it runs under, and a usable entry if there was one. */
export interface CacheRead {
  version: string | null;
  entry: Entry | undefined;
}

/**
 * The latest progress rows of recently active users, so reading a roadmap's progress needs no
 * query. An entry is served only while the user's data version it was read under is still the
 * current one in the shared {@link UserVersions} (so a write acknowledged on any instance is seen
 * at once), and stored only if the version the read started under is still current when it ends
 * (so a read that overlapped a write never puts older rows back). Entries expire after 30 seconds
 * to bound memory.
 */
export class ProgressCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly versions: UserVersions) {}

  private async valid(userId: string, entry: Entry | undefined): Promise<Entry | undefined> {
    if (!entry) return undefined;
    if (Date.now() - entry.at > TTL_MS || (await this.versions.current(userId, 'data')) !== entry.version) {
      if (this.entries.get(userId) === entry) this.entries.delete(userId);
      return undefined;
    }
    return entry;
  }

  /** Starts a read: call before querying, then {@link setRows} with what the query returned. */
  async open(userId: string): Promise<CacheRead> {
    const version = await this.versions.current(userId, 'data');
    const entry = this.entries.get(userId);
    if (!entry || version === null || entry.version !== version) return { version, entry: undefined };
    // `version` was asked for this read just now; asking the store again (as valid() would) costs a
    // second version check per cached read (SQLite's data_version, or a Redis round trip) and adds nothing.
    if (Date.now() - entry.at > TTL_MS) {
      this.entries.delete(userId);
      return { version, entry: undefined };
    }
    return { version, entry };
  }

  /** Stores rows read since {@link open}, unless the user's data changed (or began to) in between. */
  async setRows(userId: string, read: CacheRead, rows: Map<string, ProgressRow>): Promise<void> {
    if (read.version === null || (await this.versions.current(userId, 'data')) !== read.version) return;
    if (this.entries.size >= MAX_USERS && !this.entries.has(userId)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(userId, { rows, version: read.version, views: new Map(), at: Date.now() });
  }

  /**
   * Ticks belong to the rows' entry and are dropped with it. They are stored only if that entry is
   * still the one cached when they were read (`alongside`) and still current.
   */
  async setTicks(
    userId: string,
    ticks: Map<string, string[]>,
    alongside: Map<string, ProgressRow>,
  ): Promise<void> {
    const entry = await this.valid(userId, this.entries.get(userId));
    if (entry && entry.rows === alongside) entry.ticks = ticks;
  }

  /**
   * A serialised response derived from the cached rows (e.g. a roadmap's progress JSON), so a
   * repeated read is a map lookup. Kept as UTF-8 bytes: a string body would be re-encoded by the
   * socket on every response, which was the largest single cost of a cached read. Dropped with the rows.
   */
  async view(userId: string, key: string): Promise<Buffer | undefined> {
    return (await this.open(userId)).entry?.views.get(key);
  }

  /** Stores a view only if it was built from the rows still cached and still current. */
  async setView(
    userId: string,
    key: string,
    body: Buffer,
    builtFrom: Map<string, ProgressRow>,
  ): Promise<void> {
    const entry = await this.valid(userId, this.entries.get(userId));
    if (entry && entry.rows === builtFrom) entry.views.set(key, body);
  }

  /** Frees a user's entry (a deleted account); correctness never depends on it. */
  delete(userId: string): void {
    this.entries.delete(userId);
  }
}
