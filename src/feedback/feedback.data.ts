// Feedback on the learner's learning (mentors' comments and the learner's replies), as the
// `feedback` section of the export. Import is idempotent by comment id; a comment whose author has
// no account on this server is skipped (its author cannot be named here), and so is one on a topic
// this server does not know. Account deletion removes the learner's threads and everything a
// deleted mentor wrote (foreign keys, cascade).

import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection } from '../account/user-data.js';
import * as repo from './feedback.repository.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const FeedbackExport = Type.Object(
  {
    comments: Type.Array(
      Type.Object(
        {
          id: Id,
          authorId: Id,
          byLearner: Type.Boolean({ description: 'A reply by the learner (the author is the learner)' }),
          cohortId: Nullable(Id),
          roadmapId: Id,
          topicId: Nullable(Id),
          runId: Nullable(Id),
          body: Type.String({ maxLength: 20_000 }),
          createdAt: Type.String({ format: 'date-time' }),
          readAt: Nullable(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20_000 },
    ),
  },
  { additionalProperties: false },
);
export type FeedbackExport = Static<typeof FeedbackExport>;

export const feedbackUserData = defineUserDataSection({
  name: 'feedback',
  schema: FeedbackExport,
  async export(db, userId): Promise<FeedbackExport> {
    const rows = await repo.listForLearner(db, userId);
    return {
      comments: rows.map((row) => ({
        id: row.id,
        authorId: row.author_id,
        byLearner: row.author_id === userId,
        cohortId: row.cohort_id,
        roadmapId: row.roadmap_id,
        topicId: row.topic_id,
        runId: row.run_id,
        body: row.body,
        createdAt: row.created_at,
        readAt: row.read_at,
      })),
    };
  },

  async import(trx, userId, data, ctx) {
    const authors = await repo.existingUsers(trx, [
      ...new Set(data.comments.filter((c) => !c.byLearner).map((c) => c.authorId)),
    ]);
    let written = 0;
    for (const c of data.comments) {
      const authorId = c.byLearner ? userId : c.authorId;
      if (!c.byLearner && (!authors.has(authorId) || authorId === userId)) continue;
      const topicId = c.topicId === null ? null : ctx.canonicalTopicId(c.topicId);
      if (c.topicId !== null && topicId === null) continue;
      const existing = await repo.findComment(trx, c.id);
      if (existing) continue;
      await repo.insertComment(trx, {
        id: c.id,
        learner_id: userId,
        author_id: authorId,
        cohort_id: c.cohortId,
        roadmap_id: c.roadmapId,
        topic_id: topicId,
        run_id: c.runId,
        body: c.body,
        created_at: new Date(c.createdAt).toISOString(),
        read_at: c.readAt === null ? null : new Date(c.readAt).toISOString(),
      });
      written += 1;
    }
    return written;
  },

  async merge(trx, fromUserId, toUserId) {
    await repo.reassignLearner(trx, fromUserId, toUserId);
  },

  async rekeyTopic(trx, fromTopicId, toTopicId) {
    await repo.rekeyTopic(trx, fromTopicId, toTopicId);
  },
});
