import type { FastifyInstance } from 'fastify';
import './review.data.js';
import reviewRoutes from './review.routes.js';
import reviewPageRoutes from './review.web.js';

/**
 * Spaced-repetition review: the JSON API, the `review` export section (review.data.ts), the /review
 * page with its no-JavaScript form routes, and the "cards due" box on the home page (review.web.tsx).
 */
export async function reviewFeature(app: FastifyInstance): Promise<void> {
  await app.register(reviewRoutes);
  await app.register(reviewPageRoutes);
}
