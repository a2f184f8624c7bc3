import type { FeatureManifest } from '../features.js';
import dashboardRoutes from './dashboard.routes.js';
import dashboardPages from './dashboard.pages.js';

/** The dashboard: progress per step, streaks, heatmap, the plan's burn-up and "next up" (API and page). */
export const dashboardFeature: FeatureManifest = {
  name: 'dashboard',
  routes: [dashboardRoutes],
  pages: [dashboardPages],
  nav: [{ section: 'dashboard', href: '/dashboard', label: 'Dashboard', order: 40 }],
};
