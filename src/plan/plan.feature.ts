import type { FastifyInstance } from 'fastify';
import './plan.data.js';
import planRoutes from './plan.routes.js';
import planPages from './plan.pages.js';

/**
 * The six-month plan: scheduler-backed weekly goals that re-plan themselves, check-ins, the calendar
 * (download and private feed), the dashboard, their pages, and the `plan` export section.
 */
export async function planFeature(app: FastifyInstance): Promise<void> {
  await app.register(planRoutes);
  await app.register(planPages);
}
