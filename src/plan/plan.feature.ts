import type { FeatureManifest } from '../features.js';
import { planUserData } from './plan.data.js';
import { planHomeWidget } from './plan.widget.js';
import planRoutes from './plan.routes.js';
import planPages from './plan.pages.js';

/**
 * The six-month plan: scheduler-backed weekly goals that re-plan themselves, check-ins, the calendar
 * (download and private feed), their pages, the "this week" box on the home page, and the `plan`
 * export section.
 */
export const planFeature: FeatureManifest = {
  name: 'plan',
  routes: [planRoutes],
  pages: [planPages],
  userData: planUserData,
  homeWidgets: [planHomeWidget],
  nav: [{ section: 'plan', href: '/plan', label: 'Plan', order: 30 }],
};
