import type { FeatureManifest } from '../features.js';
import { feedbackUserData } from './feedback.data.js';
import feedbackRoutes from './feedback.routes.js';
import feedbackPages, {
  feedbackHomeWidget,
  feedbackRunSection,
  feedbackTopicSection,
} from './feedback.web.js';

/**
 * Mentors' feedback on a learner's topics and project runs, and the learner's replies: the API, the
 * topic-page section, the home count of unread comments, the /feedback page, the mentor's page for a
 * learner, and the `feedback` export section. Who may read and write: src/cohorts/policy.ts.
 */
export const feedbackFeature: FeatureManifest = {
  name: 'feedback',
  routes: [feedbackRoutes],
  pages: [feedbackPages],
  userData: feedbackUserData,
  homeWidgets: [feedbackHomeWidget],
  topicSections: [feedbackTopicSection],
  runSections: [feedbackRunSection],
};
