/**
 * Waymark's one error vocabulary. Every error a client can see is one of these, sent as
 * RFC 9457 `application/problem+json` with a stable machine-readable `code` and a sentence a
 * person can act on. Routes throw `problems.xxx(...)`; the global error handler presents them.
 */
export interface ProblemField {
  /** JSON pointer into the request, e.g. `/body/email`. */
  pointer: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
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
  badRequest: (code: string, detail: string) => new Problem(400, code, 'Bad request', detail),
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
  forbidden: (code: string, detail: string) => new Problem(403, code, 'Not allowed', detail),
  originMismatch: () =>
    new Problem(
      403,
      'origin_mismatch',
      'Cross-site request refused',
      'This request did not come from a Waymark page (its Origin header is missing or belongs to another site). Reload the page and try again.',
    ),
  notFound: (what: string, detail?: string) =>
    new Problem(404, 'not_found', `${what} not found`, detail ?? `There is no ${what.toLowerCase()} here.`),
  conflict: (code: string, detail: string) => new Problem(409, code, 'Conflict', detail),
  /** Well-formed input the rules cannot satisfy (e.g. plan settings that cannot finish in time). */
  unprocessable: (code: string, title: string, detail: string, errors: ProblemField[] = []) =>
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
  unavailable: (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail),
  internal: () =>
    new Problem(
      500,
      'internal_error',
      'Something went wrong on our side',
      'The server failed to handle this request. It has been logged; try again in a moment.',
    ),
} as const;
