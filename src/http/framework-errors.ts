import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Problem, problems } from './problems.js';
import { apiHeaders } from './security-headers.js';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/**
 * Errors Fastify's router raises before any hook runs (a malformed percent-encoding, a path
 * parameter over the length limit): the same problem+json and security headers as every other error.
 *
 * @example Fastify({ frameworkErrors: frameworkErrorHandler(false) })
 */
export function frameworkErrorHandler(strictTransportSecurity: boolean) {
  const headers = apiHeaders(strictTransportSecurity);
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    let problem: Problem;
    if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') problem = problems.uriTooLong();
    else if (error.code === 'FST_ERR_BAD_URL')
      problem = problems.badRequest(
        'bad_url',
        'This address has an invalid percent-encoding (such as %zz). Check the link.',
      );
    else problem = problems.badRequest('bad_request', 'The request could not be understood.');
    void reply
      .headers(headers)
      .code(problem.status)
      .type(PROBLEM_JSON)
      .send(problem.toJSON(request.url.split('?')[0]));
  };
}

function clientProblem(code: string | undefined): Problem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new Problem(
        431,
        'headers_too_large',
        'Request headers too large',
        'The request headers (often cookies) are larger than the server accepts. Clear this site’s cookies and try again.',
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new Problem(
        408,
        'request_timeout',
        'Request took too long',
        'The request was not received in time. Check your connection and try again.',
      );
    default:
      return problems.badRequest('bad_request', 'The request is not valid HTTP.');
  }
}

/**
 * Node's own HTTP parser errors (malformed requests, oversized headers, request timeouts) happen
 * before Fastify sees a request; answer them as problem+json with the security headers too.
 */
export function clientErrorHandler(strictTransportSecurity: boolean) {
  const headers = apiHeaders(strictTransportSecurity);
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const problem = clientProblem(error.code);
      const body = JSON.stringify(problem.toJSON());
      const lines = [
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
        `Content-Type: ${PROBLEM_JSON}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}
