import type { FastifyInstance } from 'fastify';
import type { HtmlErrorRenderer } from './http/error-handler.js';
import { webFeature } from './web/web.feature.js';
import { reviewFeature } from './review/review.feature.js';
import { planFeature } from './plan/plan.feature.js';
import { dashboardFeature } from './dashboard/dashboard.feature.js';
import { projectsFeature } from './projects/projects.feature.js';
import { alternativesFeature } from './alternatives/alternatives.feature.js';

/**
 * Feature modules that plug into the app after the core API (web pages, plans, reviews…).
 * Each registers its routes and user-data sections; the web module also supplies the HTML
 * error page. Listed here so the load order stays visible in one place.
 */
export type FeatureModule = (app: FastifyInstance) => Promise<void | { renderHtmlError?: HtmlErrorRenderer }>;

export const featureModules: FeatureModule[] = [
  webFeature,
  reviewFeature,
  planFeature,
  dashboardFeature,
  projectsFeature,
  alternativesFeature,
];
