import type { FastifyInstance } from 'fastify';
import './alternatives.data.js';
import alternativesRoutes from './alternatives.routes.js';

/**
 * "Choose one of" sets: the learner's pick per set (API and the `alternatives` export section). The
 * planner and progress summaries read the picks through alternatives.service.ts.
 */
export async function alternativesFeature(app: FastifyInstance): Promise<void> {
  await app.register(alternativesRoutes);
}
