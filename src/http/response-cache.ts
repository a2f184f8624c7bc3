import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { UserVersions } from '../realtime/user-versions.js';

// Finished responses (pages and JSON) kept per user, so a page that nothing changed since it was
// last rendered is neither re-computed, re-rendered nor re-compressed. See "Pages from cache" in
// the README's benchmark section for the rules that keep it correct.

/** A content-coding a cached body is kept in. */
export type Coding = 'br' | 'gzip' | 'identity';

/**
 * The calendar day a response was computed for, in the zone it was computed in: the entry is
 * served only while it is still that day there (plans and dashboards change at local midnight).
 */
export interface DayStamp {
  timeZone: string;
  today: string;
}

/** A response body in the codings asked for so far, with its entity tag. */
export interface CachedBody {
  readonly type: string;
  readonly identity: Buffer;
  /** Strong entity tag of the identity body; a coding's tag adds `-br` / `-gz`. */
  readonly tag: string;
  coded: Partial<Record<'br' | 'gzip', Buffer>>;
}

interface Entry {
  /** The user's data version the body was built under. */
  version: string;
  /** The content (roadmaps) object it was built from: replaced content is a new object. */
  content: object;
  day: DayStamp | null;
  body: CachedBody;
  bytes: number;
}

/** What a lookup found: the version the caller builds under (null: do not cache), and a hit. */
export interface Lookup {
  key: string;
  userId: string;
  version: string | null;
  hit: CachedBody | undefined;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** One entry may not take more than this share of the budget (a giant export page is not kept). */
const MAX_ENTRY_SHARE = 8;

/** The preferred coding of an `Accept-Encoding` header among br, gzip and identity (q-values respected). */
export function negotiateCoding(header: string | undefined): Coding {
  if (!header) return 'identity';
  let best: Coding = 'identity';
  let bestQ = 0;
  let star = -1;
  const rank: Record<Coding, number> = { br: 3, gzip: 2, identity: 1 };
  for (const part of header.toLowerCase().split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim();
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    if (name === '*') star = q;
    const coding: Coding | null = name === 'br' ? 'br' : name === 'gzip' || name === 'x-gzip' ? 'gzip' : null;
    if (coding && (q > bestQ || (q === bestQ && rank[coding] > rank[best]))) {
      best = coding;
      bestQ = q;
    }
  }
  if (bestQ === 0 && star > 0) return 'br';
  return best;
}

export function bodyOf(type: string, text: string | Buffer): CachedBody {
  const identity = typeof text === 'string' ? Buffer.from(text) : text;
  const tag = createHash('sha1').update(identity).digest('base64url').slice(0, 22);
  return { type, identity, tag, coded: {} };
}

/** The body in `coding`, compressed once and kept. */
export function codedBody(body: CachedBody, coding: Coding): Buffer {
  if (coding === 'identity') return body.identity;
  let coded = body.coded[coding];
  if (!coded) {
    coded =
      coding === 'br'
        ? brotliCompressSync(body.identity, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: 5,
              [zlib.BROTLI_PARAM_SIZE_HINT]: body.identity.length,
            },
          })
        : gzipSync(body.identity, { level: 6 });
    body.coded[coding] = coded;
  }
  return coded;
}

export function entityTag(body: CachedBody, coding: Coding): string {
  return `"${body.tag}${coding === 'br' ? '-br' : coding === 'gzip' ? '-gz' : ''}"`;
}

/** True when an `If-None-Match` header names this body in any of its codings (weak comparison). */
export function matchesTag(header: string | undefined, body: CachedBody): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === `"${body.tag}"` || tag === `"${body.tag}-br"` || tag === `"${body.tag}-gz"`;
  });
}

/**
 * Finished responses per (user, key), served only while the user's data version they were built
 * under is current in the shared {@link UserVersions} (so a write acknowledged on any instance is
 * seen at once), the content is the same object, and — for day-dependent views — it is still the
 * same day in the zone they were computed in. A body is stored only if the user's version did not
 * move while it was being built, so a build that overlapped a write never puts older data back.
 * Least recently used entries go first once the byte budget is spent.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly days = new Map<string, { minute: number; date: string }>();

  constructor(
    private readonly versions: UserVersions,
    /** The calendar date of an instant in a zone (plan/dates `localDateOf`). */
    private readonly dateIn: (now: Date, timeZone: string) => string,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /** Today's date in a zone, computed at most once a minute per zone (offsets change on whole minutes). */
  private today(now: Date, timeZone: string): string {
    const minute = Math.floor(now.getTime() / 60_000);
    const known = this.days.get(timeZone);
    if (known && known.minute === minute) return known.date;
    const date = this.dateIn(now, timeZone);
    if (this.days.size > 1000) this.days.clear();
    this.days.set(timeZone, { minute, date });
    return date;
  }

  private async version(userId: string): Promise<string | null> {
    const local = this.versions.currentNow(userId, 'data');
    return local !== undefined ? local : this.versions.current(userId, 'data');
  }

  /** Starts a request: the current version to build under, and the stored body if it is still good. */
  async lookup(userId: string, key: string, content: object, now: Date): Promise<Lookup> {
    const fullKey = `${userId}\u0000${key}`;
    const version = await this.version(userId);
    const entry = this.entries.get(fullKey);
    if (!entry || version === null) return { key: fullKey, userId, version, hit: undefined };
    const fresh =
      entry.version === version &&
      entry.content === content &&
      (entry.day === null || this.today(now, entry.day.timeZone) === entry.day.today);
    if (!fresh) {
      this.drop(fullKey, entry);
      return { key: fullKey, userId, version, hit: undefined };
    }
    // Most recently used last.
    this.entries.delete(fullKey);
    this.entries.set(fullKey, entry);
    return { key: fullKey, userId, version, hit: entry.body };
  }

  /** Stores a body built since {@link lookup}, unless the user's data changed (or began to) meanwhile. */
  async store(lookup: Lookup, content: object, day: DayStamp | null, body: CachedBody): Promise<void> {
    if (lookup.version === null) return;
    if ((await this.version(lookup.userId)) !== lookup.version) return;
    const bytes = body.identity.length * 2 + lookup.key.length;
    if (bytes * MAX_ENTRY_SHARE > this.maxBytes) return;
    const old = this.entries.get(lookup.key);
    if (old) this.drop(lookup.key, old);
    this.entries.set(lookup.key, { version: lookup.version, content, day, body, bytes });
    this.bytes += bytes;
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /** Entries and bytes held (tests and metrics). */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}
