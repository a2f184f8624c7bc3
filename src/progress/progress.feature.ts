import type { FeatureManifest } from '../features.js';
import { progressUserData } from './progress.data.js';
import progressRoutes from './progress.routes.js';

/** Topic statuses, notes, checklist ticks and the activity log: the API and the `progress` export section. */
export const progressFeature: FeatureManifest = {
  name: 'progress',
  routes: [progressRoutes],
  userData: progressUserData,
};
