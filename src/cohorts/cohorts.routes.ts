import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses, TopicIdParam, Uuid } from '../http/schemas.js';
import { problems } from '../http/problems.js';
import { requireTopic } from '../content/content.lookup.js';
import * as repo from './cohorts.repository.js';
import * as cohorts from './cohorts.service.js';
import * as policy from './policy.js';
import { emailNotice, mentorsNeverSee, mentorsSee } from './consent.js';
import { cohortChange } from './summaries.js';
import { joinByInvite } from './join.js';
import {
  CohortCreate,
  CohortParams,
  CohortSchema,
  CohortUpdate,
  ConsentSchema,
  InviteCreate,
  InviteSchema,
  InviteToken,
  JoinBody,
  MemberSchema,
  MembershipSchema,
  MembershipUpdate,
  MentorAppoint,
  NoteSharingBody,
} from './cohorts.schemas.js';

const tags = ['cohorts'];

/**
 * Cohorts, mentors, invites and memberships (`/api/v1/cohorts…`). Every handler authenticates, asks
 * policy.ts, then calls the service inside `app.db.write`, announcing the change to the member and to
 * the cohort's live table.
 */
export default async function cohortsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  for (const schema of [CohortSchema, MemberSchema, InviteSchema, ConsentSchema, MembershipSchema])
    app.addSchema(schema);
  const db = () => app.db.kysely;

  const view = async (cohortId: string, actor: policy.Actor) => {
    const access = await policy.cohortAccess(db(), actor, cohortId);
    if (!access) throw problems.notFound('Cohort');
    return {
      ...(await cohorts.presentCohort(db(), await cohorts.requireCohortRow(db(), cohortId))),
      yourRole: access,
    };
  };

  app.get(
    '/api/v1/cohorts',
    {
      schema: {
        tags,
        operationId: 'listCohorts',
        summary: 'Cohorts you belong to (every cohort, for an instance admin)',
        response: { 200: Type.Object({ cohorts: Type.Array(Type.Ref('Cohort')) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = app.requireAuth(request).user;
      const ids = policy.isInstanceAdmin(actor)
        ? (await repo.listCohorts(db())).map((c) => c.id)
        : (await repo.listMembershipsOf(db(), actor.id)).map((m) => m.cohort_id);
      return { cohorts: await Promise.all(ids.map((id) => view(id, actor))) };
    },
  );

  app.post(
    '/api/v1/cohorts',
    {
      schema: {
        tags,
        operationId: 'createCohort',
        summary: 'Create a cohort (instance admins)',
        body: CohortCreate,
        response: { 201: Type.Ref('Cohort'), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = app.requireAuth(request).user;
      policy.requireCohortManager(actor);
      const now = app.clock.now().toISOString();
      const row = await app.db.write(
        (trx) =>
          cohorts.createCohort(
            trx,
            app.content(),
            { ...request.body, requiresEmail: request.body.requiresEmail ?? false },
            actor.id,
            now,
          ),
        (created) => cohortChange(created.id, null),
      );
      return reply.code(201).send(await view(row.id, actor));
    },
  );

  app.get(
    '/api/v1/cohorts/:cohortId',
    {
      schema: {
        tags,
        operationId: 'getCohort',
        summary: 'One cohort (its members and admins)',
        params: CohortParams,
        response: { 200: Type.Ref('Cohort'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => view(request.params.cohortId, app.requireAuth(request).user),
  );

  app.patch(
    '/api/v1/cohorts/:cohortId',
    {
      schema: {
        tags,
        operationId: 'updateCohort',
        summary:
          'Change a cohort’s name, dates or defaults (instance admins); learners’ saved plans are kept',
        params: CohortParams,
        body: CohortUpdate,
        response: { 200: Type.Ref('Cohort'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = app.requireAuth(request).user;
      policy.requireCohortManager(actor);
      const { cohortId } = request.params;
      await app.db.write(
        (trx) => cohorts.updateCohort(trx, cohortId, request.body, app.clock.now().toISOString()),
        cohortChange(cohortId, null),
      );
      return view(cohortId, actor);
    },
  );

  app.get(
    '/api/v1/cohorts/:cohortId/mentors',
    {
      schema: {
        tags,
        operationId: 'listCohortMentors',
        summary: 'The cohort’s mentors (its members and admins)',
        params: CohortParams,
        response: {
          200: Type.Object({ mentors: Type.Array(Type.Ref('CohortMember')) }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const actor = app.requireAuth(request).user;
      await policy.requireCohort(db(), actor, request.params.cohortId);
      const mentors = await repo.listMembers(db(), request.params.cohortId, 'mentor');
      return {
        mentors: mentors.map((m) => ({
          userId: m.user_id,
          displayName: m.display_name,
          role: m.role,
          joinedAt: m.joined_at,
        })),
      };
    },
  );

  app.post(
    '/api/v1/cohorts/:cohortId/mentors',
    {
      schema: {
        tags,
        operationId: 'appointCohortMentor',
        summary: 'Appoint an account (by email) as a mentor of the cohort (instance admins)',
        params: CohortParams,
        body: MentorAppoint,
        response: { 201: Type.Ref('CohortMember'), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = app.requireAuth(request).user;
      policy.requireCohortManager(actor);
      const { cohortId } = request.params;
      const now = app.clock.now().toISOString();
      const mentor = await app.db.write(
        (trx) => cohorts.appointMentor(trx, cohortId, request.body.email, request.body.displayName, now),
        (m) => [{ userId: m.userId, scope: 'data' }, cohortChange(cohortId, null)],
      );
      return reply.code(201).send({ ...mentor, role: 'mentor' as const, joinedAt: now });
    },
  );

  app.delete(
    '/api/v1/cohorts/:cohortId/members/:userId',
    {
      schema: {
        tags,
        operationId: 'removeCohortMember',
        summary: 'Remove a mentor or learner from the cohort (instance admins); their access ends at once',
        params: Type.Object({ cohortId: Uuid, userId: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = app.requireAuth(request).user;
      policy.requireCohortManager(actor);
      const { cohortId, userId } = request.params;
      const removed = await app.db.write(
        (trx) => cohorts.removeMember(trx, cohortId, userId),
        [{ userId, scope: 'data' }, cohortChange(cohortId, null)],
      );
      if (!removed) throw problems.notFound('Member');
      return reply.code(204).send(null);
    },
  );

  // Invites -----------------------------------------------------------------------------------

  app.get(
    '/api/v1/cohorts/:cohortId/invites',
    {
      schema: {
        tags,
        operationId: 'listCohortInvites',
        summary:
          'The cohort’s invite links (instance admins; the links themselves are shown once, when made)',
        params: CohortParams,
        response: {
          200: Type.Object({ invites: Type.Array(Type.Ref('CohortInvite')) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      policy.requireCohortManager(app.requireAuth(request).user);
      await cohorts.requireCohortRow(db(), request.params.cohortId);
      return { invites: (await repo.listInvites(db(), request.params.cohortId)).map(cohorts.presentInvite) };
    },
  );

  app.post(
    '/api/v1/cohorts/:cohortId/invites',
    {
      schema: {
        tags,
        operationId: 'createCohortInvite',
        summary: 'Make an expiring invite link, optionally only for one email domain (instance admins)',
        params: CohortParams,
        body: InviteCreate,
        response: {
          201: Type.Object({
            invite: Type.Ref('CohortInvite'),
            token: Type.String(),
            url: Type.String({ description: 'The page that joins with this invite (shown only now)' }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = app.requireAuth(request).user;
      policy.requireCohortManager(actor);
      const { cohortId } = request.params;
      const created = await app.db.write(
        (trx) =>
          cohorts.createInvite(
            trx,
            cohortId,
            { expiresInDays: request.body.expiresInDays, emailDomain: request.body.emailDomain ?? null },
            actor.id,
            app.clock.now(),
          ),
        null,
      );
      return reply.code(201).send({ ...created, url: `/join/${created.token}` });
    },
  );

  app.delete(
    '/api/v1/cohorts/:cohortId/invites/:inviteId',
    {
      schema: {
        tags,
        operationId: 'revokeCohortInvite',
        summary: 'Revoke an invite link: it stops working at once (instance admins)',
        params: Type.Object({ cohortId: Uuid, inviteId: Uuid }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      policy.requireCohortManager(app.requireAuth(request).user);
      const { cohortId, inviteId } = request.params;
      await app.db.write(
        (trx) => cohorts.revokeInvite(trx, cohortId, inviteId, app.clock.now().toISOString()),
        null,
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/cohort-invites/:token',
    {
      schema: {
        tags,
        operationId: 'getCohortInvite',
        summary:
          'What joining with this invite means: the cohort and exactly what its mentors will and will not see',
        params: InviteToken,
        response: { 200: Type.Ref('CohortConsent'), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { invite, cohort } = await cohorts.usableInvite(db(), request.params.token, app.clock.now());
      const notice = emailNotice(cohort);
      return {
        cohortName: cohort.name,
        roadmapIds: await repo.listCohortRoadmaps(db(), cohort.id),
        startDate: cohort.start_date,
        targetWeeks: cohort.target_weeks,
        hoursPerWeek: cohort.hours_per_week,
        emailDomain: invite.email_domain,
        expiresAt: invite.expires_at,
        mentorsSee: notice ? [...mentorsSee(), 'your email address (the cohort requires it)'] : mentorsSee(),
        mentorsNeverSee: mentorsNeverSee(cohort),
      };
    },
  );

  app.post(
    '/api/v1/cohort-invites/:token/join',
    {
      schema: {
        tags,
        operationId: 'joinCohort',
        summary:
          'Join the invite’s cohort as a learner, consenting to what its mentors see; your plan starts from the cohort’s defaults',
        params: InviteToken,
        body: JoinBody,
        response: { 201: Type.Ref('CohortMembership'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const { cohort, profile } = await joinByInvite(app, auth.user.id, request.params.token, {
        displayName: request.body.displayName,
        consent: request.body.consent,
        shareReflections: request.body.shareReflections ?? false,
      });
      const membership = await repo.findMembership(db(), cohort.id, profile.id);
      if (!membership) throw problems.notFound('Cohort');
      return reply.code(201).send(cohorts.presentMembership({ ...membership, cohort_name: cohort.name }));
    },
  );

  // The caller's own memberships -----------------------------------------------------------------

  app.get(
    '/api/v1/me/cohorts',
    {
      schema: {
        tags,
        operationId: 'listMyCohortMemberships',
        summary: 'Your cohort memberships (as learner or mentor)',
        response: {
          200: Type.Object({ memberships: Type.Array(Type.Ref('CohortMembership')) }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const actor = app.requireAuth(request).user;
      const rows = await repo.listMembershipsOf(db(), actor.id);
      return { memberships: rows.map(cohorts.presentMembership) };
    },
  );

  app.patch(
    '/api/v1/cohorts/:cohortId/membership',
    {
      schema: {
        tags,
        operationId: 'updateMyCohortMembership',
        summary: 'Share (or stop sharing) your weekly reflections with this cohort’s mentors',
        params: CohortParams,
        body: MembershipUpdate,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = app.requireAuth(request).user;
      const { cohortId } = request.params;
      await app.db.write(
        (trx) => cohorts.setShareReflections(trx, cohortId, actor.id, request.body.shareReflections),
        [{ userId: actor.id, scope: 'data' }, cohortChange(cohortId, actor.id)],
      );
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/cohorts/:cohortId/membership',
    {
      schema: {
        tags,
        operationId: 'leaveCohort',
        summary: 'Leave the cohort: its mentors lose access to your data at once',
        params: CohortParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = app.requireAuth(request).user;
      const { cohortId } = request.params;
      if (!(await policy.canLeaveCohort(db(), actor, cohortId))) throw problems.notFound('Cohort');
      await app.db.write(
        (trx) => cohorts.removeMember(trx, cohortId, actor.id),
        [{ userId: actor.id, scope: 'data' }, cohortChange(cohortId, null)],
      );
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/topics/:topicId/note/sharing',
    {
      schema: {
        tags,
        operationId: 'setNoteSharing',
        summary: 'Show your note on this topic to your mentors (or make it private again)',
        params: Type.Object({ topicId: TopicIdParam }),
        body: NoteSharingBody,
        response: {
          200: Type.Object({ topicId: Type.String(), shared: Type.Boolean() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const actor = app.requireAuth(request).user;
      const topic = requireTopic(app.content(), request.params.topicId);
      await app.db.write(
        (trx) =>
          cohorts.setNoteSharing(trx, actor.id, topic.id, request.body.shared, app.clock.now().toISOString()),
        { userId: actor.id, scope: 'data' },
      );
      return { topicId: topic.id, shared: request.body.shared };
    },
  );
}
