import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RoadmapIdParam } from '../http/schemas.js';
import { requireRoadmap } from '../content/content.lookup.js';
import { pageContext, sendCachedPage } from '../web/layout.js';
import { learnerOf } from '../plan/plan.routes.js';
import { getDashboard } from './dashboard.service.js';
import { DashboardPage } from './pages/dashboard.page.js';
import { verifiedProjectCount } from '../projects/projects.read.js';

/** The /dashboard page: who is asking → which roadmap → the dashboard service → a Preact page. */
export default async function dashboardPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/dashboard',
    { schema: { hide: true, querystring: Type.Object({ roadmap: Type.Optional(RoadmapIdParam) }) } },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(
        content,
        request.query.roadmap ?? content.roadmapList[0]?.id ?? 'backend',
      );
      return sendCachedPage(app, request, reply, async () => {
        const dashboard = request.auth
          ? await getDashboard(app.db, content, roadmap, learnerOf(request.auth), app.clock.now())
          : null;
        const projects = request.auth
          ? await verifiedProjectCount(app.db.kysely, content, request.auth.user.id, roadmap.id)
          : null;
        return {
          page: (
            <DashboardPage
              context={pageContext(request)}
              roadmaps={content.roadmapList}
              dashboard={dashboard}
              roadmap={roadmap}
              projects={projects}
            />
          ),
          day: dashboard ? { timeZone: dashboard.timeZone, today: dashboard.today } : null,
        };
      });
    },
  );
}
