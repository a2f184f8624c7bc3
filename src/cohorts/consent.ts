// What joining a cohort shares, in words: the one text the consent screen, the API and the README use.

import type { CohortRow } from '../db/schema.js';

export function mentorsSee(): string[] {
  return [
    'the display name you choose here',
    'your status (pending, learning, done, skipped) on each topic of the cohort’s roadmaps',
    'your plan status — on track, ahead or behind by how many hours — and forecast finish',
    'the days you were active and your current streak',
    'your verified projects and your project check runs with their evidence',
    'how many review cards you have due',
  ];
}

export function mentorsNeverSee(cohort: Pick<CohortRow, 'requires_email'>): string[] {
  return [
    'your notes — unless you share a particular note with your mentors',
    'your weekly check-in reflections — unless you choose to share them',
    ...(cohort.requires_email === 1 ? [] : ['your email address']),
    'your password, sessions and API tokens',
  ];
}

/** Said on the consent screen when the cohort requires the email address. */
export function emailNotice(cohort: Pick<CohortRow, 'requires_email'>): string | null {
  return cohort.requires_email === 1
    ? 'This cohort requires your email address: its mentors and admins will see it.'
    : null;
}
