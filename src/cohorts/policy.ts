import { problems } from '../http/problems.js';
import type { Queryable } from '../db/types.js';
import type { UserRow } from '../db/schema.js';
import * as repo from './cohorts.repository.js';

/**
 * Every authorisation rule of cohorts and mentoring, in one place (issue 11). Routes, pages, the
 * event stream, exports and the features built on cohorts (profiles, comments, insights) ask these
 * functions and nothing else. The rules:
 *
 * - an **instance admin** (`users.role = 'admin'`) manages cohorts (create, edit, appoint mentors,
 *   invites) and may open any cohort's table;
 * - a **mentor** sees the learners of the cohorts they mentor — never another cohort's, never a note
 *   the learner did not share, reflections only if the learner shares them, the email only if the
 *   cohort requires it;
 * - a **learner** sees their own data and their own membership — never another learner;
 * - access rests on an **active membership row**, read from the database on every request (nothing
 *   here is cached), so a learner who left or a removed mentor gets 404 on their next request on
 *   every instance.
 *
 * Denials are 404, not 403: a resource the caller may not see does not exist for them.
 */
export type Actor = Pick<UserRow, 'id' | 'role'>;

/** How the actor relates to one cohort (null: not at all). */
export type CohortAccess = 'admin' | 'mentor' | 'learner' | null;

export function isInstanceAdmin(actor: Actor | null): boolean {
  return actor?.role === 'admin';
}

/** Create and edit cohorts, appoint and remove mentors, create and revoke invites. */
export function canManageCohorts(actor: Actor | null): boolean {
  return isInstanceAdmin(actor);
}

/** The actor's relation to a cohort; mentor/learner beat admin so an admin who mentors acts as one. */
export async function cohortAccess(
  db: Queryable,
  actor: Actor | null,
  cohortId: string,
): Promise<CohortAccess> {
  if (!actor) return null;
  const membership = await repo.findMembership(db, cohortId, actor.id);
  if (membership) return membership.role;
  if (isInstanceAdmin(actor) && (await repo.findCohort(db, cohortId))) return 'admin';
  return null;
}

/** `learnerId`'s active membership of the cohort as a learner (null: not a learner there). */
async function learnerOf(db: Queryable, cohortId: string, learnerId: string) {
  const membership = await repo.findMembership(db, cohortId, learnerId);
  return membership?.role === 'learner' ? membership : null;
}

/** The cohort table, its live stream, its CSV and its insights: the cohort's mentors and admins. */
export async function canViewCohortTable(
  db: Queryable,
  actor: Actor | null,
  cohortId: string,
): Promise<boolean> {
  const access = await cohortAccess(db, actor, cohortId);
  return access === 'mentor' || access === 'admin';
}

/** The cohort's name, dates and roadmaps: anyone in it (and admins). */
export async function canViewCohort(db: Queryable, actor: Actor | null, cohortId: string): Promise<boolean> {
  return (await cohortAccess(db, actor, cohortId)) !== null;
}

/**
 * Whether the actor may see `learnerId`'s progress, plan, activity, verified projects and runs.
 * With `cohortId`: as a learner of that cohort (the learner themself, the cohort's mentors, admins).
 * Without: the learner themself, or a mentor of any cohort the learner is in.
 */
export async function canViewLearner(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
  cohortId?: string,
): Promise<boolean> {
  if (!actor) return false;
  if (actor.id === learnerId) return true;
  if (cohortId === undefined) return repo.mentorsLearner(db, actor.id, learnerId);
  if (!(await learnerOf(db, cohortId, learnerId))) return false;
  return canViewCohortTable(db, actor, cohortId);
}

/** A learner's note on a topic: the learner, or their mentors when the learner shared that note. Admins do not read notes. */
export async function canViewNote(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
  topicId: string,
): Promise<boolean> {
  if (!actor) return false;
  if (actor.id === learnerId) return true;
  if (!(await repo.mentorsLearner(db, actor.id, learnerId))) return false;
  return repo.isNoteShared(db, learnerId, topicId);
}

/** Weekly check-in reflections: the learner, or the cohort's mentors when the learner shares them with it. */
export async function canViewReflections(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
  cohortId: string,
): Promise<boolean> {
  if (!actor) return false;
  if (actor.id === learnerId) return true;
  if ((await learnerOf(db, cohortId, learnerId))?.share_reflections !== 1) return false;
  return (await cohortAccess(db, actor, cohortId)) === 'mentor';
}

/** The learner's email: themself, or the cohort's mentors and admins when the cohort requires it (and said so on joining). */
export async function canViewEmail(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
  cohortId: string,
): Promise<boolean> {
  if (!actor) return false;
  if (actor.id === learnerId) return true;
  const cohort = await repo.findCohort(db, cohortId);
  if (!cohort || cohort.requires_email !== 1) return false;
  return canViewLearner(db, actor, learnerId, cohortId);
}

/** Feedback on a learner's topic or run: a mentor of a cohort the learner is in (not admins, who do not mentor). */
export async function canCommentOnLearner(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
): Promise<boolean> {
  if (!actor || actor.id === learnerId) return false;
  return repo.mentorsLearner(db, actor.id, learnerId);
}

/** Leave a cohort: any member, for themself. */
export async function canLeaveCohort(db: Queryable, actor: Actor | null, cohortId: string): Promise<boolean> {
  const access = await cohortAccess(db, actor, cohortId);
  return access === 'learner' || access === 'mentor';
}

// Guards for handlers: a denial is the same 404 as a missing resource. --------------------------

export async function requireCohortTable(
  db: Queryable,
  actor: Actor | null,
  cohortId: string,
): Promise<void> {
  if (!(await canViewCohortTable(db, actor, cohortId))) throw problems.notFound('Cohort');
}

export async function requireCohort(db: Queryable, actor: Actor | null, cohortId: string): Promise<void> {
  if (!(await canViewCohort(db, actor, cohortId))) throw problems.notFound('Cohort');
}

export async function requireLearner(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
  cohortId?: string,
): Promise<void> {
  if (!(await canViewLearner(db, actor, learnerId, cohortId))) throw problems.notFound('Learner');
}

export function requireCohortManager(actor: Actor | null): void {
  if (!canManageCohorts(actor)) throw problems.notFound('Page');
}

// Feedback comments (H5, src/feedback) -----------------------------------------------------------
// A thread of feedback belongs to one learner and one cohort: the cohort's mentors and the learner
// read and write it; a mentor of another cohort, another learner and admins do not (404).

/**
 * The cohorts through which `actor` may read and write `learnerId`'s feedback: for the learner,
 * every cohort they are a learner in; for a mentor, the cohorts they mentor that the learner is in.
 */
export async function feedbackCohorts(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
): Promise<string[]> {
  if (!actor) return [];
  const learnerIn = (await repo.listMembershipsOf(db, learnerId))
    .filter((m) => m.role === 'learner')
    .map((m) => m.cohort_id);
  if (actor.id === learnerId) return learnerIn;
  const mentors = new Set(
    (await repo.listMembershipsOf(db, actor.id)).filter((m) => m.role === 'mentor').map((m) => m.cohort_id),
  );
  return learnerIn.filter((id) => mentors.has(id));
}

/** Reading every comment on one's own learning (also after leaving the cohort): only the learner. */
export function canReadOwnFeedback(actor: Actor | null, learnerId: string): boolean {
  return actor !== null && actor.id === learnerId;
}

/** A mentor's view of, or comment on, a learner's feedback in one cohort; anything else is 404. */
export async function requireFeedbackThread(
  db: Queryable,
  actor: Actor | null,
  learnerId: string,
  cohortId: string,
): Promise<void> {
  if (!(await feedbackCohorts(db, actor, learnerId)).includes(cohortId)) throw problems.notFound('Learner');
}
