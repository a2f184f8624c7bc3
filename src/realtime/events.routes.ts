import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Authenticated } from '../auth/auth.types.js';
import { stillAuthenticates } from '../auth/session.service.js';
import { problems } from '../http/problems.js';
import { errorResponses } from '../http/schemas.js';
import { frameOf, type EventBatch, type UserEvent } from './user-events.js';

const HEARTBEAT_MS = 25_000;

/**
 * Writes frames shared by many streams. A chunked response whose own buffer is empty gets the
 * pre-framed chunk straight on its socket — one write, no per-stream framing, copying or corking,
 * which is most of the cost of fanning one event out to thousands of streams; anything else goes
 * through the response as usual.
 */
function writeShared(raw: ServerResponse, frames: Buffer, chunk: Buffer): void {
  const socket = raw.socket;
  if (socket && raw.chunkedEncoding && raw.headersSent && raw.writableLength === socket.writableLength)
    socket.write(chunk);
  else raw.write(frames);
}

/** The OpenAPI description of a `text/event-stream` response carrying `what`. */
export function eventStreamResponse(what: string) {
  return {
    description: `A \`text/event-stream\`: ${what}`,
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  };
}

/** Starts a server-sent event stream on a hijacked reply (headers that keep proxies from buffering it). */
export function openEventStream(raw: ServerResponse, retryMs = 5000): ServerResponse {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write(`retry: ${retryMs}\n\n`);
  return raw;
}

/** Why an event ends a stream opened with these credentials, or null when it does not. */
export function endsStream(auth: Authenticated, event: UserEvent): string | null {
  switch (event.type) {
    case 'sessions-revoked':
      return auth.session && (event.sessionIds === 'all' || event.sessionIds.includes(auth.session.id))
        ? 'session ended'
        : null;
    case 'token-revoked':
      return auth.token?.id === event.tokenId ? 'API token revoked' : null;
    case 'password-changed':
      return 'password changed';
    case 'deleted':
      return 'account deleted';
    default:
      return null;
  }
}

/**
 * `GET /api/v1/events`: a server-sent event stream of the caller's own changes, so a second tab
 * or device updates live. Behind several instances the events arrive through Redis pub/sub. The
 * stream ends (with a last `closed` event) as soon as the credentials that opened it stop being
 * valid — log-out, session or token revoked, password changed, account deleted — whichever
 * instance that happened on; each heartbeat also re-checks them against the database in case a
 * message was lost.
 */
export default async function eventsRoutes(app: FastifyInstance): Promise<void> {
  const open = new Set<(reason?: string) => void>();
  // Streams per user on this instance: each holds a socket and a subscription, so one account
  // cannot open thousands of them.
  const perUser = new Map<string, number>();
  const limit = app.config.maxEventStreamsPerUser;
  // Shutting down: every stream gets a last `closed` event (clients reconnect to another instance
  // or after the restart) before the server stops waiting for connections to end.
  app.addHook('preClose', async () => {
    for (const close of open) close('server shutting down');
  });
  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['me'],
        operationId: 'streamEvents',
        summary: 'Live stream (text/event-stream) of changes to your data, for keeping open views in sync',
        response: {
          200: eventStreamResponse('`changed`, `sync` and finally `closed` events'),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const userId = auth.user.id;
      const count = perUser.get(userId) ?? 0;
      if (count >= limit) throw problems.tooManyStreams(limit);
      perUser.set(userId, count + 1);
      reply.hijack();
      const raw = openEventStream(reply.raw);
      const end = (reason: string) => {
        if (!raw.writableEnded) raw.write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
        close();
      };
      const send = ({ events, frames, chunk, plain }: EventBatch) => {
        // A stream already ended (account deleted, client gone) takes no more writes.
        if (raw.writableEnded) return;
        // The usual batch (changes) is one write of the buffer every stream of the user shares.
        if (plain) {
          writeShared(raw, frames, chunk);
          return;
        }
        for (const event of events) {
          if (raw.writableEnded) return;
          const reason = endsStream(auth, event);
          if (reason) return end(reason);
          // Revocations of other sessions and tokens are not the stream's business.
          if (event.type === 'sessions-revoked' || event.type === 'token-revoked') continue;
          raw.write(frameOf(event));
        }
      };
      const unsubscribe = app.events.onUserBatch(auth.user.id, send);
      const heartbeat = setInterval(() => {
        if (raw.writableEnded) return;
        raw.write(': keep-alive\n\n');
        stillAuthenticates(app.authDeps, auth).then(
          (ok) => ok || end('credentials no longer valid'),
          () => {},
        );
      }, HEARTBEAT_MS);
      let closed = false;
      const close = (reason?: string) => {
        if (closed) return;
        if (reason && !raw.writableEnded) raw.write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
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
      request.raw.once('close', () => close());
    },
  );
}
