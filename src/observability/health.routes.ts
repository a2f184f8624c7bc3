import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '../http/schemas.js';
import { problems } from '../http/problems.js';

/** Liveness and readiness for load balancers and orchestrators. */
export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['ops'],
        summary: 'Liveness: the process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errorResponses(431) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        tags: ['ops'],
        summary: 'Readiness: the database (and Redis, when configured) answer',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String(), redis: Type.String() }),
          ...errorResponses(431, 503),
        },
      },
    },
    async (request) => {
      try {
        await app.db.ping();
        if (app.redis) await app.redis.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        throw problems.unavailable('A backing service (database or Redis) is not answering.');
      }
      return {
        status: 'ready' as const,
        database: app.db.dialect,
        redis: app.redis ? 'up' : 'not configured',
      };
    },
  );
}
