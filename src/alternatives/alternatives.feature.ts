import type { FeatureManifest } from '../features.js';
import { alternativesUserData } from './alternatives.data.js';
import alternativesRoutes from './alternatives.routes.js';
import alternativesFormRoutes from './alternatives.web.js';

/**
 * "Choose one of" sets: the learner's pick per set (API, the no-JavaScript form, and the `alternatives` export section). The
 * planner and progress summaries read the picks through alternatives.service.ts.
 */
export const alternativesFeature: FeatureManifest = {
  name: 'alternatives',
  routes: [alternativesRoutes, alternativesFormRoutes],
  userData: alternativesUserData,
};
