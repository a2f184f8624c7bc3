import type { FeatureManifest } from '../features.js';
import { cohortsUserData } from './cohorts.data.js';

/**
 * Cohorts and mentors (issue 11): admins create cohorts and invite links, learners join with
 * consent, mentors follow their cohort's table. Every authorisation rule is in policy.ts.
 */
export const cohortsFeature: FeatureManifest = {
  name: 'cohorts',
  userData: cohortsUserData,
};
