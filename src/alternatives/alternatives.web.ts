import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RoadmapIdParam } from '../http/schemas.js';
import { problems } from '../http/problems.js';
import { requireRoadmap } from '../content/content.lookup.js';
import { chooseAlternative } from './alternatives.choose.js';
import { back } from '../web/form-flow.js';
import { safeReturnPath } from '../web/layout.js';
import * as alternatives from './alternatives.service.js';

// The no-JavaScript form behind the "Choose one of" frames on the roadmap and topic pages.

const hidden = { hide: true };

export default async function alternativesFormRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/roadmaps/:roadmapId/alternatives/:setId',
    {
      config: { changes: 'data' },
      schema: {
        ...hidden,
        params: Type.Object({ roadmapId: RoadmapIdParam, setId: RoadmapIdParam }),
        body: Type.Object({
          topicId: Type.Optional(Type.String({ maxLength: 64 })),
          return: Type.Optional(Type.String({ maxLength: 500 })),
        }),
      },
    },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const set = alternatives.requireSet(roadmap, request.params.setId);
      const topicId = request.body.topicId;
      if (!topicId) {
        throw problems.validation(`Pick one of the topics of "${set.title}".`, [
          { pointer: '/body/topicId', message: 'choose a topic' },
        ]);
      }
      const to = safeReturnPath(request.body.return, `/roadmaps/${roadmap.id}#alt-${set.id}`);
      const auth = await app.requireUserOrGuest(request, reply);
      const learner = { id: auth.user.id, timeZone: auth.user.time_zone };
      const choice = await chooseAlternative(
        app.db,
        content,
        roadmap,
        learner,
        { setId: set.id, topicId },
        app.clock.now(),
      );
      const title = content.topics.get(choice.chosenTopicId)?.title ?? choice.chosenTopicId;
      return back(reply, to, {
        kind: 'success',
        text: `“${title}” is now your choice for “${set.title}”. Your plan follows it; progress is kept.`,
      });
    },
  );
}
