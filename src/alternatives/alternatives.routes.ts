import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Content } from '../content/content.types.js';
import { errorResponses, RoadmapIdParam, TopicIdParam } from '../http/schemas.js';
import { requireRoadmap } from '../content/content.lookup.js';
import { chooseAlternative } from './alternatives.choose.js';
import * as alternatives from './alternatives.service.js';

const SetIdParam = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 64,
  description: 'Stable id of an alternative set',
});

const AlternativeSetSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    summary: Type.String(),
    required: Type.Boolean({ description: 'On the required path: exactly one member is planned' }),
    defaultTopicId: Type.String(),
    topics: Type.Array(
      Type.Object({ id: Type.String(), title: Type.String(), estimateHours: Type.Number() }),
    ),
    chosenTopicId: Type.String({ description: 'Your pick, or the default until you choose' }),
    chosenByLearner: Type.Boolean(),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'AlternativeSet', title: 'AlternativeSet' },
);

const params = Type.Object({ roadmapId: RoadmapIdParam, setId: SetIdParam });

function present(content: Content, choice: alternatives.SetChoice) {
  const { set } = choice;
  return {
    id: set.id,
    title: set.title,
    summary: set.summary,
    required: set.required,
    defaultTopicId: set.defaultTopicId,
    topics: set.topicIds.map((id) => {
      const topic = content.topics.get(id);
      return { id, title: topic?.title ?? id, estimateHours: topic?.estimateHours ?? 0 };
    }),
    chosenTopicId: choice.chosenTopicId,
    chosenByLearner: choice.chosenByLearner,
    updatedAt: choice.updatedAt,
  };
}

/** "Choose one of" sets of a roadmap and the caller's pick in each. */
export default async function alternativesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(AlternativeSetSchema);
  const db = () => app.db.kysely;

  app.get(
    '/api/v1/roadmaps/:roadmapId/alternatives',
    {
      schema: {
        operationId: 'listAlternativeSets',
        tags: ['alternatives'],
        summary: 'The roadmap\'s "choose one of" sets, with your pick in each (defaults without one)',
        params: Type.Object({ roadmapId: RoadmapIdParam }),
        response: {
          200: Type.Object({ sets: Type.Array(Type.Ref('AlternativeSet')) }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const choices = await alternatives.listSetChoices(db(), roadmap, request.auth?.user.id ?? null);
      return { sets: choices.map((choice) => present(content, choice)) };
    },
  );

  app.get(
    '/api/v1/roadmaps/:roadmapId/alternatives/:setId',
    {
      schema: {
        operationId: 'getAlternativeSet',
        tags: ['alternatives'],
        summary: 'One "choose one of" set and your pick in it',
        params,
        response: { 200: Type.Ref('AlternativeSet'), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      alternatives.requireSet(roadmap, request.params.setId);
      const choices = await alternatives.listSetChoices(db(), roadmap, request.auth?.user.id ?? null);
      const choice = choices.find((candidate) => candidate.set.id === request.params.setId)!;
      return present(content, choice);
    },
  );

  app.put(
    '/api/v1/roadmaps/:roadmapId/alternatives/:setId',
    {
      config: { changes: 'data' },
      schema: {
        operationId: 'chooseAlternative',
        tags: ['alternatives'],
        summary:
          'Choose one topic of a set (null: back to the default). Your plan, if any, is re-planned; progress is kept',
        params,
        body: Type.Object(
          { topicId: Type.Union([TopicIdParam, Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('AlternativeSet'), ...errorResponses(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      alternatives.requireSet(roadmap, request.params.setId);
      const auth = await app.requireUserOrGuest(request, reply);
      const learner = { id: auth.user.id, timeZone: auth.user.time_zone };
      const { setId } = request.params;
      const choice = await chooseAlternative(
        app.db,
        content,
        roadmap,
        learner,
        { setId, topicId: request.body.topicId },
        app.clock.now(),
      );
      return present(content, choice);
    },
  );
}
