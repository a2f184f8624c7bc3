import type { FastifyInstance } from 'fastify';
import { problems } from '../http/problems.js';
import { errorResponses } from '../http/schemas.js';
import type { UserEvent } from './user-events.js';

const HEARTBEAT_MS = 25_000;

/**
 * `GET /api/v1/events`: a server-sent event stream of the caller's own changes, so a second tab
 * or device updates live. Behind several instances the events arrive through Redis pub/sub.
 */
export default async function eventsRoutes(app: FastifyInstance): Promise<void> {
  const open = new Set<() => void>();
  // Streams per user on this instance: each holds a socket and a subscription, so one account
  // cannot open thousands of them.
  const perUser = new Map<string, number>();
  const limit = app.config.maxEventStreamsPerUser;
  app.addHook('onClose', async () => {
    for (const close of open) close();
  });
  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['me'],
        summary: 'Live stream (text/event-stream) of changes to your data, for keeping open views in sync',
        response: { ...errorResponses(401, 429) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const userId = auth.user.id;
      const count = perUser.get(userId) ?? 0;
      if (count >= limit) throw problems.tooManyStreams(limit);
      perUser.set(userId, count + 1);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 5000\n\n');
      const send = (event: UserEvent) => {
        // A stream already ended (account deleted, client gone) takes no more writes.
        if (raw.writableEnded) return;
        // Session revocations are internal; a deleted account closes the stream.
        if (event.type === 'sessions-revoked') return;
        raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        if (event.type === 'deleted') raw.end();
      };
      const unsubscribe = app.events.onUser(auth.user.id, send);
      const heartbeat = setInterval(() => {
        if (!raw.writableEnded) raw.write(': keep-alive\n\n');
      }, HEARTBEAT_MS);
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        const left = (perUser.get(userId) ?? 1) - 1;
        if (left > 0) perUser.set(userId, left);
        else perUser.delete(userId);
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(close);
        if (!raw.writableEnded) raw.end();
      };
      open.add(close);
      request.raw.once('close', close);
    },
  );
}
