import type { FastifyInstance } from 'fastify';
import dashboardRoutes from './dashboard.routes.js';
import dashboardPages from './dashboard.pages.js';

/** The dashboard: progress per step, streaks, heatmap, the plan's burn-up and "next up" (API and page). */
export async function dashboardFeature(app: FastifyInstance): Promise<void> {
  await app.register(dashboardRoutes);
  await app.register(dashboardPages);
}
