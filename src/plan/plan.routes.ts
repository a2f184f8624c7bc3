import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses, RoadmapIdParam, textResponse } from '../http/schemas.js';
import { problems } from '../http/problems.js';
import { requireRoadmap } from '../content/content.lookup.js';
import type { Authenticated } from '../auth/auth.types.js';
import { PlanSettingsInput, PlanSettingsSchema } from './plan.settings.js';
import {
  CheckinSchema,
  FeasibilitySchema,
  PlanSchema,
  VersionListSchema,
  VersionSchema,
} from './plan.schemas.js';
import { calendarOwnerKey, planCalendar } from './plan.calendar.js';
import * as plans from './plan.service.js';
import * as checkins from './plan.checkins.js';
import * as feeds from './plan.feed.js';
import { inTransaction } from './plan.transaction.js';
import { sendCachedJson } from '../http/cached-response.js';

const WeekIndexParam = Type.String({
  pattern: '^[0-9]{1,3}$',
  description: '0-based week index (week 1 is 0)',
});
const VersionParam = Type.String({ pattern: '^[1-9][0-9]{0,5}$' });

export function learnerOf(auth: Authenticated): plans.Learner {
  return { id: auth.user.id, timeZone: auth.user.time_zone };
}

/** The absolute origin links in calendars point to: the configured public URL, else the request's. */
export function publicOrigin(app: FastifyInstance, request: FastifyRequest): string {
  return app.config.publicOrigins[0] ?? `${request.protocol}://${request.host}`;
}

/**
 * The plan API: settings and computed weeks, re-planning, versions, weekly check-ins, the calendar
 * (download and private feed). Every route reads: authenticate → validate (schema)
 * → find the roadmap → call the service → present (the response schema).
 */
export default async function planRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(PlanSettingsSchema);
  app.addSchema(FeasibilitySchema);
  app.addSchema(PlanSchema);
  const db = () => app.db.kysely;
  const roadmapParams = Type.Object({ roadmapId: RoadmapIdParam });

  app.get(
    '/api/v1/roadmaps/:roadmapId/plan',
    {
      schema: {
        operationId: 'getPlan',
        tags: ['plan'],
        summary: 'Your plan for a roadmap: settings, weekly goals, where you stand, re-plan choices',
        description:
          'Without a saved plan (or without signing in) this is a preview computed from the default settings (`saved: false`). Week indexes are 0-based.',
        params: roadmapParams,
        response: { 200: Type.Ref('Plan'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      const learner = request.auth ? learnerOf(request.auth) : null;
      return sendCachedJson(app, request, reply, `plan\u0000${roadmap.id}`, async () => {
        const plan = await plans.getPlan(db(), app.content(), roadmap, learner, app.clock.now());
        return { value: plan, day: { timeZone: plan.settings.timeZone, today: plan.today } };
      });
    },
  );

  app.put(
    '/api/v1/roadmaps/:roadmapId/plan',
    {
      schema: {
        operationId: 'savePlan',
        tags: ['plan'],
        summary: 'Save plan settings and recompute the plan from today (creates a new version)',
        description:
          'Send any subset of the settings; the rest keep their current (or default) values. The weeks before the current one are kept. Settings that would need more than three years are refused with 422 `plan_infeasible` and the numbers. Saving your time zone also sets it for your account and your other plans.',
        params: roadmapParams,
        body: PlanSettingsInput,
        response: { 200: Type.Ref('Plan'), ...errorResponses(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const auth = await app.requireUserOrGuest(request, reply);
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      return inTransaction(app.db, auth.user.id, (trx) =>
        plans.savePlan(trx, content, roadmap, learnerOf(auth), request.body, app.clock.now()),
      );
    },
  );

  app.post(
    '/api/v1/roadmaps/:roadmapId/plan/preview',
    {
      schema: {
        operationId: 'previewPlan',
        tags: ['plan'],
        summary: 'Compute the plan that some settings would give, without saving anything',
        params: roadmapParams,
        body: PlanSettingsInput,
        response: { 200: Type.Ref('Plan'), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const learner = request.auth ? learnerOf(request.auth) : null;
      return plans.previewPlan(db(), content, roadmap, learner, request.body, app.clock.now());
    },
  );

  app.post(
    '/api/v1/roadmaps/:roadmapId/plan/replan',
    {
      schema: {
        operationId: 'replanPlan',
        tags: ['plan'],
        summary:
          'Re-plan what is left from today: keep the hours (finish later) or keep the finish date (study more per week)',
        params: roadmapParams,
        body: Type.Object(
          {
            mode: Type.Union([Type.Literal('extend'), Type.Literal('keep-finish')], {
              description:
                'extend: same hours per week, later finish; keep-finish: same target, the hours per week it needs',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Plan'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      return inTransaction(app.db, auth.user.id, (trx) =>
        plans.replan(trx, content, roadmap, learnerOf(auth), request.body.mode, app.clock.now()),
      );
    },
  );

  app.get(
    '/api/v1/roadmaps/:roadmapId/plan/versions',
    {
      schema: {
        operationId: 'listPlanVersions',
        tags: ['plan'],
        summary: 'Every version of your plan, newest first (how the plan changed)',
        params: roadmapParams,
        response: { 200: VersionListSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      return { versions: await plans.listVersions(db(), roadmap, auth.user.id) };
    },
  );

  app.get(
    '/api/v1/roadmaps/:roadmapId/plan/versions/:version',
    {
      schema: {
        operationId: 'getPlanVersion',
        tags: ['plan'],
        summary: 'One version of your plan with its settings and weeks',
        params: Type.Object({ roadmapId: RoadmapIdParam, version: VersionParam }),
        response: { 200: VersionSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      return plans.getVersion(db(), app.content(), roadmap, auth.user.id, Number(request.params.version));
    },
  );

  const checkinParams = Type.Object({ roadmapId: RoadmapIdParam, weekIndex: WeekIndexParam });

  app.get(
    '/api/v1/roadmaps/:roadmapId/plan/weeks/:weekIndex/checkin',
    {
      schema: {
        operationId: 'getWeekCheckin',
        tags: ['plan'],
        summary: 'A week’s scorecard (goals done / planned, hours) and your reflection note',
        params: checkinParams,
        response: { 200: CheckinSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      return checkins.getCheckin(
        db(),
        app.content(),
        roadmap,
        auth.user.id,
        Number(request.params.weekIndex),
        app.clock.now(),
      );
    },
  );

  app.put(
    '/api/v1/roadmaps/:roadmapId/plan/weeks/:weekIndex/checkin',
    {
      schema: {
        operationId: 'setWeekCheckin',
        tags: ['plan'],
        summary: 'Save the reflection note of a week that has begun',
        params: checkinParams,
        body: Type.Object(
          { note: Type.String({ maxLength: checkins.CHECKIN_MAX_LENGTH }) },
          { additionalProperties: false },
        ),
        response: { 200: CheckinSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      const { weekIndex } = request.params;
      return inTransaction(app.db, auth.user.id, (trx) =>
        checkins.saveCheckin(
          trx,
          app.content(),
          roadmap,
          auth.user.id,
          Number(weekIndex),
          request.body.note,
          app.clock.now(),
        ),
      );
    },
  );

  app.get(
    '/api/v1/roadmaps/:roadmapId/plan.ics',
    {
      schema: {
        operationId: 'downloadPlanCalendar',
        tags: ['plan'],
        summary: 'Download the plan as an iCalendar (.ics) file',
        params: roadmapParams,
        response: {
          200: textResponse('text/calendar', 'An iCalendar file'),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const plan = await plans.planForCalendar(db(), content, roadmap, auth.user.id, app.clock.now());
      const ics = await planCalendar(plan, {
        planUrl: `${publicOrigin(app, request)}/roadmaps/${roadmap.id}/plan`,
        ownerKey: calendarOwnerKey(auth.user.id, roadmap.id),
        now: app.clock.now(),
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="waymark-${roadmap.id}-plan.ics"`)
        .header('cache-control', 'private, no-store')
        .send(ics);
    },
  );

  app.post(
    '/api/v1/roadmaps/:roadmapId/plan/feed',
    {
      schema: {
        operationId: 'createPlanFeed',
        tags: ['plan'],
        summary: 'Create (or rotate) your private calendar feed URL',
        description:
          'The URL is shown once; only a hash of its token is stored. Calling this again replaces the URL: the old one stops working.',
        params: roadmapParams,
        response: {
          201: Type.Object({ url: Type.String(), createdAt: Type.String() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      const feed = await inTransaction(app.db, auth.user.id, (trx) =>
        feeds.rotateFeed(trx, roadmap, auth.user.id, app.clock.now()),
      );
      reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .send({ url: `${publicOrigin(app, request)}/calendar/${feed.token}.ics`, createdAt: feed.createdAt });
    },
  );

  app.delete(
    '/api/v1/roadmaps/:roadmapId/plan/feed',
    {
      schema: {
        operationId: 'revokePlanFeed',
        tags: ['plan'],
        summary: 'Revoke your calendar feed URL',
        params: roadmapParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const roadmap = requireRoadmap(app.content(), request.params.roadmapId);
      await app.db.write((trx) => feeds.revokeFeed(trx, roadmap, auth.user.id), {
        userId: auth.user.id,
        scope: 'data',
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/calendar/:file',
    {
      schema: {
        operationId: 'getCalendarFeed',
        tags: ['plan'],
        summary: 'Your private calendar feed (subscribe to this URL; no sign-in needed)',
        params: Type.Object({
          file: Type.String({ maxLength: 100, description: '<token>.ics, from POST …/plan/feed' }),
        }),
        response: { 200: textResponse('text/calendar', 'An iCalendar file'), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const gone = () =>
        problems.notFound(
          'Calendar feed',
          'This calendar feed does not exist or was revoked. Create a new feed URL on your plan page.',
        );
      const match = /^(.+)\.ics$/.exec(request.params.file);
      if (!match) throw gone();
      const now = app.clock.now();
      // A write only to record the fetch (housekeeping: nothing to announce).
      const owner = await app.db.write((trx) => feeds.resolveFeed(trx, match[1]!, now), null);
      if (!owner) throw gone();
      const content = app.content();
      const roadmap = content.roadmaps.get(owner.roadmapId);
      if (!roadmap) throw gone();
      const plan = await plans.planForCalendar(db(), content, roadmap, owner.userId, now);
      const ics = await planCalendar(plan, {
        planUrl: `${publicOrigin(app, request)}/roadmaps/${roadmap.id}/plan`,
        ownerKey: calendarOwnerKey(owner.userId, roadmap.id),
        now,
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('x-robots-tag', 'noindex')
        .header('referrer-policy', 'no-referrer')
        .send(ics);
    },
  );
}
