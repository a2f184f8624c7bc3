// The learner's picks in "choose one of" sets, as the `alternatives` section of the export. Only picks
// the learner made are exported (a set without one follows its default). Import and the guest-to-account
// merge keep the newer pick per set; picks for sets or topics this server no longer has are skipped,
// since content may have been revised since the export.

import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection, type UserDataContext } from '../account/user-data.js';
import type { AlternativeChoiceRow } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';
import * as repo from './alternatives.repository.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const AlternativesExport = Type.Object(
  {
    choices: Type.Array(
      Type.Object(
        {
          roadmapId: Id,
          setId: Id,
          topicId: Id,
          updatedAt: Type.String({ format: 'date-time' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export type AlternativesExport = Static<typeof AlternativesExport>;

/** A pick still valid for the content on this server, with its topic id made current. */
function usable(ctx: UserDataContext, row: AlternativeChoiceRow): AlternativeChoiceRow | null {
  const set = ctx.content.roadmaps.get(row.roadmap_id)?.alternatives.find((s) => s.id === row.set_id);
  const topicId = ctx.canonicalTopicId(row.topic_id);
  if (!set || topicId === null || !set.topicIds.includes(topicId)) return null;
  return { ...row, topic_id: topicId };
}

/** Stores `row` unless the user already has a newer pick for the same set. */
async function keepNewer(trx: WriteTx, row: AlternativeChoiceRow): Promise<boolean> {
  const current = (await repo.listChoices(trx, row.user_id, row.roadmap_id)).find(
    (c) => c.set_id === row.set_id,
  );
  if (current && current.updated_at >= row.updated_at) return false;
  await repo.putChoice(trx, row);
  return true;
}

export const alternativesUserData = defineUserDataSection({
  name: 'alternatives',
  schema: AlternativesExport,
  async export(db: Queryable, userId: string): Promise<AlternativesExport> {
    const rows = await repo.listChoices(db, userId);
    return {
      choices: rows.map((row) => ({
        roadmapId: row.roadmap_id,
        setId: row.set_id,
        topicId: row.topic_id,
        updatedAt: row.updated_at,
      })),
    };
  },

  async import(trx, userId, data, ctx) {
    let written = 0;
    for (const choice of data.choices) {
      const row = usable(ctx, {
        user_id: userId,
        roadmap_id: choice.roadmapId,
        set_id: choice.setId,
        topic_id: choice.topicId,
        updated_at: new Date(choice.updatedAt).toISOString(),
      });
      if (row && (await keepNewer(trx, row))) written += 1;
    }
    return written;
  },

  async merge(trx, fromUserId, toUserId, ctx) {
    for (const choice of await repo.listChoices(trx, fromUserId)) {
      const row = usable(ctx, { ...choice, user_id: toUserId });
      if (row) await keepNewer(trx, row);
    }
  },

  async rekeyTopic(trx, fromTopicId, toTopicId) {
    await repo.rekeyTopic(trx, fromTopicId, toTopicId);
  },
});
