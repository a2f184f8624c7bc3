import type { FeatureManifest } from '../features.js';
import { reviewUserData } from './review.data.js';
import reviewRoutes from './review.routes.js';
import reviewPageRoutes, { reviewHomeWidget } from './review.web.js';

/**
 * Spaced-repetition review: the JSON API, the `review` export section (review.data.ts), the /review
 * page with its no-JavaScript form routes, and the "cards due" box on the home page (review.web.tsx).
 */
export const reviewFeature: FeatureManifest = {
  name: 'review',
  routes: [reviewRoutes],
  pages: [reviewPageRoutes],
  userData: reviewUserData,
  homeWidgets: [reviewHomeWidget],
  nav: [{ section: 'review', href: '/review', label: 'Review', order: 50 }],
};
