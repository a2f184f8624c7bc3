import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { feedbackCohorts, requireFeedbackThread } from '../cohorts/policy.js';
import type { Db } from '../db/database.js';
import { errorResponses, RoadmapIdParam, TopicIdParam, Uuid } from '../http/schemas.js';
import { problems } from '../http/problems.js';
import * as feedback from './feedback.service.js';

// Feedback comments: mentors under /api/v1/cohorts/{cohortId}/learners/{learnerId}/feedback, the
// learner under /api/v1/me/feedback. Handlers: authenticate → validate → authorise (policy.ts) →
// service → present.

const Id = Type.String({ minLength: 1, maxLength: 64 });

const CommentSchema = Type.Object(
  {
    id: Type.String(),
    cohortId: Type.Union([Type.String(), Type.Null()]),
    roadmapId: Type.String(),
    topicId: Type.Union([Type.String(), Type.Null()]),
    runId: Type.Union([Type.String(), Type.Null()]),
    body: Type.String({ description: 'Markdown as written' }),
    html: Type.String({ description: 'Rendered Markdown: raw HTML escaped, only web/mail/relative links' }),
    author: Type.Object({
      role: Type.Union([Type.Literal('mentor'), Type.Literal('learner')]),
      name: Type.String({ description: 'Their name in the cohort ("You" for your own); never an email' }),
    }),
    mine: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    read: Type.Boolean({ description: 'Seen by the learner' }),
  },
  { $id: 'FeedbackComment', title: 'FeedbackComment' },
);

const ThreadQuery = Type.Object({ topicId: Type.Optional(TopicIdParam), runId: Type.Optional(Uuid) });
const Target = {
  roadmapId: Type.Optional(RoadmapIdParam),
  topicId: Type.Optional(TopicIdParam),
  runId: Type.Optional(Uuid),
  body: Type.String({ maxLength: feedback.COMMENT_MAX * 2, description: 'Markdown' }),
};
const LearnerParams = Type.Object({ cohortId: Id, learnerId: Id });

/** Stores a comment and tells the learner's open pages and streams (every instance) that it arrived. */
export function writeComment(db: Db, input: Parameters<typeof feedback.addComment>[1]) {
  return db.write((trx) => feedback.addComment(trx, input), { userId: input.learnerId, scope: 'data' });
}

export default async function feedbackRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(CommentSchema);
  const db = () => app.db.kysely;
  const now = () => app.clock.now().toISOString();

  app.get(
    '/api/v1/cohorts/:cohortId/learners/:learnerId/feedback',
    {
      schema: {
        operationId: 'listLearnerFeedback',
        tags: ['cohorts'],
        summary: "A learner's feedback thread in this cohort (mentors of the cohort), oldest first",
        params: LearnerParams,
        querystring: ThreadQuery,
        response: {
          200: Type.Object({ comments: Type.Array(Type.Ref('FeedbackComment')) }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const { cohortId, learnerId } = request.params;
      await requireFeedbackThread(db(), auth.user, learnerId, cohortId);
      const comments = await feedback.listThread(db(), auth.user.id, {
        learnerId,
        cohortIds: [cohortId],
        ...request.query,
      });
      return { comments };
    },
  );

  app.post(
    '/api/v1/cohorts/:cohortId/learners/:learnerId/feedback',
    {
      schema: {
        operationId: 'createLearnerFeedback',
        tags: ['cohorts'],
        summary: "Comment on a learner's topic or project run (Markdown; mentors of the cohort)",
        params: LearnerParams,
        body: Type.Object(Target, { additionalProperties: false }),
        response: { 201: Type.Ref('FeedbackComment'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const { cohortId, learnerId } = request.params;
      await requireFeedbackThread(db(), auth.user, learnerId, cohortId);
      const target = await feedback.resolveTarget(db(), app.content(), learnerId, request.body);
      const comment = await writeComment(app.db, {
        learnerId,
        authorId: auth.user.id,
        cohortId,
        target,
        body: request.body.body,
        now: now(),
      });
      return reply.code(201).send(comment);
    },
  );

  app.get(
    '/api/v1/me/feedback',
    {
      schema: {
        operationId: 'listMyFeedback',
        tags: ['me'],
        summary:
          "Your mentors' feedback and your replies (one topic's or run's, or all), and how many are unread",
        querystring: ThreadQuery,
        response: {
          200: Type.Object({
            unread: Type.Integer({ minimum: 0 }),
            comments: Type.Array(Type.Ref('FeedbackComment')),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const learnerId = auth.user.id;
      const [comments, unread] = await Promise.all([
        feedback.listThread(db(), learnerId, { learnerId, ...request.query }),
        feedback.unreadCount(db(), learnerId),
      ]);
      return { unread, comments };
    },
  );

  app.post(
    '/api/v1/me/feedback',
    {
      schema: {
        operationId: 'replyToFeedback',
        tags: ['me'],
        summary:
          "Reply to your mentors on a topic or run (to the thread's cohort, or the one you name); marks the thread read",
        body: Type.Object({ ...Target, cohortId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 201: Type.Ref('FeedbackComment'), ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const learnerId = auth.user.id;
      const target = await feedback.resolveTarget(db(), app.content(), learnerId, request.body);
      const allowed = await feedbackCohorts(db(), auth.user, learnerId);
      const cohortId = await feedback.replyCohort(db(), learnerId, allowed, target, request.body.cohortId);
      const comment = await writeComment(app.db, {
        learnerId,
        authorId: learnerId,
        cohortId,
        target,
        body: request.body.body,
        now: now(),
      });
      return reply.code(201).send(comment);
    },
  );

  app.post(
    '/api/v1/me/feedback/read',
    {
      schema: {
        operationId: 'markFeedbackRead',
        tags: ['me'],
        summary: "Mark your mentors' comments as read: one topic's, one run's, or all",
        body: Type.Object(
          { topicId: Type.Optional(TopicIdParam), runId: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ unread: Type.Integer({ minimum: 0 }) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      if (request.body.topicId !== undefined && request.body.runId !== undefined) {
        throw problems.validation('Give a topicId, a runId, or neither (all).', [
          { pointer: '/body/runId', message: 'give only one of topicId and runId' },
        ]);
      }
      const unread = await app.db.write((trx) => feedback.markRead(trx, auth.user.id, now(), request.body), {
        userId: auth.user.id,
        scope: 'data',
      });
      return { unread };
    },
  );
}
