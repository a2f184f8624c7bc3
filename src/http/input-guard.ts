import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problems, type ProblemField } from './problems.js';

// U+0000 and UTF-16 surrogates: a cheap first test; surrogates that form a pair are fine.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for.
const SUSPECT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text on every database Waymark supports, or null. */
export function unstorableText(value: string): string | null {
  if (!SUSPECT.test(value)) return null;
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000), which text fields cannot hold';
  if (LONE_SURROGATE.test(value))
    return 'contains an unpaired UTF-16 surrogate, which is not a character and cannot be stored';
  return null;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The first string (value or property name) in `value` that no database could store, as a JSON
 * pointer below `pointer`. Walks iteratively so a deeply nested body cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, pointer: string): ProblemField | null {
  const stack: [unknown, string][] = [[value, pointer]];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (typeof node === 'string') {
      const reason = unstorableText(node);
      if (reason) return { pointer: at, message: reason };
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${at}/${i}`]);
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        const reason = unstorableText(key);
        if (reason) return { pointer: `${at}/${escapePointer(key)}`, message: `property name ${reason}` };
        stack.push([(node as Record<string, unknown>)[key], `${at}/${escapePointer(key)}`]);
      }
    }
  }
  return null;
}

/** The first own `__proto__` property (or `constructor.prototype`) in a parsed JSON body. */
export function findForbiddenProperty(value: unknown, pointer = '/body'): ProblemField | null {
  const stack: [unknown, string][] = [[value, pointer]];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${at}/${i}`]);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(node, '__proto__'))
      return { pointer: `${at}/__proto__`, message: 'property name __proto__ is not allowed' };
    const record = node as Record<string, unknown>;
    const ctor = Object.prototype.hasOwnProperty.call(node, 'constructor') ? record.constructor : undefined;
    if (typeof ctor === 'object' && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, 'prototype'))
      return {
        pointer: `${at}/constructor/prototype`,
        message: 'property name constructor.prototype is not allowed',
      };
    for (const key of Object.keys(node)) stack.push([record[key], `${at}/${escapePointer(key)}`]);
  }
  return null;
}

/**
 * Parses a JSON body, refusing property names that could pollute prototypes with a message that
 * says so (Fastify's own parser calls such a body "not valid JSON").
 */
export function parseJsonBody(body: string): unknown {
  if (body.length === 0)
    throw problems.badRequest(
      'invalid_json',
      'The body is empty but Content-Type says JSON. Send a JSON object.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw problems.badRequest(
      'invalid_json',
      `The request body is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`,
    );
  }
  if (body.includes('__proto__') || body.includes('constructor')) {
    const forbidden = findForbiddenProperty(parsed);
    if (forbidden) throw problems.forbiddenProperty(forbidden);
  }
  return parsed;
}

function checkRequest(request: FastifyRequest): ProblemField | null {
  return (
    findUnstorableText(request.params, '/params') ??
    findUnstorableText(request.query, '/query') ??
    findUnstorableText(request.body, '/body')
  );
}

/**
 * The edge check for text no database can hold: a NUL character or an unpaired surrogate anywhere
 * in the path parameters, query or body is a 400 naming the field, on SQLite and PostgreSQL alike
 * (PostgreSQL would otherwise fail the query with a 500). Also installs the JSON body parser.
 */
export const inputGuard = fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    app.addHook('preValidation', (request, _reply, done) => {
      const bad = checkRequest(request);
      if (bad) return done(problems.invalidCharacters(bad));
      done();
    });
  },
  { name: 'waymark-input-guard' },
);
