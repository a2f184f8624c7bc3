import { problems, type Problem } from '../http/problems.js';

/** What a personal API token may do: read learning data, or read and change it. */
export const TOKEN_SCOPES = ['read', 'read-write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function isTokenScope(value: unknown): value is TokenScope {
  return (TOKEN_SCOPES as readonly unknown[]).includes(value);
}

/**
 * Routes that manage credentials: signing in and out, sessions, tokens, the password, deleting the
 * account. A token never reaches them, whatever its scope, so a leaked token cannot mint more
 * tokens, sign the owner's browsers out or lock the owner out.
 */
const CREDENTIAL_ROUTES: readonly RegExp[] = [
  /^\/api\/v1\/auth\//,
  /^\/api\/v1\/me\/(tokens|sessions|password|email)(\/|$)/,
];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one authorisation rule for API tokens, checked for every request a token makes: null when
 * allowed, else the problem to answer. `route` is the matched route pattern (or the path).
 *
 * @example tokenRefusal('read', 'PUT', '/api/v1/topics/:topicId/progress') // → 403 token_read_only
 */
export function tokenRefusal(scope: TokenScope, method: string, route: string): Problem | null {
  const deletesAccount = method === 'DELETE' && route === '/api/v1/me';
  if (deletesAccount || CREDENTIAL_ROUTES.some((pattern) => pattern.test(route)))
    return problems.forbidden(
      'token_not_allowed',
      'API tokens cannot manage sign-ins, sessions, tokens, the password or the account. Do this in Waymark’s settings while signed in.',
    );
  if (scope === 'read' && !READ_METHODS.has(method))
    return problems.forbidden(
      'token_read_only',
      'This API token may only read. Create a read-write token in Settings → API tokens to make changes.',
    );
  return null;
}
