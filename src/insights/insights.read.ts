import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCohortTable } from '../cohorts/policy.js';
import { presentCohort, requireCohortRow } from '../cohorts/cohorts.service.js';
import { problems } from '../http/problems.js';
import { cohortInsights, type CohortInsights } from './insights.service.js';

/**
 * The one path from a request to a cohort's insights, shared by the API and the page:
 * authenticate → authorise (the cohort's mentors and admins; everyone else 404) → the roadmap
 * (one of the cohort's; its first by default) → the service.
 */
export async function insightsFor(
  app: FastifyInstance,
  request: FastifyRequest,
  cohortId: string,
  roadmapId: string | undefined,
): Promise<{ insights: CohortInsights; cohortName: string; roadmapIds: string[] }> {
  const auth = app.requireAuth(request);
  const db = app.db.kysely;
  await requireCohortTable(db, auth.user, cohortId);
  const cohort = await presentCohort(db, await requireCohortRow(db, cohortId));
  const content = app.content();
  const id = roadmapId ?? cohort.roadmapIds[0];
  const roadmap = id !== undefined && cohort.roadmapIds.includes(id) ? content.roadmaps.get(id) : undefined;
  if (!roadmap) {
    throw problems.notFound(
      'Roadmap',
      `This cohort follows: ${cohort.roadmapIds.join(', ') || 'no roadmap'}.`,
    );
  }
  const insights = await cohortInsights(db, content, cohort, roadmap, app.clock.now(), auth.user.time_zone);
  return { insights, cohortName: cohort.name, roadmapIds: cohort.roadmapIds };
}
