import type { FeatureManifest } from '../features.js';
import { cohortsUserData } from './cohorts.data.js';
import cohortsRoutes from './cohorts.routes.js';
import cohortTableRoutes from './table.routes.js';
import cohortPages from './cohorts.pages.js';
import sharingForms, { noteSharingSection } from './sharing.web.js';
import { SummaryRefresher } from './refresher.js';
import { cohortSubjectPrefix } from './summaries.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Recomputes cohort learners' summary rows after their writes (src/cohorts/refresher.ts). */
    cohortSummaries: SummaryRefresher;
  }
}

/**
 * Cohorts and mentors (issue 11): admins create cohorts and invite links, learners join with
 * consent, mentors follow their cohort's table. Every authorisation rule is in policy.ts.
 */
export const cohortsFeature: FeatureManifest = {
  name: 'cohorts',
  routes: [cohortsRoutes, cohortTableRoutes],
  pages: [cohortPages, sharingForms],
  topicSections: [noteSharingSection],
  nav: [{ section: 'cohorts', href: '/cohorts', label: 'Cohorts', order: 65 }],
  userData: cohortsUserData,
  setup(app) {
    const refresher = new SummaryRefresher(app.db, () => app.content(), app.clock, app.log);
    app.decorate('cohortSummaries', refresher);
    app.events.onOwnWrite((userId, event) => {
      if (userId.startsWith(cohortSubjectPrefix) || event.type === 'deleted') return;
      refresher.schedule(userId);
    });
    app.addHook('onClose', async () => refresher.stop());
  },
};
