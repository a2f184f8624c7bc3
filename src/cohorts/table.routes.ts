import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/schemas.js';
import { problems } from '../http/problems.js';
import { stillAuthenticates } from '../auth/session.service.js';
import { endsStream, eventStreamResponse, openEventStream } from '../realtime/events.routes.js';
import type { TableSort } from './cohorts.repository.js';
import * as policy from './policy.js';
import { cohortSubject } from './summaries.js';
import { cohortCsv, cohortTable, learnerDetail, type TableOptions } from './table.service.js';
import {
  CohortParams,
  LearnerDetailSchema,
  LearnerParams,
  LearnerRowSchema,
  TableQuerySchema,
  TableSchema,
} from './cohorts.schemas.js';

const tags = ['cohorts'];
const HEARTBEAT_MS = 25_000;

/** The table's query string as service options (defaults: by name, 100 a page). */
export function tableOptions(query: Static<typeof TableQuerySchema>): TableOptions {
  const filters = new Set((query.filter ?? '').split(',').filter(Boolean));
  return {
    roadmapId: query.roadmapId,
    sort: (query.sort ?? 'name') as TableSort,
    descending: query.order === 'desc',
    filters: {
      behind: filters.has('behind'),
      inactive: filters.has('inactive'),
      stuck: filters.has('stuck'),
    },
    limit: Math.min(500, Math.max(1, Number(query.limit ?? 100))),
    offset: Number(query.offset ?? 0),
  };
}

/**
 * The mentor's view of a cohort: the table (JSON and CSV), a learner's drill-down, and a live stream
 * that tells open tables which learner changed. Cohort mentors and admins only (policy.ts).
 */
export default async function cohortTableRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(LearnerRowSchema);
  app.addSchema(TableSchema);
  app.addSchema(LearnerDetailSchema);
  const db = () => app.db.kysely;

  app.get(
    '/api/v1/cohorts/:cohortId/learners',
    {
      schema: {
        tags,
        operationId: 'getCohortTable',
        summary:
          'The cohort table: each learner’s progress, plan status, forecast, activity, streak, verified projects and review backlog; sortable and filterable',
        params: CohortParams,
        querystring: TableQuerySchema,
        response: { 200: Type.Ref('CohortTable'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = app.requireAuth(request).user;
      await policy.requireCohortTable(db(), actor, request.params.cohortId);
      const table = await cohortTable(
        db(),
        request.params.cohortId,
        tableOptions(request.query),
        app.clock.now(),
      );
      app.cohortSummaries.refreshStale(table.cohortId, table.roadmapId);
      return table;
    },
  );

  app.get(
    '/api/v1/cohorts/:cohortId/learners.csv',
    {
      schema: {
        tags,
        operationId: 'exportCohortTable',
        summary:
          'The cohort table as CSV (every matching learner; cells a spreadsheet would run as formulas are escaped)',
        params: CohortParams,
        querystring: TableQuerySchema,
        response: {
          200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = app.requireAuth(request).user;
      await policy.requireCohortTable(db(), actor, request.params.cohortId);
      const csv = await cohortCsv(
        db(),
        request.params.cohortId,
        tableOptions(request.query),
        app.clock.now(),
      );
      reply.type('text/csv; charset=utf-8');
      reply.header('content-disposition', 'attachment; filename="cohort-learners.csv"');
      return csv;
    },
  );

  app.get(
    '/api/v1/cohorts/:cohortId/learners/:learnerId',
    {
      schema: {
        tags,
        operationId: 'getCohortLearner',
        summary:
          'One learner, read-only: statuses, shared notes, plan and weekly check-ins (reflections only if shared), project runs',
        params: LearnerParams,
        response: { 200: Type.Ref('CohortLearnerDetail'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const actor = app.requireAuth(request).user;
      const { cohortId, learnerId } = request.params;
      await policy.requireLearner(db(), actor, learnerId, cohortId);
      if (actor.id === learnerId && !(await policy.canViewCohortTable(db(), actor, cohortId)))
        throw problems.notFound('Learner');
      return learnerDetail(app.db, app.content(), actor, cohortId, learnerId, app.clock.now());
    },
  );

  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const close of open) close();
  });

  app.get(
    '/api/v1/cohorts/:cohortId/events',
    {
      schema: {
        tags,
        operationId: 'streamCohortEvents',
        summary:
          'Live stream (text/event-stream) for an open cohort table: `learner` events name a learner whose row changed, `members` when membership changed; ends with `closed` when your access ends',
        params: CohortParams,
        response: {
          200: eventStreamResponse('`learner`, `members` and finally `closed` events'),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const actor = auth.user;
      const { cohortId } = request.params;
      await policy.requireCohortTable(db(), actor, cohortId);
      reply.hijack();
      const raw = openEventStream(reply.raw);
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        offCohort();
        offUser();
        open.delete(close);
        if (!raw.writableEnded) raw.end();
      };
      const end = (reason: string) => {
        if (!raw.writableEnded) raw.write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
        close();
      };
      // Access is checked again before anything is sent: a removed mentor's stream ends at the next event.
      const stillAllowed = () => policy.canViewCohortTable(db(), actor, cohortId);
      const offCohort = app.events.onUser(cohortSubject(cohortId), (event) => {
        if (event.type !== 'sync') return;
        stillAllowed().then(
          (ok) => {
            if (closed || raw.writableEnded) return;
            if (!ok) return end('no longer a mentor of this cohort');
            const learnerId = event.reason.startsWith('learner:') ? event.reason.slice(8) : null;
            raw.write(
              learnerId
                ? `event: learner\ndata: ${JSON.stringify({ learnerId })}\n\n`
                : `event: members\ndata: {}\n\n`,
            );
          },
          () => {},
        );
      });
      const offUser = app.events.onUser(actor.id, (event) => {
        const reason = endsStream(auth, event);
        if (reason) end(reason);
        else if (event.type === 'changed' || event.type === 'sync')
          stillAllowed().then(
            (ok) => ok || end('no longer a mentor of this cohort'),
            () => {},
          );
      });
      const heartbeat = setInterval(() => {
        if (raw.writableEnded) return;
        raw.write(': keep-alive\n\n');
        Promise.all([stillAuthenticates(app.authDeps, auth), stillAllowed()]).then(
          ([authenticated, allowed]) => (authenticated && allowed) || end('access ended'),
          () => {},
        );
      }, HEARTBEAT_MS);
      open.add(close);
      request.raw.once('close', close);
    },
  );
}
