import type { FastifyReply } from 'fastify';
import { Problem } from '../http/problems.js';
import { setFlash } from './layout.js';
import type { Flash } from './page-context.js';

/** Post/redirect/get: back to `to` with 303 and an optional one-time message. */
export function back(reply: FastifyReply, to: string, flash?: Flash): FastifyReply {
  if (flash) setFlash(reply, flash);
  return reply.redirect(to, 303);
}

/**
 * Runs a form's action; a problem the person can fix (4xx other than rate limiting) goes to
 * `onProblem` to re-render the form with the message, anything else to the global error handler.
 */
export async function attempt<T>(
  action: () => Promise<T>,
  onProblem: (problem: Problem) => Promise<FastifyReply> | FastifyReply,
): Promise<T | FastifyReply> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof Problem && error.status < 500 && error.status !== 429) return onProblem(error);
    throw error;
  }
}
