// What joining a cohort shares, in words: the one text the consent screen, the API and the README use.

import type { CohortRow } from '../db/schema.js';

export function mentorsSee(): string[] {
  return [
    'the display name you choose here',
    'your status (pending, learning, done, skipped) on each topic of the cohort’s roadmaps, and since when a topic has been in learning',
    'your plan status — on track, ahead or behind by how many hours — and forecast finish, and for each week so far how many of its goals you finished',
    'the last day you were active and your current streak',
    'your verified projects and your project check runs with their results',
    'how many review cards you have due',
    'what you write to them (questions and replies on topics and project runs)',
  ];
}

export function mentorsNeverSee(cohort: Pick<CohortRow, 'requires_email'>): string[] {
  return [
    'your notes — unless you share a particular note with your mentors',
    'your weekly check-in reflections — unless you choose to share them',
    ...(cohort.requires_email === 1 ? [] : ['your email address']),
    'your review cards and how you answered them',
    'your password, sessions and API tokens',
  ];
}

/** Said on the consent screen when the cohort requires the email address. */
export function emailNotice(cohort: Pick<CohortRow, 'requires_email'>): string | null {
  return cohort.requires_email === 1
    ? 'This cohort requires your email address: its mentors and admins will see it.'
    : null;
}
