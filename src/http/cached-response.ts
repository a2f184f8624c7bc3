import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  bodyOf,
  codedBody,
  entityTag,
  matchesTag,
  negotiateCoding,
  type CachedBody,
  type DayStamp,
} from './response-cache.js';

/** What a handler builds when the cache has nothing current: the body and the day it depends on. */
export interface Built {
  text: string | Buffer;
  /** The calendar day (and zone) the body was computed for; omit when it does not depend on the date. */
  day?: DayStamp | null;
}

export interface CachedResponseOptions {
  /** What identifies the response for this user besides their data version, e.g. `page:<url>:<theme>`. */
  key: string;
  type: string;
  /** Send br/gzip when the client accepts it (pages; the JSON API leaves compression to the proxy). */
  compress: boolean;
  headers?: Record<string, string>;
  build: () => Promise<Built>;
}

/**
 * Answers a signed-in GET from the per-user response cache ({@link ResponseCache}) or builds,
 * stores and sends it. Every answer carries a strong `ETag` of its body, and a matching
 * `If-None-Match` gets `304`. Without a user, or when versions cannot be checked (PostgreSQL
 * without Redis, a write in flight), the body is built every time and nothing is stored.
 */
export async function sendCached(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  options: CachedResponseOptions,
): Promise<FastifyReply> {
  const userId = request.auth?.user.id;
  let body: CachedBody | undefined;
  if (userId) {
    const content = app.content();
    const lookup = await app.responses.lookup(userId, options.key, content, app.clock.now());
    body = lookup.hit;
    if (!body) {
      const built = await options.build();
      body = bodyOf(options.type, built.text);
      await app.responses.store(lookup, content, built.day ?? null, body);
    }
  } else {
    body = bodyOf(options.type, (await options.build()).text);
  }
  return sendBody(request, reply, body, options);
}

function sendBody(
  request: FastifyRequest,
  reply: FastifyReply,
  body: CachedBody,
  options: Pick<CachedResponseOptions, 'compress' | 'headers'>,
): FastifyReply {
  const coding = options.compress ? negotiateCoding(request.headers['accept-encoding']) : 'identity';
  for (const [name, value] of Object.entries(options.headers ?? {})) reply.header(name, value);
  reply.header('etag', entityTag(body, coding));
  if (matchesTag(request.headers['if-none-match'], body)) return reply.code(304).send();
  reply.code(200).type(body.type);
  if (coding !== 'identity') reply.header('content-encoding', coding);
  return reply.send(codedBody(body, coding));
}

/**
 * {@link sendCached} for a JSON API answer: `build` returns the value, which the route's response
 * schema serialises once per version. Not compressed here (the reverse proxy does that for the API).
 */
export function sendCachedJson<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  build: () => Promise<{ value: T; day?: DayStamp | null }>,
): Promise<FastifyReply> {
  return sendCached(app, request, reply, {
    key: `json\u0000${key}`,
    type: 'application/json; charset=utf-8',
    compress: false,
    build: async () => {
      const { value, day } = await build();
      return { text: reply.serialize(value) as string, day: day ?? null };
    },
  });
}
