import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Content } from './content/content.types.js';
import type { Db } from './db/database.js';
import { AJV_OPTIONS, AJV_PLUGINS } from './http/validation.js';
import { lazySchemaCompilers } from './http/lazy-schemas.js';
import { installErrorHandler, type HtmlErrorRenderer } from './http/error-handler.js';
import { problems } from './http/problems.js';
import { ProblemSchema } from './http/schemas.js';
import { securityHeaders } from './http/security-headers.js';
import { clientErrorHandler, frameworkErrorHandler } from './http/framework-errors.js';
import { inputGuard } from './http/input-guard.js';
import { privateResponses } from './http/cache-control.js';
import { systemClock, type Clock } from './lib/clock.js';
import { authPlugin } from './auth/auth.plugin.js';
import authRoutes from './auth/auth.routes.js';
import accountRoutes from './account/account.routes.js';
import healthRoutes from './observability/health.routes.js';
import { metricsPlugin } from './observability/metrics.js';
import { Counter } from 'prom-client';
import {
  features as allFeatures,
  installFeatures,
  type FeatureManifest,
  type InstalledFeatures,
} from './features.js';
import { UserEvents } from './realtime/user-events.js';
import { changeFeed } from './realtime/change-feed.js';
import { userVersionsFor, type UserVersions } from './realtime/user-versions.js';
import { SessionCache } from './auth/session-cache.js';
import { ProgressCache } from './progress/progress.cache.js';
import { ResponseCache } from './http/response-cache.js';
import { localDateOf } from './plan/dates.js';
import eventsRoutes from './realtime/events.routes.js';
import { createMailer, type Mailer } from './mail/mailer.js';

/**
 * What the API reference (Swagger UI, all files served from /api/docs/static) needs and nothing more:
 * its own scripts and styles, the one <style> element its React code inserts (by hash), data: images
 * and fonts from its stylesheet, and requests to this origin for "Try it out". No https upgrade: that
 * would break plain-http self-hosting.
 */
const API_DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
  "form-action 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
].join('; ');

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** The database; `app.db.write(work, changes)` is the only way to write (see db/database.ts). */
    db: Db;
    clock: Clock;
    redis: Redis | null;
    /** The loaded roadmaps; a function so content can be reloaded without rebuilding the app. */
    content(): Content;
    /** Swaps in freshly loaded content (used by tests and future hot reload). */
    replaceContent(next: Content): void;
    /** Per-user change fan-out (in process, and across instances through Redis): live streams. */
    events: UserEvents;
    /** Per-user versions shared by every instance: what caches are checked against. */
    versions: UserVersions;
    progressCache: ProgressCache;
    /** Finished pages and plan/dashboard answers per user, checked against `versions` (src/http/response-cache.ts). */
    responses: ResponseCache;
    /** The installed features' user-data sections, home widgets and nav entries (see src/features.ts). */
    features: InstalledFeatures;
    /** Compiles every route schema not compiled yet (they compile on first use; see http/lazy-schemas.ts). */
    compileSchemas(): number;
    /** Outgoing email in the background; null without an SMTP server (src/mail). */
    mailer: Mailer | null;
  }
}

export interface AppOptions {
  config: Config;
  db: Db;
  content: Content;
  clock?: Clock;
  redis?: Redis | null;
  logger?: FastifyServerOptions['logger'];
  /** Sends email; made from `config.mail` when not given (tests may pass their own). */
  mailer?: Mailer | null;
  /** The features to install; all of src/features.ts unless a test says otherwise. */
  features?: readonly FeatureManifest[];
}

/**
 * Builds the Fastify app without listening, so tests can `inject` requests. Plugins load in a
 * visible order: infrastructure (security headers, cookies, rate limits, docs) → auth → routes.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, db, content } = options;
  const strictTransportSecurity =
    config.secureCookies && config.publicOrigins.some((o) => o.startsWith('https:'));
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    // Bounded waiting (issue 14): a slow-trickle body or an idle socket cannot hold a connection forever.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: { headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs) },
    frameworkErrors: frameworkErrorHandler(strictTransportSecurity),
    clientErrorHandler: clientErrorHandler(strictTransportSecurity),
    logger: options.logger ?? { level: config.logLevel },
    // Two log lines per request cost more than some handlers; they are kept for debug/trace levels.
    // Errors are still logged (with the request id) by the global error handler.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // No type coercion (src/http/validation.ts); query strings are declared as strings.
    ajv: { customOptions: AJV_OPTIONS, plugins: AJV_PLUGINS },
    schemaController: { compilersFactory: schemas.compilersFactory },
    routerOptions: { ignoreTrailingSlash: true },
  });

  const events = new UserEvents(options.redis ?? null);
  await events.start();
  const versions = userVersionsFor(db, options.redis ?? null);
  app.decorate('config', config);
  // Every write through app.db is announced after commit: versions bumped, events published.
  app.decorate('db', db.withFeed(changeFeed(events, versions)));
  app.decorate('clock', options.clock ?? systemClock);
  app.decorate('compileSchemas', schemas.compileAll);
  app.decorate('redis', options.redis ?? null);
  const installed = installFeatures(options.features ?? allFeatures);
  app.decorate('features', installed);
  let current = content;
  app.decorate('content', () => current);
  app.decorate('replaceContent', (next: Content) => {
    current = next;
  });
  app.addSchema(ProblemSchema);
  app.decorate('events', events);
  app.decorate('versions', versions);
  app.decorate('progressCache', new ProgressCache(versions));
  app.decorate('responses', new ResponseCache(versions, localDateOf));
  app.addHook('onClose', async () => events.stop());
  // createMailer loads nodemailer, so only a server with email configured pays for it.
  const mailer =
    options.mailer !== undefined ? options.mailer : config.mail ? createMailer(config.mail, app.log) : null;
  app.decorate('mailer', mailer);
  // In-flight mail gets its bounded chance to go out before the process ends.
  app.addHook('onClose', async () => {
    await mailer?.idle();
    await mailer?.close();
  });
  // Error handlers bind at route registration, so this comes before any plugin or route.
  let renderHtmlError: HtmlErrorRenderer | undefined;
  installErrorHandler(app, () => renderHtmlError);

  // 1. Infrastructure -------------------------------------------------------------------------
  await app.register(securityHeaders, {
    pages: {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
      // Not helmet's "no-referrer": under it browsers send `Origin: null` with plain HTML form posts, which
      // the Origin check must refuse, so no-JavaScript forms would fail. "same-origin" still sends nothing to other sites.
      referrerPolicy: { policy: 'same-origin' },
    },
    // Machine-readable responses; the API reference (/api/docs) is a page.
    apiPrefixes: ['/api/v1/', '/healthz', '/readyz', '/metrics', '/calendar/'],
    strictTransportSecurity,
  });
  await app.register(privateResponses, { prefixes: ['/api/v1/', '/calendar/'] });
  await app.register(inputGuard);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await app.register(rateLimit, {
    global: false,
    ...(options.redis ? { redis: options.redis, nameSpace: 'waymark-rl:' } : {}),
    errorResponseBuilder: (_request, context) => problems.rateLimited(Math.ceil(context.ttl / 1000)),
  });
  if (config.metricsEnabled) {
    await app.register(metricsPlugin);
    if (mailer) {
      const emails = new Counter({
        name: 'waymark_emails_total',
        help: 'Emails by kind and result (sent, failed: SMTP error or timeout, dropped: queue full)',
        labelNames: ['kind', 'result'] as const,
        registers: [app.metrics],
      });
      mailer.onResult = (kind, result) => emails.labels(kind, result).inc();
    }
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Waymark API',
        version: '1.0.0',
        license: { name: 'MIT', identifier: 'MIT' },
        description:
          'Roadmaps, progress, plans and reviews. Authenticate with the session cookie (browsers) or `Authorization: Bearer wm_…` (personal API tokens, created in account settings). Errors are RFC 9457 problem details with a stable `code`.',
      },
      // Where this document is served from; WAYMARK_PUBLIC_URL names it when set.
      servers: (config.publicOrigins.length ? config.publicOrigins : ['/']).map((url) => ({ url })),
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (wm_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'waymark_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(async (docs) => {
    // The page swagger-ui writes has no viewport tag, so phones laid it out 980 px wide.
    docs.addHook('onSend', async (_request, reply, payload) =>
      typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')
        ? payload.replace(
            '<meta charset="UTF-8">',
            '<meta charset="UTF-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">',
          )
        : payload,
    );
    await docs.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: true,
      transformStaticCSP: () => API_DOCS_CSP,
      theme: { title: 'Waymark API reference' },
      // No validator badge: it would load an image from validator.swagger.io.
      uiConfig: { deepLinking: true, tryItOutEnabled: true, validatorUrl: null },
    });
  });

  // 2. Who is calling ---------------------------------------------------------------------------
  await app.register(authPlugin, {
    deps: {
      db: app.db,
      config,
      clock: app.clock,
      content: () => current,
      versions,
      sessionCache: new SessionCache(),
      userData: installed.userData,
      mailer,
    },
  });

  // 3. Routes ---------------------------------------------------------------------------------
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(accountRoutes);
  await app.register(eventsRoutes);
  for (const feature of installed.list) {
    for (const routes of feature.routes ?? []) await app.register(routes);
    for (const pages of feature.pages ?? []) await app.register(pages);
    await feature.setup?.(app);
    if (feature.renderHtmlError) renderHtmlError = feature.renderHtmlError;
  }
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
