import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses, RoadmapIdParam } from '../http/schemas.js';
import { insightsFor } from './insights.read.js';

// GET /api/v1/cohorts/{cohortId}/insights: where the cohort gets stuck and its burn-up.

const Num = Type.Number();
const Topic = { topicId: Type.String(), title: Type.String() };

const InsightsSchema = Type.Object(
  {
    cohortId: Type.String(),
    roadmapId: Type.String(),
    roadmapTitle: Type.String(),
    learners: Type.Integer(),
    today: Type.String({ format: 'date' }),
    stuck: Type.Array(
      Type.Object({ ...Topic, learners: Type.Integer(), medianDays: Num, longestDays: Num }),
      { description: 'Topics held longest in `learning` now (median days across the learners holding them)' },
    ),
    lowestCompletion: Type.Array(
      Type.Object({ ...Topic, finished: Type.Integer(), percent: Type.Integer() }),
      { description: 'Required topics the fewest learners finished (done or skipped)' },
    ),
    failedChecks: Type.Array(
      Type.Object({
        projectId: Type.String(),
        title: Type.String(),
        runs: Type.Integer(),
        failedRuns: Type.Integer(),
        failedChecks: Type.Integer(),
      }),
      { description: "The roadmap's projects with the most failed checks in the learners' finished runs" },
    ),
    burnup: Type.Object({
      requiredHours: Num,
      weeks: Type.Array(
        Type.Object({
          week: Type.Integer({ minimum: 1 }),
          date: Type.String({ format: 'date' }),
          planned: Num,
          actual: Type.Union([
            Type.Object({ median: Num, p25: Num, p75: Num, min: Num, max: Num }),
            Type.Null(),
          ]),
        }),
      ),
    }),
  },
  { $id: 'CohortInsights', title: 'CohortInsights' },
);

export default async function insightsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(InsightsSchema);
  app.get(
    '/api/v1/cohorts/:cohortId/insights',
    {
      schema: {
        operationId: 'getCohortInsights',
        tags: ['cohorts'],
        summary:
          "Where the cohort gets stuck (longest in learning, lowest completion, most failed checks) and its burn-up against the cohort's plan (mentors and admins)",
        params: Type.Object({ cohortId: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ roadmapId: Type.Optional(RoadmapIdParam) }),
        response: { 200: Type.Ref('CohortInsights'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      (await insightsFor(app, request, request.params.cohortId, request.query.roadmapId)).insights,
  );
}
