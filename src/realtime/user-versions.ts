import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ChangeScope, UserChange } from '../db/changes.js';
import type { Db } from '../db/database.js';
import { REDIS_COMMAND_TIMEOUT_MS, REDIS_TIMEOUT_MESSAGE } from '../lib/redis.js';

/** `data`: anything of the user's changed (progress caches); `auth`: their account, sessions or tokens (session caches). */
export type VersionKind = 'data' | 'auth';

/**
 * Per-user versions that every app instance reads from the same place, so a cache entry is served
 * only while the version it was read under is still the current one. A write bumps them twice:
 * inside its transaction just before commit (and marks the user "write in flight", during which
 * nothing may be cached), and again after commit. A cached session or progress view therefore
 * stops being served the moment a write is acknowledged — on every instance, with no pub/sub
 * message involved — and a read that started before a write never refills a cache with what it
 * saw.
 */
export interface UserVersions {
  /**
   * An opaque token for the user's current version, or null when nothing may be cached or served
   * from cache (a write in flight, the shared store unreachable, or no shared store at all).
   */
  current(userId: string, kind: VersionKind): Promise<string | null>;
  /** The same answer without waiting, when the store is in this process; undefined otherwise. */
  currentNow(userId: string, kind: VersionKind): string | null | undefined;
  /** Inside the write transaction, last step before commit. Throwing rolls the write back. */
  beginWrite(changes: readonly UserChange[]): Promise<void>;
  /**
   * After the commit (or its failure): ends the in-flight mark and bumps again. Returns each
   * change's new data version (monotonic per user, the same on every instance), or nulls when the
   * store did not answer.
   */
  endWrite(changes: readonly UserChange[]): Array<number | null> | Promise<Array<number | null>>;
}

function kinds(scope: ChangeScope): VersionKind[] {
  return scope === 'account' ? ['data', 'auth'] : ['data'];
}

/**
 * Versions kept in this process, for SQLite without Redis: every writer is this process, except
 * other processes on the same file (the CLI, a second server), which SQLite's `data_version`
 * reveals — it changes whenever another connection commits, so it is part of every token.
 */
export class LocalVersions implements UserVersions {
  private readonly users = new Map<string, { data: number; auth: number; busy: number }>();

  constructor(private readonly externalChanges: () => number) {}

  currentNow(userId: string, kind: VersionKind): string | null {
    const entry = this.users.get(userId);
    if (entry && entry.busy > 0) return null;
    return `${this.externalChanges()}:${entry?.[kind] ?? 0}`;
  }

  current(userId: string, kind: VersionKind): Promise<string | null> {
    return Promise.resolve(this.currentNow(userId, kind));
  }

  private bump(changes: readonly UserChange[], busy: 1 | -1): number[] {
    return changes.map(({ userId, scope }) => {
      const entry = this.users.get(userId) ?? { data: 0, auth: 0, busy: 0 };
      for (const kind of kinds(scope)) entry[kind] += 1;
      entry.busy = Math.max(0, entry.busy + busy);
      this.users.set(userId, entry);
      return entry.data;
    });
  }

  async beginWrite(changes: readonly UserChange[]): Promise<void> {
    this.bump(changes, 1);
  }

  endWrite(changes: readonly UserChange[]): number[] {
    return this.bump(changes, -1);
  }
}

/** No shared store (PostgreSQL without Redis, where other instances may write): never cache. */
export const noSharedVersions: UserVersions = {
  current: async () => null,
  currentNow: () => null,
  beginWrite: async () => {},
  endWrite: (changes) => changes.map(() => null),
};

const PREFIX = 'waymark:v:';
/** Replaced when Redis loses its data (restart): tokens from before can then never match again. */
const EPOCH = `${PREFIX}epoch`;
/** A write that never reported its end (crash) stops blocking caches after this long. */
const IN_FLIGHT_SECONDS = 60;
const KEEP_SECONDS = 7 * 86_400;
const END_WRITE = `
local n = redis.call('DECR', KEYS[1])
if n <= 0 then redis.call('DEL', KEYS[1]) end
local version = redis.call('INCR', KEYS[2])
if ARGV[1] == '1' then redis.call('INCR', KEYS[3]) end
return version`;

/** Thrown when Redis is not connected: the write is refused (503) rather than left waiting. */
export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  constructor() {
    super('Redis is not connected');
  }
}

/**
 * Versions in Redis, shared by every instance (and the CLI) that uses the same Redis. While Redis
 * is away nothing waits on it: reads are served uncached (`current` is null) and writes are
 * refused at once (another instance could otherwise keep serving a cache entry the write made
 * stale); ioredis reconnects by itself and everything resumes.
 */
export class RedisVersions implements UserVersions {
  /** Until when Redis counts as away after a command went unanswered (see {@link noAnswer}). */
  private quietUntil = 0;

  constructor(private readonly redis: Redis) {
    // A new connection answers (or fails) on its own; the quiet period was for the old one.
    redis.on('ready', () => {
      this.quietUntil = 0;
    });
  }

  private get connected(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.quietUntil;
  }

  /**
   * A command failed without an answer (it timed out: Redis stopped answering on a connection that
   * looks open). For a while nothing waits on Redis again — reads go uncached and writes are refused
   * at once — instead of every request waiting out its own timeouts; then the next command tries.
   */
  private noAnswer(error: unknown): void {
    if (error instanceof Error && REDIS_TIMEOUT_MESSAGE.test(error.message))
      this.quietUntil = Date.now() + REDIS_COMMAND_TIMEOUT_MS;
  }

  currentNow(): undefined {
    return undefined;
  }

  async current(userId: string, kind: VersionKind): Promise<string | null> {
    if (!this.connected) return null;
    try {
      const [epoch, version, busy] = await this.redis.mget(
        EPOCH,
        `${PREFIX}${userId}:${kind}`,
        `${PREFIX}${userId}:busy`,
      );
      if (!epoch) {
        await this.redis.set(EPOCH, randomBytes(8).toString('hex'), 'NX');
        return null;
      }
      if (busy && Number(busy) > 0) return null;
      return `${epoch}:${version ?? 0}`;
    } catch (error) {
      this.noAnswer(error);
      return null;
    }
  }

  async beginWrite(changes: readonly UserChange[]): Promise<void> {
    if (!this.connected) throw new RedisUnavailableError();
    const multi = this.redis.multi();
    for (const { userId, scope } of changes) {
      multi.incr(`${PREFIX}${userId}:busy`).expire(`${PREFIX}${userId}:busy`, IN_FLIGHT_SECONDS);
      for (const kind of kinds(scope))
        multi.incr(`${PREFIX}${userId}:${kind}`).expire(`${PREFIX}${userId}:${kind}`, KEEP_SECONDS);
    }
    const results = await multi.exec().catch((error: unknown) => {
      this.noAnswer(error);
      throw error;
    });
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis refused the version update');
  }

  async endWrite(changes: readonly UserChange[]): Promise<Array<number | null>> {
    if (!this.connected) return changes.map(() => null);
    const pipeline = this.redis.pipeline();
    for (const { userId, scope } of changes) {
      pipeline.eval(
        END_WRITE,
        3,
        `${PREFIX}${userId}:busy`,
        `${PREFIX}${userId}:data`,
        `${PREFIX}${userId}:auth`,
        scope === 'account' ? '1' : '0',
      );
    }
    // If this is lost, the in-flight mark expires and caches resume; nothing stale is served meanwhile.
    const results = await pipeline.exec().catch(() => null);
    return changes.map((_, i) => {
      const [error, version] = results?.[i] ?? [null, null];
      return error || typeof version !== 'number' ? null : version;
    });
  }
}

/**
 * Where caches check their versions: Redis when configured (shared by every instance and the
 * CLI); on SQLite without Redis this process plus SQLite's own change counter (other processes on
 * the file); on PostgreSQL without Redis nowhere — other instances could write unseen, so nothing
 * is cached.
 */
export function userVersionsFor(db: Pick<Db, 'externalChanges'>, redis: Redis | null): UserVersions {
  if (redis) return new RedisVersions(redis);
  if (db.externalChanges) return new LocalVersions(db.externalChanges);
  return noSharedVersions;
}
