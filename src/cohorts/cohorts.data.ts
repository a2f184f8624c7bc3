// Cohort memberships and shared notes as the `cohorts` section of the export. Import brings back
// learner memberships of cohorts that exist on this server (the export records the learner's
// consent) and never a mentor role — mentors are appointed by an admin, not by a file. Account
// deletion removes both through the users foreign key (cascade).

import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection } from '../account/user-data.js';
import type { Queryable } from '../db/types.js';
import * as repo from './cohorts.repository.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const CohortsExport = Type.Object(
  {
    memberships: Type.Array(
      Type.Object(
        {
          cohortId: Id,
          cohortName: Type.String({ maxLength: 200 }),
          role: Type.Union([Type.Literal('learner'), Type.Literal('mentor')]),
          displayName: Type.String({ minLength: 1, maxLength: 80 }),
          shareReflections: Type.Boolean(),
          consentedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          joinedAt: Type.String({ format: 'date-time' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
    sharedNotes: Type.Array(
      Type.Object(
        { topicId: Id, sharedAt: Type.String({ format: 'date-time' }) },
        { additionalProperties: false },
      ),
      { maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);
export type CohortsExport = Static<typeof CohortsExport>;

export const cohortsUserData = defineUserDataSection({
  name: 'cohorts',
  schema: CohortsExport,
  async export(db: Queryable, userId: string): Promise<CohortsExport> {
    const memberships = await repo.listMembershipsOf(db, userId);
    const notes = await repo.listSharedNotes(db, userId);
    return {
      memberships: memberships.map((m) => ({
        cohortId: m.cohort_id,
        cohortName: m.cohort_name,
        role: m.role,
        displayName: m.display_name,
        shareReflections: m.share_reflections === 1,
        consentedAt: m.consented_at,
        joinedAt: m.joined_at,
      })),
      sharedNotes: notes.map((n) => ({ topicId: n.topic_id, sharedAt: n.shared_at })),
    };
  },

  async import(trx, userId, data, ctx) {
    let written = 0;
    for (const m of data.memberships) {
      if (m.role !== 'learner' || m.consentedAt === null) continue;
      if (!(await repo.findCohort(trx, m.cohortId))) continue;
      if (await repo.findMembership(trx, m.cohortId, userId)) continue;
      const member = {
        cohort_id: m.cohortId,
        user_id: userId,
        role: 'learner' as const,
        display_name: m.displayName,
        share_reflections: m.shareReflections ? 1 : 0,
        consented_at: new Date(m.consentedAt).toISOString(),
        joined_at: new Date(m.joinedAt).toISOString(),
      };
      await repo.putMember(trx, member);
      await repo.insertEmptySummaries(trx, member, await repo.listCohortRoadmaps(trx, m.cohortId), ctx.now);
      written += 1;
    }
    for (const note of data.sharedNotes) {
      const topicId = ctx.canonicalTopicId(note.topicId);
      if (topicId === null || (await repo.isNoteShared(trx, userId, topicId))) continue;
      await repo.setNoteShared(trx, userId, topicId, new Date(note.sharedAt).toISOString());
      written += 1;
    }
    return written;
  },

  async merge(trx, fromUserId, toUserId) {
    // Guests cannot join cohorts; only the notes they chose to share move over.
    for (const note of await repo.listSharedNotes(trx, fromUserId)) {
      await repo.setNoteShared(trx, toUserId, note.topic_id, note.shared_at);
    }
  },

  async rekeyTopic(trx, fromTopicId, toTopicId) {
    await repo.rekeySharedNotes(trx, fromTopicId, toTopicId);
  },
});
