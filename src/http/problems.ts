/**
 * Waymark's one error vocabulary. Every error a client can see is one of these, sent as
 * RFC 9457 `application/problem+json` with a stable machine-readable `code` and a sentence a
 * person can act on. Routes throw `problems.xxx(...)`; the global error handler presents them.
 */

/**
 * Every `code` a problem can carry, and what it means — the closed list. A new code is one line
 * here; `Problem` accepts nothing else, and the OpenAPI document publishes this list as the
 * `code` enum (test/api/problem-codes.test.ts checks that sources use only these).
 */
export const PROBLEM_CODES = {
  // 400: the request itself is malformed or has invalid fields.
  validation_failed: 'One or more fields are invalid; `errors` names each one (JSON pointer).',
  bad_request: 'The request could not be understood.',
  bad_url: 'The address has an invalid percent-encoding.',
  invalid_json: 'The body is not valid JSON (or is empty while Content-Type says JSON).',
  invalid_characters: 'A text field holds characters no database can store (NUL, unpaired surrogates).',
  forbidden_property: 'A JSON property name that could pollute prototypes (`__proto__`, …).',
  link_invalid: 'An emailed link that was used, expired or replaced; ask for a new one.',
  // 401 / 403: who is calling, and what they may do.
  unauthenticated: 'Sign in, or send a personal API token as a Bearer token.',
  invalid_credentials: 'The email or password is incorrect.',
  account_required: 'A guest cannot do this; sign up first.',
  origin_mismatch: "A cookie-authenticated write that did not come from one of Waymark's pages.",
  token_not_allowed: 'API tokens cannot do this; use the web app while signed in.',
  token_read_only: 'This API token is read-only.',
  email_domain_mismatch: 'The cohort invite is only for accounts at another email domain.',
  // 404, 408, 413, 414, 415, 431: the resource or the transport.
  not_found: 'There is no such resource (or it is not yours).',
  email_not_configured: 'This Waymark sends no email (no SMTP server is configured).',
  request_timeout: 'The request was not received in time.',
  payload_too_large: 'The body is larger than this endpoint accepts.',
  uri_too_long: 'A part of the address is longer than any resource name.',
  unsupported_media_type: 'Send JSON or an HTML form.',
  headers_too_large: 'The request headers (often cookies) are too large.',
  // 409: the request conflicts with the current state.
  already_signed_in: 'Sign out before creating another account.',
  email_unavailable: 'That email cannot be used for a new account.',
  too_many_tokens: 'The account already has as many API tokens as allowed.',
  replan_impossible: 'The plan cannot be re-planned that way.',
  week_not_started: 'A check-in for a plan week that has not started yet.',
  card_not_in_queue: "The review card is not in today's queue.",
  card_not_due: 'The review card is not due yet.',
  review_conflict: 'The card was reviewed meanwhile (another tab or device).',
  run_in_progress: 'A check run for this project is already running.',
  project_not_verified: 'The project has no passing verification to share.',
  handle_taken: 'Another learner already uses this public-profile handle.',
  feedback_cohort_required: 'A reply to mentors needs a cohort: none, or several to choose from.',
  already_learner: 'A learner in a cohort cannot also mentor it.',
  already_member: 'You are already in this cohort.',
  already_verified: 'The email address is already verified.',
  // 422: well-formed, but the rules cannot satisfy it.
  limit_exceeded: 'Over a storage limit; nothing was saved.',
  plan_infeasible: 'These plan settings cannot make a plan.',
  not_in_alternative_set: 'The pick is not one of the "choose one of" set\'s topics.',
  target_refused: 'The network guard refuses this address for a check run.',
  handle_reserved: 'The handle is a reserved word (it names a Waymark page).',
  unknown_roadmap: 'There is no roadmap with that id.',
  unknown_account: 'No account has that email.',
  // 429: slow down (with Retry-After).
  rate_limited: 'Too many attempts from this address.',
  account_locked: 'Too many failed sign-ins; the account is locked for a while.',
  too_many_streams: 'Too many live update streams open.',
  too_many_runs: 'Too many check runs per minute.',
  too_many_emails: 'Too many emailed links to one address or account in an hour.',
  // 5xx.
  unavailable: 'The service is not ready (database or Redis unreachable).',
  internal_error: 'The server failed; it has been logged.',
} as const satisfies Record<string, string>;

/** One of {@link PROBLEM_CODES}. */
export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface ProblemField {
  /** JSON pointer into the request, e.g. `/body/email`. */
  pointer: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly title: string,
    readonly detail: string,
    readonly errors: ProblemField[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  toJSON(instance?: string): Record<string, unknown> {
    return {
      type: `https://waymark.dev/problems/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(this.errors.length ? { errors: this.errors } : {}),
    };
  }
}

export const problems = {
  validation: (detail: string, errors: ProblemField[] = []) =>
    new Problem(400, 'validation_failed', 'Your request has invalid fields', detail, errors),
  badRequest: (code: ProblemCode, detail: string) => new Problem(400, code, 'Bad request', detail),
  /** Text no database can store (NUL, unpaired surrogates), refused at the edge on every dialect. */
  invalidCharacters: (field: ProblemField) =>
    new Problem(
      400,
      'invalid_characters',
      'Your request has characters that cannot be stored',
      `${field.pointer} ${field.message}. Remove it and try again.`,
      [field],
    ),
  /** A JSON property name that could pollute prototypes (`__proto__`, `constructor.prototype`). */
  forbiddenProperty: (field: ProblemField) =>
    new Problem(
      400,
      'forbidden_property',
      'Your request has a property that is not allowed',
      `${field.pointer}: ${field.message}. Remove it and try again.`,
      [field],
    ),
  /** More than one account may store (src/account/limits.ts), naming the limit. */
  limitExceeded: (pointer: string, actual: number, max: number, name: string) =>
    new Problem(
      422,
      'limit_exceeded',
      'Over a storage limit',
      `${pointer} has ${actual}; the limit is ${max} ${name}. Nothing was saved.`,
      [{ pointer, message: `has ${actual}; the limit is ${max} ${name}` }],
    ),
  uriTooLong: () =>
    new Problem(
      414,
      'uri_too_long',
      'Address too long',
      'A part of this address is longer than any Waymark resource name. Check the link.',
    ),
  unauthenticated: (detail = 'Sign in (or send an API token as "Authorization: Bearer …") to do this.') =>
    new Problem(401, 'unauthenticated', 'Not signed in', detail),
  invalidCredentials: () =>
    new Problem(401, 'invalid_credentials', 'Sign-in failed', 'The email or password is incorrect.'),
  forbidden: (code: ProblemCode, detail: string) => new Problem(403, code, 'Not allowed', detail),
  originMismatch: () =>
    new Problem(
      403,
      'origin_mismatch',
      'Cross-site request refused',
      'This request did not come from a Waymark page (its Origin header is missing or belongs to another site). Reload the page and try again.',
    ),
  notFound: (what: string, detail?: string) =>
    new Problem(404, 'not_found', `${what} not found`, detail ?? `There is no ${what.toLowerCase()} here.`),
  conflict: (code: ProblemCode, detail: string) => new Problem(409, code, 'Conflict', detail),
  /** Well-formed input the rules cannot satisfy (e.g. plan settings that cannot finish in time). */
  unprocessable: (code: ProblemCode, title: string, detail: string, errors: ProblemField[] = []) =>
    new Problem(422, code, title, detail, errors),
  /** A pick in a "choose one of" set that is not one of its topics. */
  notInAlternativeSet: (detail: string, errors: ProblemField[] = []) =>
    new Problem(422, 'not_in_alternative_set', 'Not one of the choices', detail, errors),
  /** A public-profile handle another learner already uses (handles are unique ignoring case). */
  handleTaken: (handle: string) =>
    new Problem(
      409,
      'handle_taken',
      'Handle already taken',
      `The handle "${handle}" is already used by another learner (handles ignore upper and lower case). Choose another one.`,
      [{ pointer: '/body/handle', message: 'is already taken' }],
    ),
  /** A handle that names a Waymark page or is kept back (admin, api, settings…). */
  handleReserved: (handle: string) =>
    new Problem(
      422,
      'handle_reserved',
      'Handle not available',
      `"${handle}" is a reserved word on Waymark and cannot be a handle. Choose another one.`,
      [{ pointer: '/body/handle', message: 'is a reserved word' }],
    ),
  payloadTooLarge: (detail: string) => new Problem(413, 'payload_too_large', 'Request too large', detail),
  unsupportedMediaType: (detail: string) =>
    new Problem(415, 'unsupported_media_type', 'Unsupported content type', detail),
  rateLimited: (retryAfterSeconds: number) =>
    new Problem(
      429,
      'rate_limited',
      'Too many attempts',
      `Too many attempts from your address. Wait ${retryAfterSeconds} seconds and try again.`,
      [],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  tooManyStreams: (limit: number) =>
    new Problem(
      429,
      'too_many_streams',
      'Too many live connections',
      `You already have ${limit} live update streams open (one per tab or device). Close a tab and reload this one.`,
      [],
      { 'retry-after': '30' },
    ),
  /** A project check run's target the network guard refuses (loopback, private, metadata…). */
  targetRefused: (detail: string) =>
    new Problem(422, 'target_refused', 'This address cannot be checked', detail, [
      { pointer: '/body/baseUrl', message: detail },
    ]),
  tooManyRuns: (perMinute: number, retryAfterSeconds: number) =>
    new Problem(
      429,
      'too_many_runs',
      'Too many check runs',
      `You can start ${perMinute} check run${perMinute === 1 ? '' : 's'} per minute. Wait ${retryAfterSeconds} seconds and try again.`,
      [],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  unavailable: (detail: string, retryAfterSeconds = 5) =>
    new Problem(503, 'unavailable', 'Service unavailable', detail, [], {
      'retry-after': String(retryAfterSeconds),
    }),
  internal: () =>
    new Problem(
      500,
      'internal_error',
      'Something went wrong on our side',
      'The server failed to handle this request. It has been logged; try again in a moment.',
    ),
} as const;
