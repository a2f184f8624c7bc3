import type { FastifyInstance } from 'fastify';
import { problems } from '../http/problems.js';
import { findUserProfile, type UserProfile } from '../auth/user-profile.js';
import type { CohortRow } from '../db/schema.js';
import * as cohorts from './cohorts.service.js';
import { cohortChange } from './summaries.js';

/**
 * Joins an invite's cohort as the signed-in user: the API route and the consent form both come
 * here. The write announces an account change (the member's access) and pings the cohort's table.
 */
export async function joinByInvite(
  app: FastifyInstance,
  userId: string,
  token: string,
  input: cohorts.JoinInput,
): Promise<{ cohort: CohortRow; profile: UserProfile }> {
  const profile = await findUserProfile(app.db.kysely, userId);
  if (!profile) throw problems.unauthenticated();
  const cohort = await app.db.write(
    (trx) => cohorts.joinCohort(trx, app.content(), token, profile, input, app.clock.now()),
    (joined) => [{ userId: profile.id, scope: 'account' }, cohortChange(joined.id, profile.id)],
  );
  return { cohort, profile };
}
