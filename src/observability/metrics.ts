import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { problems } from '../http/problems.js';

const digest = (value: string) => createHash('sha256').update(value).digest();
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * `/metrics` lists every route and the process's internals: with WAYMARK_METRICS_TOKEN it wants
 * that bearer secret (compared in constant time); without one, only clients on this machine (the
 * address after WAYMARK_TRUST_PROXY, so a proxied outside request is still refused) may read it.
 */
function metricsAllowed(request: FastifyRequest, token: string | null): boolean {
  if (token === null) return LOOPBACK.test(request.ip);
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

/**
 * Prometheus metrics at `/metrics`: process defaults plus request counts and latency by route
 * pattern (not raw URL, so topic ids do not explode the label set).
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'waymark_' });
    const requests = new Counter({
      name: 'waymark_http_requests_total',
      help: 'HTTP requests by method, route and status class',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'waymark_http_request_duration_seconds',
      help: 'HTTP request duration by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    app.decorate('metrics', registry);
    // Label children are looked up once per (method, route, status) instead of hashing a label
    // object on every response; the set is bounded by the route table.
    const children = new Map<
      string,
      { count: Counter.Internal; time: Histogram.Internal<'method' | 'route'> }
    >();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const status = `${Math.floor(reply.statusCode / 100)}xx`;
      const key = `${request.method} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        child = {
          count: requests.labels(request.method, route, status),
          time: duration.labels(request.method, route),
        };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(reply.elapsedTime / 1000);
      done();
    });
    const token = app.config.metricsToken;
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!metricsAllowed(request, token))
        throw problems.unauthenticated(
          token
            ? 'Send the metrics secret as "Authorization: Bearer …" (WAYMARK_METRICS_TOKEN).'
            : 'Metrics are served only to this machine. Set WAYMARK_METRICS_TOKEN to scrape them from elsewhere.',
        );
      reply.header('cache-control', 'no-store');
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'waymark-metrics' },
);
