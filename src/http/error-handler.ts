import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Problem, problems } from './problems.js';
import { fieldsFromValidation, type AjvLikeError } from './validation.js';
import { REDIS_UNREACHABLE_MESSAGE } from '../lib/redis.js';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/**
 * Error codes meaning the database cannot be reached right now (the request itself was fine):
 * socket errors, PostgreSQL's connection and shutdown classes (08…, 57P01–57P03, 53300 too many
 * connections), SQLite's busy/locked after its timeout, and Redis not connected (writes wait for it)
 * or not answering in time (REDIS_UNREACHABLE_MESSAGE).
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'REDIS_UNAVAILABLE',
]);
const UNREACHABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|Client was closed and is not queryable/;

/** True when `error` says a backing service is unreachable for now, not that the request was wrong. */
export function isUnreachable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNREACHABLE.has(code) || code.startsWith('08')) return true;
  if (
    typeof e.message === 'string' &&
    (UNREACHABLE_MESSAGE.test(e.message) || REDIS_UNREACHABLE_MESSAGE.test(e.message))
  )
    return true;
  return Array.isArray(e.errors) && e.errors.some(isUnreachable);
}

/** Turns anything thrown into a Problem; unknown errors become an opaque 500. */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const fe = error as FastifyError & { validation?: AjvLikeError[]; validationContext?: string };
  if (fe?.validation) {
    const errors = fieldsFromValidation(fe.validationContext, fe.validation);
    const first = errors[0];
    return problems.validation(
      first
        ? `${first.pointer.split('/').slice(2).join('.') || first.pointer} ${first.message}.`
        : 'Invalid request.',
      errors,
    );
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problems.unsupportedMediaType('Send JSON (Content-Type: application/json) or an HTML form.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problems.payloadTooLarge('The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problems.badRequest(
        'invalid_json',
        'The body is empty but Content-Type says JSON. Send a JSON object.',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problems.badRequest('invalid_json', 'The request body is not valid JSON.');
  }
  if (fe instanceof SyntaxError || fe?.statusCode === 400) {
    return problems.badRequest('bad_request', fe.message || 'The request could not be understood.');
  }
  if (fe?.statusCode === 429) return problems.rateLimited(60);
  if (isUnreachable(error))
    return problems.unavailable(
      'The database or Redis is not answering right now. Nothing was changed; try again in a few seconds.',
    );
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new Problem(fe.statusCode, 'bad_request', 'Bad request', fe.message);
  }
  return problems.internal();
}

/** Sends a problem as `application/problem+json`. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.code(problem.status).type(PROBLEM_JSON).send(problem.toJSON(request.url));
}

/**
 * One global error handler: client mistakes become 4xx problems with actionable messages;
 * anything else is logged with the request id and shown as an opaque 500.
 */
export function installErrorHandler(
  app: FastifyInstance,
  htmlRenderer: () => HtmlErrorRenderer | undefined = () => undefined,
): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) {
      request.log.error({ err: error, reqId: request.id }, 'request failed');
    }
    const renderHtmlError = htmlRenderer();
    if (renderHtmlError && wantsHtml(request)) {
      return renderHtmlError(request, reply, problem);
    }
    return sendProblem(request, reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = problems.notFound(
      'Page',
      `Nothing lives at ${request.method} ${request.url.split('?')[0]}.`,
    );
    const renderHtmlError = htmlRenderer();
    if (renderHtmlError && wantsHtml(request)) return renderHtmlError(request, reply, problem);
    return sendProblem(request, reply, problem);
  });
}

export type HtmlErrorRenderer = (
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
) => FastifyReply;

/** Browser navigations (not API calls) get an HTML error page. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}
