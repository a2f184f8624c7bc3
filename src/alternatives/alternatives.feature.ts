import type { FeatureManifest } from '../features.js';
import { alternativesUserData } from './alternatives.data.js';
import alternativesRoutes from './alternatives.routes.js';

/**
 * "Choose one of" sets: the learner's pick per set (API and the `alternatives` export section). The
 * planner and progress summaries read the picks through alternatives.service.ts.
 */
export const alternativesFeature: FeatureManifest = {
  name: 'alternatives',
  routes: [alternativesRoutes],
  userData: alternativesUserData,
};
