import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses, RoadmapIdParam } from '../http/schemas.js';
import { requireRoadmap } from '../content/content.lookup.js';
import { FeasibilitySchema } from '../plan/plan.schemas.js';
import { learnerOf } from '../plan/plan.routes.js';
import { DashboardSchema } from './dashboard.schemas.js';
import { getDashboard } from './dashboard.service.js';
import { sendCachedJson } from '../http/cached-response.js';

/** The dashboard API: authenticate → validate → find the roadmap → the dashboard service → present. */
export default async function dashboardRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(FeasibilitySchema);
  app.addSchema(DashboardSchema);

  app.get(
    '/api/v1/dashboard',
    {
      schema: {
        operationId: 'getDashboard',
        tags: ['plan'],
        summary:
          'Your dashboard: progress per step, streaks, activity heatmap, burn-up and what to study next',
        querystring: Type.Object(
          { roadmapId: Type.Optional(RoadmapIdParam) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Dashboard'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const content = app.content();
      const roadmap = requireRoadmap(
        content,
        request.query.roadmapId ?? content.roadmapList[0]?.id ?? 'backend',
      );
      return sendCachedJson(app, request, reply, `dashboard\u0000${roadmap.id}`, async () => {
        const dashboard = await getDashboard(app.db, content, roadmap, learnerOf(auth), app.clock.now());
        return { value: dashboard, day: { timeZone: dashboard.timeZone, today: dashboard.today } };
      });
    },
  );
}
