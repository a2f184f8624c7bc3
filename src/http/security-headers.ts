import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Runs helmet once, against a recording response, and returns the headers it would set. Waymark's
 * policy has no per-request parts (no nonces), so the result is the same for every response.
 */
export function computeHelmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
    getHeader(name: string) {
      return headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  // helmet is connect-style middleware; with static options it finishes synchronously.
  (helmet(options) as unknown as (req: object, res: object, next: (error?: unknown) => void) => void)(
    {},
    recorder,
    (error) => {
      failure = error;
    },
  );
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return Object.freeze(headers);
}

/**
 * The headers of a machine-readable response (JSON, problem+json, metrics, calendars), following
 * the OWASP REST Security Cheat Sheet: such a response is never a document, so it may load nothing
 * (`default-src 'none'`), be framed nowhere, and must not be sniffed into HTML. helmet's other
 * headers govern how a browser treats a page (DNS prefetch, IE downloads, origin-keyed agent
 * clusters, referrers sent by links) and mean nothing here; leaving them off halves the header
 * bytes of every API response, which `npm run bench` showed to cost a quarter of a small read.
 */
export function apiHeaders(strictTransportSecurity: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    ...(strictTransportSecurity
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
  });
}

export interface SecurityHeadersOptions {
  /** helmet's options for pages (HTML, assets, the API reference). */
  pages: HelmetOptions;
  /** URL prefixes whose responses are machine-readable and get {@link apiHeaders}. */
  apiPrefixes: readonly string[];
  strictTransportSecurity: boolean;
}

/**
 * Security headers on every response: helmet's, with Waymark's strict Content-Security-Policy, on
 * pages; the leaner API set on machine-readable paths. Both are computed once at start-up instead
 * of running helmet per request, which cost about 40% of the throughput of a small JSON response
 * in `npm run bench`. Routes may still override a header (the API reference sets its own CSP).
 */
export const securityHeaders = fp(
  async (app: FastifyInstance, options: SecurityHeadersOptions) => {
    const pageHeaders = computeHelmetHeaders({
      ...options.pages,
      strictTransportSecurity: options.strictTransportSecurity,
    } as HelmetOptions);
    const api = apiHeaders(options.strictTransportSecurity);
    const { apiPrefixes } = options;
    app.addHook('onRequest', (request, reply, done) => {
      const url = request.url;
      let headers = pageHeaders;
      for (const prefix of apiPrefixes) {
        if (url.startsWith(prefix)) {
          headers = api;
          break;
        }
      }
      reply.headers(headers);
      done();
    });
  },
  { name: 'waymark-security-headers' },
);
