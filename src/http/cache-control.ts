import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * `Cache-Control: no-store` on every API answer that depends on who is asking (a session cookie
 * or a token came with it) and on every error, unless the route chose its own policy. Shared
 * caches and the browser's disk cache then never keep anyone's progress, tokens or sessions.
 */
export const privateResponses = fp(
  async (app: FastifyInstance, options: { prefixes: readonly string[] }) => {
    const { prefixes } = options;
    app.addHook('onSend', (request, reply, payload, done) => {
      if (!reply.hasHeader('cache-control')) {
        const url = request.url;
        if (
          prefixes.some((prefix) => url.startsWith(prefix)) &&
          (request.auth !== null ||
            request.headers.authorization !== undefined ||
            request.headers.cookie !== undefined ||
            reply.statusCode >= 400)
        )
          reply.header('cache-control', 'no-store');
      }
      done(null, payload);
    });
  },
  { name: 'waymark-private-responses' },
);
