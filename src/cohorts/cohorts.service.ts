// Cohort rules: admins create cohorts, appoint mentors and make invite links; learners join through
// an invite (with consent) and leave when they like. Writes run in the caller's transaction (the
// routes pass `app.db.write`); who may do what is decided in policy.ts before these are called.

import { randomUUID } from 'node:crypto';
import type { Content } from '../content/content.types.js';
import type { Queryable, WriteTx } from '../db/types.js';
import type { CohortInviteRow, CohortMemberRow, CohortRow } from '../db/schema.js';
import { problems } from '../http/problems.js';
import { newSecret, sha256 } from '../auth/tokens.js';
import { findUserProfileByEmail, type UserProfile } from '../auth/user-profile.js';
import { currentPlan, savePlan } from '../plan/plan.service.js';
import { MAX_HOURS_PER_WEEK } from '../plan/scheduler.js';
import * as repo from './cohorts.repository.js';

export interface CohortInput {
  name: string;
  roadmapIds: string[];
  startDate: string;
  targetWeeks: number;
  hoursPerWeek: number;
  requiresEmail: boolean;
}

/** A cohort as the API shows it: what it was created with, and its size. */
export interface CohortView extends CohortInput {
  id: string;
  learnerCount: number;
  mentorCount: number;
  createdAt: string;
}

export async function presentCohort(db: Queryable, row: CohortRow): Promise<CohortView> {
  const [roadmapIds, learners, mentors] = await Promise.all([
    repo.listCohortRoadmaps(db, row.id),
    repo.countMembers(db, row.id, 'learner'),
    repo.countMembers(db, row.id, 'mentor'),
  ]);
  return {
    id: row.id,
    name: row.name,
    roadmapIds,
    startDate: row.start_date,
    targetWeeks: row.target_weeks,
    hoursPerWeek: row.hours_per_week,
    requiresEmail: row.requires_email === 1,
    learnerCount: learners,
    mentorCount: mentors,
    createdAt: row.created_at,
  };
}

/** A membership as its member sees it. */
export function presentMembership(m: CohortMemberRow & { cohort_name: string }) {
  return {
    cohortId: m.cohort_id,
    cohortName: m.cohort_name,
    role: m.role,
    displayName: m.display_name,
    shareReflections: m.share_reflections === 1,
    joinedAt: m.joined_at,
  };
}

export async function requireCohortRow(db: Queryable, cohortId: string): Promise<CohortRow> {
  const row = await repo.findCohort(db, cohortId);
  if (!row) throw problems.notFound('Cohort');
  return row;
}

function checkRoadmaps(content: Content, roadmapIds: readonly string[]): void {
  const unknown = roadmapIds.filter((id) => !content.roadmaps.has(id));
  if (unknown.length) {
    throw problems.unprocessable(
      'unknown_roadmap',
      'Unknown roadmap',
      `There is no roadmap ${unknown.map((id) => `"${id}"`).join(', ')}. Available: ${content.roadmapList.map((r) => r.id).join(', ')}.`,
      [{ pointer: '/body/roadmapIds', message: `unknown: ${unknown.join(', ')}` }],
    );
  }
}

export async function createCohort(
  trx: WriteTx,
  content: Content,
  input: CohortInput,
  actorId: string,
  now: string,
): Promise<CohortRow> {
  checkRoadmaps(content, input.roadmapIds);
  const row: CohortRow = {
    id: randomUUID(),
    name: input.name.trim(),
    start_date: input.startDate,
    target_weeks: input.targetWeeks,
    hours_per_week: Math.min(MAX_HOURS_PER_WEEK, input.hoursPerWeek),
    requires_email: input.requiresEmail ? 1 : 0,
    created_by: actorId,
    created_at: now,
    updated_at: now,
  };
  await repo.insertCohort(trx, row, [...new Set(input.roadmapIds)]);
  return row;
}

export async function updateCohort(
  trx: WriteTx,
  cohortId: string,
  change: Partial<Omit<CohortInput, 'roadmapIds'>>,
  now: string,
): Promise<CohortRow> {
  await requireCohortRow(trx, cohortId);
  await repo.updateCohort(trx, cohortId, {
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.startDate !== undefined ? { start_date: change.startDate } : {}),
    ...(change.targetWeeks !== undefined ? { target_weeks: change.targetWeeks } : {}),
    ...(change.hoursPerWeek !== undefined ? { hours_per_week: change.hoursPerWeek } : {}),
    ...(change.requiresEmail !== undefined ? { requires_email: change.requiresEmail ? 1 : 0 } : {}),
    updated_at: now,
  });
  return requireCohortRow(trx, cohortId);
}

/** Makes the account with `email` a mentor of the cohort (it must not be one of its learners). */
export async function appointMentor(
  trx: WriteTx,
  cohortId: string,
  email: string,
  displayName: string | undefined,
  now: string,
): Promise<{ userId: string; displayName: string }> {
  await requireCohortRow(trx, cohortId);
  const user = await findUserProfileByEmail(trx, email);
  if (!user || user.isGuest) {
    throw problems.unprocessable('unknown_account', 'No such account', `No account has the email ${email}.`, [
      { pointer: '/body/email', message: 'no account with this email' },
    ]);
  }
  const existing = await repo.findMembership(trx, cohortId, user.id);
  if (existing?.role === 'learner') {
    throw problems.conflict(
      'already_learner',
      'This account is a learner in this cohort; a learner cannot also mentor their own cohort.',
    );
  }
  const name = displayName?.trim() || existing?.display_name || user.email!.split('@')[0]!;
  await repo.putMember(trx, {
    cohort_id: cohortId,
    user_id: user.id,
    role: 'mentor',
    display_name: name,
    share_reflections: 0,
    consented_at: null,
    joined_at: existing?.joined_at ?? now,
  });
  return { userId: user.id, displayName: name };
}

/** Ends a membership (a mentor's removal or a learner leaving); true when there was one. */
export async function removeMember(trx: WriteTx, cohortId: string, userId: string): Promise<boolean> {
  return repo.deleteMember(trx, cohortId, userId);
}

// Invites -------------------------------------------------------------------------------------

export const INVITE_PREFIX = 'wmi_';
export const MAX_INVITE_DAYS = 90;

export interface InviteView {
  id: string;
  cohortId: string;
  emailDomain: string | null;
  createdAt: string;
  expiresAt: string;
  revoked: boolean;
  uses: number;
}

export function presentInvite(row: CohortInviteRow): InviteView {
  return {
    id: row.id,
    cohortId: row.cohort_id,
    emailDomain: row.email_domain,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revoked: row.revoked_at !== null,
    uses: row.uses,
  };
}

export async function createInvite(
  trx: WriteTx,
  cohortId: string,
  input: { expiresInDays: number; emailDomain: string | null },
  actorId: string,
  now: Date,
): Promise<{ invite: InviteView; token: string }> {
  await requireCohortRow(trx, cohortId);
  const token = newSecret(INVITE_PREFIX);
  const row: CohortInviteRow = {
    id: randomUUID(),
    cohort_id: cohortId,
    token_hash: sha256(token),
    email_domain: input.emailDomain ? input.emailDomain.trim().toLowerCase().replace(/^@/, '') : null,
    created_by: actorId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString(),
    revoked_at: null,
    uses: 0,
  };
  await repo.insertInvite(trx, row);
  return { invite: presentInvite(row), token };
}

export async function revokeInvite(
  trx: WriteTx,
  cohortId: string,
  inviteId: string,
  now: string,
): Promise<void> {
  if (!(await repo.revokeInvite(trx, cohortId, inviteId, now))) throw problems.notFound('Invite');
}

/** The invite a token names while it can still be used, with its cohort; 404 otherwise (unknown, expired, revoked). */
export async function usableInvite(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ invite: CohortInviteRow; cohort: CohortRow }> {
  const invite = token.startsWith(INVITE_PREFIX) ? await repo.findInviteByHash(db, sha256(token)) : undefined;
  const gone = problems.notFound(
    'Invite',
    'This invite link is unknown, expired or revoked. Ask your cohort for a new one.',
  );
  if (!invite || invite.revoked_at !== null || invite.expires_at <= now.toISOString()) throw gone;
  const cohort = await repo.findCohort(db, invite.cohort_id);
  if (!cohort) throw gone;
  return { invite, cohort };
}

/** Whether `email` may use an invite limited to `domain`. */
export function emailMatchesDomain(email: string | null, domain: string | null): boolean {
  if (domain === null) return true;
  return email !== null && email.toLowerCase().endsWith(`@${domain}`);
}

export interface JoinInput {
  displayName: string;
  shareReflections: boolean;
  consent: boolean;
}

/**
 * Joins the invite's cohort as a learner after the consent screen. The learner's plan for each of the
 * cohort's roadmaps starts from the cohort's defaults (start date, length, hours a week) unless they
 * already have one.
 */
export async function joinCohort(
  trx: WriteTx,
  content: Content,
  token: string,
  user: UserProfile,
  input: JoinInput,
  now: Date,
): Promise<CohortRow> {
  const { invite, cohort } = await usableInvite(trx, token, now);
  if (user.isGuest || user.email === null) {
    throw problems.forbidden('account_required', 'Create an account (or sign in) before joining a cohort.');
  }
  if (!input.consent) {
    throw problems.validation('Joining needs your consent to what mentors will see.', [
      { pointer: '/body/consent', message: 'must be true' },
    ]);
  }
  if (!emailMatchesDomain(user.email, invite.email_domain)) {
    throw problems.forbidden(
      'email_domain_mismatch',
      `This invite is only for accounts with an email address at ${invite.email_domain}.`,
    );
  }
  if (await repo.findMembership(trx, cohort.id, user.id)) {
    throw problems.conflict('already_member', 'You are already in this cohort.');
  }
  const member = {
    cohort_id: cohort.id,
    user_id: user.id,
    role: 'learner' as const,
    display_name: input.displayName.trim(),
    share_reflections: input.shareReflections ? 1 : 0,
    consented_at: now.toISOString(),
    joined_at: now.toISOString(),
  };
  await repo.putMember(trx, member);
  await repo.countInviteUse(trx, invite.id);
  const roadmapIds = await repo.listCohortRoadmaps(trx, cohort.id);
  await repo.insertEmptySummaries(trx, member, roadmapIds, now.toISOString());
  const learner = { id: user.id, timeZone: user.timeZone };
  for (const roadmapId of roadmapIds) {
    const roadmap = content.roadmaps.get(roadmapId);
    if (!roadmap || (await currentPlan(trx, user.id, roadmapId))) continue;
    await savePlan(
      trx,
      content,
      roadmap,
      learner,
      {
        startDate: cohort.start_date,
        targetWeeks: cohort.target_weeks,
        hoursPerWeek: Math.max(1, Math.round(cohort.hours_per_week)),
      },
      now,
    );
  }
  return cohort;
}

/** The learner's choice to show their weekly reflections to this cohort's mentors. */
export async function setShareReflections(
  trx: WriteTx,
  cohortId: string,
  userId: string,
  share: boolean,
): Promise<void> {
  const membership = await repo.findMembership(trx, cohortId, userId);
  if (membership?.role !== 'learner') throw problems.notFound('Cohort');
  await repo.setShareReflections(trx, cohortId, userId, share);
}

/** Shows (or hides again) the learner's note on a topic to their mentors. */
export async function setNoteSharing(
  trx: WriteTx,
  userId: string,
  topicId: string,
  shared: boolean,
  now: string,
): Promise<void> {
  await repo.setNoteShared(trx, userId, topicId, shared ? now : null);
}
