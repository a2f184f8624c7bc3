import { Type, type TSchema } from '@sinclair/typebox';
import { PROBLEM_CODES, type ProblemCode } from './problems.js';

/** RFC 9457 problem details as Waymark sends them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.Unsafe<ProblemCode>({
      type: 'string',
      enum: Object.keys(PROBLEM_CODES),
      description: `Stable machine-readable error code, one of:\n${Object.entries(PROBLEM_CODES)
        .map(([code, meaning]) => `- \`${code}\`: ${meaning}`)
        .join('\n')}`,
    }),
    detail: Type.String({ description: 'What went wrong and what to do about it' }),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', title: 'Problem' },
);

const problemRef = Type.Ref('Problem');

/**
 * The error responses a route may produce, for its OpenAPI description. Every route can answer
 * 431 (request headers too large, from the HTTP parser); routes without other client errors
 * declare that one.
 */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of statuses) out[status] = problemRef;
  return out;
}

export const TopicIdParam = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 64,
  description: 'Stable topic id',
});
export const RoadmapIdParam = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 });
export const Uuid = Type.String({ format: 'uuid' });

/**
 * A 200 response that is a document of another type (Markdown, CSV, iCalendar), for the OpenAPI
 * description; the handler sets the same Content-Type and returns the text as-is.
 *
 * @example response: { 200: textResponse('text/csv', 'One row per topic'), ...errorResponses(401) }
 */
export function textResponse(mediaType: string, description: string): TSchema {
  return { description, content: { [mediaType]: { schema: { type: 'string' } } } } as unknown as TSchema;
}
