import type { ProfileRow } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';

// All of the public-profile SQL. A profile is looked up by its owner or by its lower-cased handle.

/** The user's profile settings, if they ever chose a handle. */
export function findByUser(db: Queryable, userId: string): Promise<ProfileRow | undefined> {
  return db.selectFrom('profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A profile and its owner's time zone (for the streak), by lower-cased handle, public or not. */
export function findByHandleKey(
  db: Queryable,
  handleKey: string,
): Promise<(ProfileRow & { time_zone: string }) | undefined> {
  return db
    .selectFrom('profiles')
    .innerJoin('users', 'users.id', 'profiles.user_id')
    .selectAll('profiles')
    .select('users.time_zone')
    .where('profiles.handle_key', '=', handleKey)
    .executeTakeFirst();
}

/** Stores the user's profile settings, replacing the ones before. */
export async function putProfile(db: WriteTx, row: ProfileRow): Promise<void> {
  await db
    .insertInto('profiles')
    .values(row)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        handle: row.handle,
        handle_key: row.handle_key,
        display_name: row.display_name,
        public: row.public,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Forgets the user's profile (handle freed, nothing public). */
export async function deleteProfile(db: WriteTx, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('profiles').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
