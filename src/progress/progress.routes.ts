import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses, RoadmapIdParam, textResponse, TopicIdParam } from '../http/schemas.js';
import { presentRoadmap, presentRoadmapSummary, presentTopic } from '../roadmaps/roadmaps.presenter.js';
import {
  RoadmapSchema,
  RoadmapSummarySchema,
  TopicSchema,
  TopicSummarySchema,
} from '../roadmaps/roadmaps.schemas.js';
import * as progress from './progress.service.js';
import { projectsProvingTopic } from '../projects/projects.service.js';
import { progressCsv, roadmapChecklistMarkdown } from './progress.formats.js';
import { requireRoadmap, requireTopic } from '../content/content.lookup.js';
import { choicesFor } from '../alternatives/alternatives.service.js';

const StatusSchema = Type.Union(
  progress.STATUSES.map((s) => Type.Literal(s)),
  { description: 'pending | learning | done | skipped' },
);

const Counts = {
  total: Type.Integer(),
  pending: Type.Integer(),
  learning: Type.Integer(),
  done: Type.Integer(),
  skipped: Type.Integer(),
  percent: Type.Integer({ description: '(done + skipped) / total, rounded down' }),
  hoursTotal: Type.Number(),
  hoursDone: Type.Number(),
};

const SummarySchema = Type.Object(
  {
    roadmapId: Type.String(),
    ...Counts,
    steps: Type.Array(Type.Object({ stepId: Type.String(), title: Type.String(), ...Counts })),
  },
  { $id: 'ProgressSummary', title: 'ProgressSummary' },
);

const TopicProgressSchema = Type.Object(
  {
    topicId: Type.String(),
    status: StatusSchema,
    note: Type.String(),
    updatedAt: Type.Union([Type.String(), Type.Null()]),
    statusChangedAt: Type.Union([Type.String(), Type.Null()]),
    checklist: Type.Array(Type.String(), { description: 'Ids of the ticked checklist items' }),
  },
  { $id: 'TopicProgress', title: 'TopicProgress' },
);

/** Roadmaps, topics and the caller's progress on them. */
export default async function progressRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(SummarySchema);
  app.addSchema(TopicProgressSchema);
  app.addSchema(TopicSummarySchema);
  const yourSummary = Type.Union([Type.Ref('ProgressSummary'), Type.Null()], {
    description: 'Your progress (null when you have no session)',
  });
  const db = () => app.db.kysely;
  const now = () => app.clock.now().toISOString();
  const changeTopic = (userId: string, topicId: string, change: progress.ProgressChange) =>
    // One statement on PostgreSQL (one round trip, no BEGIN/COMMIT); the group commit on SQLite.
    app.db.writeStatement(
      (trx) => progress.setTopicProgress(trx, app.content(), userId, topicId, change, now()),
      { userId: userId, scope: 'data' },
    );

  app.get(
    '/api/v1/roadmaps',
    {
      schema: {
        operationId: 'listRoadmaps',
        tags: ['roadmaps'],
        summary: 'Roadmaps on this server, with your progress',
        response: {
          200: Type.Object({
            roadmaps: Type.Array(Type.Object({ ...RoadmapSummarySchema.properties, progress: yourSummary })),
          }),
          ...errorResponses(431),
        },
      },
    },
    async (request) => {
      const content = app.content();
      const userId = request.auth?.user.id ?? null;
      const rows = await progress.statusMap(db(), userId, undefined, app.progressCache);
      return {
        roadmaps: content.roadmapList.map((roadmap) => ({
          ...presentRoadmapSummary(roadmap),
          progress: userId ? progress.summarize(content, roadmap, rows) : null,
        })),
      };
    },
  );

  app.get(
    '/api/v1/roadmaps/:roadmapId',
    {
      schema: {
        operationId: 'getRoadmap',
        tags: ['roadmaps'],
        summary: 'A roadmap: steps, groups, topics and prerequisites, plus your progress',
        params: Type.Object({ roadmapId: RoadmapIdParam }),
        response: {
          200: Type.Object(
            {
              ...RoadmapSchema.properties,
              progress: yourSummary,
              statuses: Type.Record(Type.String(), StatusSchema, {
                description: 'Your status per topic id (topics without one are pending)',
              }),
            },
            { title: 'RoadmapWithProgress' },
          ),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const userId = request.auth?.user.id ?? null;
      const rows = await progress.statusMap(db(), userId, roadmap.topicIds, app.progressCache);
      return {
        ...presentRoadmap(content, roadmap),
        progress: userId ? progress.summarize(content, roadmap, rows) : null,
        statuses: Object.fromEntries([...rows.values()].map((r) => [r.topic_id, r.status])),
      };
    },
  );

  app.get(
    '/api/v1/topics/:topicId',
    {
      schema: {
        operationId: 'getTopic',
        tags: ['roadmaps'],
        summary: 'A topic: description, checklist, resources, and your status and note',
        params: Type.Object({ topicId: TopicIdParam }),
        response: {
          200: Type.Object(
            {
              ...TopicSchema.properties,
              progress: Type.Ref('TopicProgress'),
              verifiedBy: Type.Array(Type.String(), {
                description: 'Ids of your verified projects that prove this topic',
              }),
            },
            { title: 'TopicWithProgress' },
          ),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const topic = requireTopic(app.content(), request.params.topicId);
      const userId = request.auth?.user.id ?? null;
      return {
        ...presentTopic(topic),
        progress: await progress.getTopicProgress(db(), userId, topic),
        // Proof, distinct from the status the learner sets: projects they verified that prove this topic.
        verifiedBy: userId ? await projectsProvingTopic(db(), app.content(), userId, topic.id) : [],
      };
    },
  );

  app.get(
    '/api/v1/roadmaps/:roadmapId/progress',
    {
      schema: {
        operationId: 'getRoadmapProgress',
        tags: ['progress'],
        summary: 'Your progress on a roadmap',
        params: Type.Object({ roadmapId: RoadmapIdParam }),
        response: {
          200: Type.Object({
            summary: Type.Ref('ProgressSummary'),
            topics: Type.Array(Type.Ref('TopicProgress')),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const cacheKey = `progress:${roadmap.id}:${content.version}`;
      reply.type('application/json; charset=utf-8');
      const cached = await app.progressCache.view(auth.user.id, cacheKey);
      // Pre-serialised bytes are sent as-is (Fastify skips the serializer for buffers); the type
      // provider only knows the object form, hence the casts.
      if (cached !== undefined) return reply.send(cached as never);
      const all = await progress.statusMap(db(), auth.user.id, undefined, app.progressCache);
      const rows = progress.onlyTopics(all, roadmap.topicIds);
      const ticks = await progress.tickMap(db(), auth.user.id, app.progressCache);
      // Serialised once and cached per user until their data changes (see ProgressCache).
      const body = Buffer.from(
        JSON.stringify({
          summary: progress.summarize(content, roadmap, rows),
          topics: [...rows.values()].map((row) =>
            progress.present(row, row.topic_id, ticks.get(row.topic_id) ?? []),
          ),
        }),
      );
      await app.progressCache.setView(auth.user.id, cacheKey, body, all);
      return reply.send(body as never);
    },
  );

  app.put(
    '/api/v1/topics/:topicId/progress',
    {
      schema: {
        operationId: 'setTopicProgress',
        tags: ['progress'],
        summary: "Set a topic's status and (optionally) your private note",
        params: Type.Object({ topicId: TopicIdParam }),
        body: Type.Object(
          { status: StatusSchema, note: Type.Optional(Type.String({ maxLength: progress.NOTE_MAX_LENGTH })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('TopicProgress'), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const auth = await app.requireUserOrGuest(request, reply);
      return changeTopic(auth.user.id, request.params.topicId, request.body);
    },
  );

  app.put(
    '/api/v1/topics/:topicId/note',
    {
      schema: {
        operationId: 'setTopicNote',
        tags: ['progress'],
        summary: 'Save your private Markdown note on a topic (status unchanged)',
        params: Type.Object({ topicId: TopicIdParam }),
        body: Type.Object(
          { note: Type.String({ maxLength: progress.NOTE_MAX_LENGTH }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('TopicProgress'), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const auth = await app.requireUserOrGuest(request, reply);
      return changeTopic(auth.user.id, request.params.topicId, { note: request.body.note });
    },
  );

  app.put(
    '/api/v1/topics/:topicId/checklist/:itemId',
    {
      schema: {
        operationId: 'setChecklistItem',
        tags: ['progress'],
        summary: 'Tick or untick a key concept (ticking moves a pending topic to learning)',
        params: Type.Object({ topicId: TopicIdParam, itemId: Type.String({ minLength: 1, maxLength: 80 }) }),
        body: Type.Object({ done: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Type.Ref('TopicProgress'), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const auth = await app.requireUserOrGuest(request, reply);
      const { topicId, itemId } = request.params;
      return app.db.write(
        (trx) =>
          progress.setChecklistItem(
            trx,
            app.content(),
            auth.user.id,
            topicId,
            itemId,
            request.body.done,
            now(),
          ),
        { userId: auth.user.id, scope: 'data' },
      );
    },
  );

  app.delete(
    '/api/v1/roadmaps/:roadmapId/progress',
    {
      schema: {
        operationId: 'resetRoadmapProgress',
        tags: ['progress'],
        summary: 'Reset a roadmap: every topic back to pending (notes are kept)',
        params: Type.Object({ roadmapId: RoadmapIdParam }),
        response: {
          200: Type.Object({ reset: Type.Integer({ description: 'How many topics changed' }) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      const reset = await app.db.write((trx) => progress.resetRoadmap(trx, roadmap, auth.user.id, now()), {
        userId: auth.user.id,
        scope: 'data',
      });
      return { reset };
    },
  );

  app.get(
    '/api/v1/roadmaps/:roadmapId/checklist.md',
    {
      schema: {
        operationId: 'downloadRoadmapChecklist',
        tags: ['progress'],
        summary: 'The roadmap as a Markdown checklist with your statuses',
        params: Type.Object({ roadmapId: RoadmapIdParam }),
        response: { 200: textResponse('text/markdown', 'A Markdown checklist'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const userId = request.auth?.user.id ?? null;
      const [rows, choices] = await Promise.all([
        progress.statusMap(db(), userId, roadmap.topicIds, app.progressCache),
        choicesFor(db(), roadmap, userId),
      ]);
      reply.type('text/markdown; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="waymark-${roadmap.id}-checklist.md"`);
      return roadmapChecklistMarkdown(content, roadmap, rows, choices);
    },
  );

  app.get(
    '/api/v1/me/export.csv',
    {
      schema: {
        operationId: 'exportProgressCsv',
        tags: ['me'],
        summary: 'Your progress and notes on every topic as CSV',
        response: { 200: textResponse('text/csv', 'One row per topic'), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const rows = await progress.statusMap(db(), auth.user.id, undefined, app.progressCache);
      const content = app.content();
      const choices = new Map(
        await Promise.all(
          content.roadmapList.map(
            async (roadmap) => [roadmap.id, await choicesFor(db(), roadmap, auth.user.id)] as const,
          ),
        ),
      );
      reply.type('text/csv; charset=utf-8');
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', 'attachment; filename="waymark-progress.csv"');
      return reply.send(Readable.from(progressCsv(content, rows, choices)));
    },
  );
}
