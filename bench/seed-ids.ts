// Names the seeded benchmark databases share with the sections that read them (bench/seed.ts makes them).

/** The id of the seeded cohort (`--cohort-learners`); its mentor is learner 1 (cookie `benchCookie(1)`). */
export const BENCH_COHORT_ID = '00000000-0000-4000-8000-00000000c0c0';

/** Session cookies shorter than this are refused unread (src/auth/session.service.ts). */
const COOKIE_PREFIX = 'bench-session-token-';

/** The learner's session cookie value in a seeded database (long enough to be accepted as a session token). */
export function benchCookie(learner: number): string {
  return `${COOKIE_PREFIX}${learner}`;
}

/** The same, as SQL over a learner number `i` (the seed stores its SHA-256). */
export const BENCH_COOKIE_SQL = `'${COOKIE_PREFIX}' || i`;
