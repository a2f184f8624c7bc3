import type { FeatureManifest } from '../features.js';
import insightsRoutes from './insights.routes.js';
import insightsPages from './insights.web.js';

/**
 * Cohort insight for mentors: where the cohort gets stuck and its burn-up against the cohort plan
 * (`GET /api/v1/cohorts/{cohortId}/insights`, the page `/cohorts/{cohortId}/insights`). Read-only; it
 * stores nothing, so it has no export section. Who may see it: policy.ts `requireCohortTable`.
 */
export const insightsFeature: FeatureManifest = {
  name: 'insights',
  routes: [insightsRoutes],
  pages: [insightsPages],
};
