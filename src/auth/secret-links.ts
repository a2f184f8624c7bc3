import type { WriteTx } from '../db/types.js';

/** Revokes one kind of secret link a feature hands out (e.g. the plan's calendar feed). */
export type SecretLinkRevoker = (trx: WriteTx, userId: string) => Promise<void>;

const revokers: SecretLinkRevoker[] = [];

/**
 * Features that hand out secret URLs register how to revoke them, so a password change can revoke
 * every one without the auth feature knowing their tables.
 *
 * @example registerSecretLinks((trx, userId) => repo.deleteFeeds(trx, userId));
 */
export function registerSecretLinks(revoke: SecretLinkRevoker): void {
  if (!revokers.includes(revoke)) revokers.push(revoke);
}

export async function revokeSecretLinks(trx: WriteTx, userId: string): Promise<void> {
  for (const revoke of revokers) await revoke(trx, userId);
}
