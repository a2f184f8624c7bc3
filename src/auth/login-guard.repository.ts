import type { LoginFailuresTable } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';

export function findLoginFailures(db: Queryable, account: string): Promise<LoginFailuresTable | undefined> {
  return db.selectFrom('login_failures').selectAll().where('account', '=', account).executeTakeFirst();
}

export async function saveLoginFailures(db: WriteTx, row: LoginFailuresTable): Promise<void> {
  await db
    .insertInto('login_failures')
    .values(row)
    .onConflict((oc) =>
      oc.column('account').doUpdateSet({
        failures: row.failures,
        first_failed_at: row.first_failed_at,
        locked_until: row.locked_until,
      }),
    )
    .execute();
}

export async function clearLoginFailures(db: WriteTx, account: string): Promise<void> {
  await db.deleteFrom('login_failures').where('account', '=', account).execute();
}
