import type { ApiTokenRow } from '../db/schema.js';
import { problems } from '../http/problems.js';
import { DAY_MS } from '../lib/clock.js';
import * as repo from './auth.repository.js';
import {
  presentApiToken,
  presentSession,
  type PublicApiToken,
  type PublicSession,
} from './auth.presenters.js';
import type { AuthDeps, Authenticated } from './auth.types.js';
import { requireAccount } from './credentials.js';
import type { TokenScope } from './token-scopes.js';
import { API_TOKEN_PREFIX, newId, newSecret, sha256 } from './tokens.js';

// The ways into an account a user holds: their signed-in sessions and personal API tokens.

const MAX_TOKENS_PER_USER = 50;

export async function listSessions(deps: AuthDeps, current: Authenticated): Promise<PublicSession[]> {
  const sessions = await repo.listSessions(deps.db.kysely, current.user.id);
  return sessions.map((s) => presentSession(s, current.session?.id ?? null));
}

/** Signs one of the user's sessions out; its cookie stops working on every instance once this returns. */
export async function revokeSession(
  deps: AuthDeps,
  current: Authenticated,
  sessionId: string,
): Promise<void> {
  const deleted = await deps.db.write(
    (trx) => repo.deleteSession(trx, current.user.id, sessionId),
    (done) =>
      done
        ? {
            userId: current.user.id,
            scope: 'account',
            event: { type: 'sessions-revoked', sessionIds: [sessionId] },
          }
        : null,
  );
  if (!deleted)
    throw problems.notFound('Session', 'You have no session with this id (it may already be revoked).');
}

export async function listApiTokens(deps: AuthDeps, current: Authenticated): Promise<PublicApiToken[]> {
  return (await repo.listApiTokens(deps.db.kysely, current.user.id)).map(presentApiToken);
}

/** Creates a personal API token; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  deps: AuthDeps,
  current: Authenticated,
  input: { name: string; expiresInDays?: number | undefined; scope?: TokenScope | undefined },
): Promise<{ token: PublicApiToken; secret: string }> {
  requireAccount(current.user);
  if (current.via === 'token')
    throw problems.forbidden(
      'token_not_allowed',
      'API tokens cannot create tokens. Do this in Waymark’s settings.',
    );
  const now = deps.clock.now();
  const secret = newSecret(API_TOKEN_PREFIX);
  const row: ApiTokenRow = {
    id: newId(),
    user_id: current.user.id,
    name: input.name.trim(),
    token_hash: sha256(secret),
    token_prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
    created_at: now.toISOString(),
    last_used_at: null,
    expires_at: input.expiresInDays
      ? new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString()
      : null,
    scope: input.scope ?? 'read-write',
    created_by_token: current.token?.id ?? null,
  };
  await deps.db.write(
    async (trx) => {
      const existing = await repo.listApiTokens(trx, current.user.id);
      if (existing.length >= MAX_TOKENS_PER_USER) {
        throw problems.conflict(
          'too_many_tokens',
          `You already have ${MAX_TOKENS_PER_USER} tokens. Revoke one you no longer use first.`,
        );
      }
      await repo.insertApiToken(trx, row);
    },
    { userId: current.user.id, scope: 'account' },
  );
  return { token: presentApiToken(row), secret };
}

/** Revokes a personal API token; requests and event streams using it stop at once. */
export async function revokeApiToken(deps: AuthDeps, current: Authenticated, tokenId: string): Promise<void> {
  const deleted = await deps.db.write(
    async (trx) => {
      if (!(await repo.deleteApiToken(trx, current.user.id, tokenId))) return false;
      // Tokens it made (possible before tokens lost that power) go with it.
      await repo.deleteApiTokensCreatedBy(trx, current.user.id, tokenId);
      return true;
    },
    (done) =>
      done ? { userId: current.user.id, scope: 'account', event: { type: 'token-revoked', tokenId } } : null,
  );
  if (!deleted)
    throw problems.notFound('Token', 'You have no API token with this id (it may already be revoked).');
}
