// The private calendar feed: a 256-bit token in the URL, of which only the SHA-256 is stored. Creating,
// rotating, revoking, and resolving a token back to its owner.

import { createHash, randomBytes } from 'node:crypto';
import type { Roadmap } from '../content/content.types.js';
import type { WriteTx } from '../db/types.js';
import { problems } from '../http/problems.js';
import * as repo from './plan.repository.js';
import { requirePlan } from './plan.service.js';
import { registerSecretLinks } from '../auth/secret-links.js';

const FEED_TOKEN_PREFIX = 'wmcal_';

// A password change revokes every feed URL (they are credentials too).
registerSecretLinks((trx, userId) => repo.deleteFeedsOf(trx, userId));

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isFeedToken(value: string): boolean {
  return /^wmcal_[A-Za-z0-9_-]{43}$/.test(value);
}

/** Creates the private feed, or replaces its token; the token is returned once and only its hash is kept. */
export async function rotateFeed(
  db: WriteTx,
  roadmap: Roadmap,
  userId: string,
  now: Date,
): Promise<{ token: string; createdAt: string }> {
  await requirePlan(db, userId, roadmap);
  const token = FEED_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const createdAt = now.toISOString();
  await repo.replaceFeed(db, {
    token_hash: hashFeedToken(token),
    user_id: userId,
    roadmap_id: roadmap.id,
    created_at: createdAt,
    last_used_at: null,
  });
  return { token, createdAt };
}

export async function revokeFeed(db: WriteTx, roadmap: Roadmap, userId: string): Promise<void> {
  if (!(await repo.deleteFeed(db, userId, roadmap.id))) {
    throw problems.notFound('Calendar feed', `Your ${roadmap.title} plan has no calendar feed to revoke.`);
  }
}

/** The owner of a feed token, or null if the token is unknown or revoked. Records the fetch. */
export async function resolveFeed(
  db: WriteTx,
  token: string,
  now: Date,
): Promise<{ userId: string; roadmapId: string } | null> {
  if (!isFeedToken(token)) return null;
  const hash = hashFeedToken(token);
  const feed = await repo.findFeedByHash(db, hash);
  if (!feed) return null;
  if (!feed.last_used_at || now.getTime() - Date.parse(feed.last_used_at) > 60_000)
    await repo.touchFeed(db, hash, now.toISOString());
  return { userId: feed.user_id, roadmapId: feed.roadmap_id };
}
