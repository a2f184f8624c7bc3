// The learner's public-profile settings, as the `profile` section of the export. Import keeps the
// newer settings; a handle that is taken by someone else on this server (or no longer allowed) is
// skipped rather than failing the whole import, and the profile then stays as it was. Account
// deletion removes the profile with the user row (foreign key, cascade).

import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection } from '../account/user-data.js';
import type { ProfileRow } from '../db/schema.js';
import type { WriteTx } from '../db/types.js';
import { Problem } from '../http/problems.js';
import * as repo from './profiles.repository.js';
import { handleKey, validDisplayName, validHandle } from './profiles.service.js';

export const ProfileExport = Type.Object(
  {
    profile: Type.Union([
      Type.Object(
        {
          handle: Type.String({ maxLength: 100 }),
          displayName: Type.String({ maxLength: 200 }),
          public: Type.Boolean(),
          createdAt: Type.String({ format: 'date-time' }),
          updatedAt: Type.String({ format: 'date-time' }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type ProfileExport = Static<typeof ProfileExport>;

/** Stores `row` for `userId` unless theirs is newer or the handle belongs to someone else. */
async function keepNewer(trx: WriteTx, row: ProfileRow): Promise<boolean> {
  const current = await repo.findByUser(trx, row.user_id);
  if (current && current.updated_at >= row.updated_at) return false;
  const owner = await repo.findByHandleKey(trx, row.handle_key);
  if (owner && owner.user_id !== row.user_id) return false;
  await repo.putProfile(trx, row);
  return true;
}

/** The exported settings as a row, or null when the handle or name is no longer allowed here. */
function rowOf(userId: string, data: NonNullable<ProfileExport['profile']>): ProfileRow | null {
  try {
    const handle = validHandle(data.handle);
    return {
      user_id: userId,
      handle,
      handle_key: handleKey(handle),
      display_name: validDisplayName(data.displayName),
      public: data.public ? 1 : 0,
      created_at: new Date(data.createdAt).toISOString(),
      updated_at: new Date(data.updatedAt).toISOString(),
    };
  } catch (error) {
    if (error instanceof Problem) return null;
    throw error;
  }
}

export const profilesUserData = defineUserDataSection({
  name: 'profile',
  schema: ProfileExport,
  async export(db, userId): Promise<ProfileExport> {
    const row = await repo.findByUser(db, userId);
    return {
      profile: row
        ? {
            handle: row.handle,
            displayName: row.display_name,
            public: row.public === 1,
            createdAt: row.created_at,
            updatedAt: row.updated_at,
          }
        : null,
    };
  },

  async import(trx, userId, data) {
    const row = data.profile ? rowOf(userId, data.profile) : null;
    return row && (await keepNewer(trx, row)) ? 1 : 0;
  },

  async merge(trx, fromUserId, toUserId) {
    const from = await repo.findByUser(trx, fromUserId);
    if (!from) return;
    await repo.deleteProfile(trx, fromUserId);
    await keepNewer(trx, { ...from, user_id: toUserId });
  },
});
