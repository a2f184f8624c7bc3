import { createRequire } from 'node:module';
import type { AjvCompiler, Ajv } from '@fastify/ajv-compiler';
import type { TSchema } from '@sinclair/typebox';
import type { ProblemField } from './problems.js';

/**
 * How Waymark validates input, in one place: the Ajv options Fastify compiles every route's
 * TypeBox schema with (app.ts passes them), and `compileValidator` for input that does not arrive
 * through a route (the CLI's `waymark import`), using Fastify's own compiler with the same options.
 */
export const AJV_OPTIONS = {
  // No type coercion: a note sent as 42 is a client mistake, not the string "42".
  removeAdditional: false,
  coerceTypes: false,
  allErrors: true,
  // Errors carry their schema, so a bound from src/account/limits.ts can be named in the message.
  verbose: true,
} as const;

/** `x-limit` (the name of a storage limit, see src/account/limits.ts) is an annotation, not a rule. */
function limitKeyword(ajv: Ajv): Ajv {
  return ajv.addKeyword({ keyword: 'x-limit', schemaType: 'string' });
}
export const AJV_PLUGINS = [limitKeyword];

export interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  /** With `verbose`: the schema that failed and the value. */
  parentSchema?: Record<string, unknown>;
  data?: unknown;
}

function limitMessage(e: AjvLikeError): string | undefined {
  const name = e.parentSchema?.['x-limit'];
  const limit = e.params?.limit;
  if (typeof name !== 'string' || typeof limit !== 'number') return undefined;
  if (e.keyword === 'maxItems' && Array.isArray(e.data))
    return `has ${e.data.length} entries; the limit is ${limit} ${name}`;
  if (e.keyword === 'maxLength' && typeof e.data === 'string')
    return `is ${e.data.length} characters long; the limit is ${limit} ${name}`;
  return undefined;
}

/** The choices of a union of literals (TypeBox's `Type.Union([Type.Literal(…), …])`), if it is one. */
function literalChoices(e: AjvLikeError): unknown[] | undefined {
  const branches = e.parentSchema?.anyOf;
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const values = branches.map((b: { const?: unknown }) => b?.const);
  return values.every((v) => v !== undefined) ? values : undefined;
}

/** Ajv's errors as problem fields: a JSON pointer into the request and a message a person reads. */
export function fieldsFromValidation(context: string | undefined, errors: AjvLikeError[]): ProblemField[] {
  // A union of literals reports each failed branch; its one anyOf error says it better.
  const literalUnions = new Set(
    errors.filter((e) => e.keyword === 'anyOf' && literalChoices(e)).map((e) => e.instancePath ?? ''),
  );
  const relevant = errors.filter((e) => e.keyword !== 'const' || !literalUnions.has(e.instancePath ?? ''));
  return relevant.map((e) => {
    let pointer = `/${context ?? 'body'}${e.instancePath ?? ''}`;
    let message = e.message ?? 'is invalid';
    const choices = e.keyword === 'anyOf' ? literalChoices(e) : undefined;
    if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
      pointer += `/${e.params.missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
      pointer += `/${e.params.additionalProperty}`;
      message = 'is not a known field';
    } else if (e.keyword === 'enum' && Array.isArray(e.params?.allowedValues)) {
      message = `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
    } else if (e.keyword === 'const' && e.params && 'allowedValue' in e.params) {
      message = `must be ${JSON.stringify(e.params.allowedValue)}`;
    } else if (choices) {
      message = `must be one of: ${choices.join(', ')}`;
    } else if (limitMessage(e)) {
      message = limitMessage(e)!;
    } else if (typeof e.params?.limit === 'number') {
      // ajv's "must NOT have more than 20000 characters" in words a person reads.
      const limit = e.params.limit.toLocaleString('en');
      const worded: Record<string, string> = {
        maxLength: `is too long: it can hold at most ${limit} characters; shorten it and send it again (nothing was saved)`,
        minLength: `is too short: it needs at least ${limit} characters`,
        maxItems: `has too many entries: at most ${limit}`,
        minItems: `needs at least ${limit} entries`,
        maximum: `must be at most ${limit}`,
        minimum: `must be at least ${limit}`,
      };
      message = worded[e.keyword ?? ''] ?? message;
    }
    return { pointer, message };
  });
}

// Made on first use: an Ajv instance costs start-up time the server does not need to pay.
let buildValidator: ReturnType<ReturnType<typeof AjvCompiler>> | undefined;

/**
 * Compiles a TypeBox schema with the routes' validator. The result checks a value and returns the
 * problem fields (empty when valid), pointers under `/${context}`.
 *
 * @example const check = compileValidator(Schema, 'body'); const errors = check(document);
 */
export function compileValidator(schema: TSchema, context = 'body'): (value: unknown) => ProblemField[] {
  buildValidator ??= (
    createRequire(import.meta.url)('@fastify/ajv-compiler') as { AjvCompiler: typeof AjvCompiler }
  ).AjvCompiler()({}, { customOptions: AJV_OPTIONS, plugins: AJV_PLUGINS });
  const validate = buildValidator({ schema, method: 'POST', url: '/', httpPart: 'body' }) as ((
    value: unknown,
  ) => boolean) & { errors?: AjvLikeError[] | null };
  return (value) => (validate(value) ? [] : fieldsFromValidation(context, validate.errors ?? []));
}
