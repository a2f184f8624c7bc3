import type { EmailTokensTable } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';

// Emailed single-use links (migration 006, 013). Only the SHA-256 of a link's token is stored.

export type EmailTokenRow = EmailTokensTable;

export async function insertEmailToken(db: WriteTx, row: EmailTokenRow): Promise<void> {
  await db.insertInto('email_tokens').values(row).execute();
}

export function findEmailToken(db: Queryable, tokenHash: string): Promise<EmailTokenRow | undefined> {
  return db.selectFrom('email_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/**
 * Marks the link used if it is still unused, unexpired and of that purpose. True for exactly one of
 * any number of concurrent callers, so a link works once.
 */
export async function consumeEmailToken(
  db: WriteTx,
  tokenHash: string,
  purpose: EmailTokenRow['purpose'],
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('email_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Mails recorded for this address since `since` (every purpose): the per-address limit. */
export async function countMailsToAddress(db: Queryable, email: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('email_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Links of one purpose made for this user since `since`: the per-account limit. */
export async function countLinksOfUser(
  db: Queryable,
  userId: string,
  purpose: EmailTokenRow['purpose'],
  since: string,
): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('email_tokens')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), oldest: (row?.oldest as string | null | undefined) ?? null };
}

/** Retires every unused link of these purposes (a newer action made them pointless). */
export async function retireLinksOfUser(
  db: WriteTx,
  userId: string,
  purposes: readonly EmailTokenRow['purpose'][],
  now: string,
): Promise<void> {
  await db
    .updateTable('email_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}

/** Records that the account receives mail at `email` (only if that is still its address). */
export async function setEmailVerified(
  db: WriteTx,
  userId: string,
  email: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ email_verified_at: at, updated_at: at })
    .where('id', '=', userId)
    .where('email', '=', email)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
