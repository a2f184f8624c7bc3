import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problems } from '../http/problems.js';
import { tokenRefusal } from './token-scopes.js';
import type { AuthDeps, Authenticated, ClientMeta } from './auth.types.js';
import {
  authenticateApiToken,
  authenticateCachedSession,
  authenticateSession,
  createGuest,
  sessionTokenHash,
} from './session.service.js';

export const SESSION_COOKIE = 'waymark_session';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, resolved once per request from the session cookie or a Bearer token. */
    auth: Authenticated | null;
  }
  interface FastifyInstance {
    authDeps: AuthDeps;
    /** The caller, or a 401 problem. */
    requireAuth(request: FastifyRequest): Authenticated;
    /**
     * The caller; a browser without a session becomes a guest here (rate-limited per address).
     * Used by every state-changing route that a visitor may use without signing up.
     */
    requireUserOrGuest(request: FastifyRequest, reply: FastifyReply): Promise<Authenticated>;
    setSessionCookie(reply: FastifyReply, token: string): void;
    clearSessionCookie(reply: FastifyReply): void;
  }
}

export function clientMeta(request: FastifyRequest): ClientMeta {
  return { userAgent: String(request.headers['user-agent'] ?? ''), ip: request.ip };
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * The origins a same-site request may carry: the configured public URLs, or (only allowed when
 * listening on loopback, see config.ts) the loopback origins of the port actually served. Never the
 * request's own Host header, which a DNS-rebinding page controls.
 */
function allowedOrigins(app: FastifyInstance): readonly string[] {
  const configured = app.authDeps.config.publicOrigins;
  if (configured.length) return configured;
  const address = app.server.listening ? app.server.address() : null;
  const port = typeof address === 'object' && address !== null ? address.port : app.authDeps.config.port;
  return ['localhost', '127.0.0.1', '[::1]'].flatMap((host) => [
    `http://${host}:${port}`,
    `https://${host}:${port}`,
  ]);
}

function requestOrigin(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = request.headers.referer;
  if (typeof referer === 'string') {
    try {
      return new URL(referer).origin;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Authentication for every request, and CSRF protection: a state-changing request that relies
 * on the cookie (or would create a guest) must come from one of our own pages, as its Origin
 * (or, failing that, Referer) header proves. Requests with a Bearer token carry no ambient
 * credentials, so they are exempt.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { deps: AuthDeps }) => {
    const { deps } = opts;
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      secure: deps.config.secureCookies,
      sameSite: 'lax' as const,
      maxAge: deps.config.sessionDays * 86_400,
    };
    app.decorate('authDeps', deps);
    app.decorateRequest('auth', null);
    app.decorate('setSessionCookie', (reply: FastifyReply, token: string) => {
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
    });
    app.decorate('clearSessionCookie', (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, {
        path: '/',
        httpOnly: true,
        secure: deps.config.secureCookies,
        sameSite: 'lax',
      });
    });

    const guestLimit = app.createRateLimit({
      max: deps.config.guestRateLimit,
      timeWindow: 3_600_000,
      keyGenerator: (request) => `guest:${request.ip}`,
    });

    const resolveSession = async (
      request: FastifyRequest,
      reply: FastifyReply,
      cookie: string,
      tokenHash: string | null,
    ) => {
      request.auth = await authenticateSession(deps, cookie, tokenHash);
      if (!request.auth) app.clearSessionCookie(reply);
      else if (request.auth.renewedToken) app.setSessionCookie(reply, request.auth.renewedToken);
    };
    const resolveBearer = async (request: FastifyRequest, bearer: string) => {
      request.auth = await authenticateApiToken(deps, bearer);
      if (!request.auth)
        throw problems.unauthenticated(
          'This API token is unknown, revoked or expired. Create a new one in your account settings.',
        );
      const refusal = tokenRefusal(
        request.auth.token?.scope ?? 'read',
        request.method,
        request.routeOptions.url ?? request.url.split('?')[0] ?? '',
      );
      if (refusal) throw refusal;
    };
    // Asked on every state-changing request; the answer is fixed once the server listens
    // (`server.address()` was 7 % of a PUT's CPU profile).
    let knownOrigins: readonly string[] | null = null;
    const originsNow = (): readonly string[] => {
      if (knownOrigins) return knownOrigins;
      const origins = allowedOrigins(app);
      if (deps.config.publicOrigins.length || app.server.listening) knownOrigins = origins;
      return origins;
    };
    // A callback hook, not an async one: a signed-in browser's session is usually cached, and
    // answering it without a promise keeps that common case cheap (it runs on every request).
    app.addHook('onRequest', (request, reply, done) => {
      if (request.url.startsWith('/assets/') || request.url === '/healthz' || request.url === '/metrics')
        return done();
      const bearer = bearerToken(request);
      if (bearer !== null) {
        resolveBearer(request, bearer).then(() => done(), done);
        return;
      }
      if (STATE_CHANGING.has(request.method)) {
        const origin = requestOrigin(request);
        if (origin === null || !originsNow().includes(origin)) return done(problems.originMismatch());
      }
      const cookie = request.cookies[SESSION_COOKIE];
      if (!cookie) return done();
      const tokenHash = sessionTokenHash(cookie);
      const cached = tokenHash === null ? undefined : authenticateCachedSession(deps, tokenHash);
      if (cached) {
        request.auth = cached;
        return done();
      }
      resolveSession(request, reply, cookie, tokenHash).then(() => done(), done);
    });

    app.decorate('requireAuth', (request: FastifyRequest) => {
      if (!request.auth) throw problems.unauthenticated();
      return request.auth;
    });

    app.decorate('requireUserOrGuest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.auth) return request.auth;
      const limit = await guestLimit(request);
      // The limiter reports `isAllowed: false` for every counted request; `isExceeded` is the verdict.
      if (!limit.isAllowed && (limit as { isExceeded?: boolean }).isExceeded)
        throw problems.rateLimited(limit.ttlInSeconds);
      const guest = await createGuest(deps, clientMeta(request));
      app.setSessionCookie(reply, guest.token);
      request.auth = { user: guest.user, session: guest.session, via: 'session' };
      return request.auth;
    });
  },
  { name: 'waymark-auth', dependencies: ['@fastify/cookie', '@fastify/rate-limit'] },
);
