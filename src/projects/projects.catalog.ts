import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Content } from '../content/content.types.js';
import { requireProject } from './projects.content.js';
import type { Project } from './projects.types.js';

// The projects the loaded content ships, for this feature's routes, runs and pages.

/** Every project of every roadmap, in content order. */
export function allProjects(content: Content): Project[] {
  return [...content.projects.values()];
}

export function findProject(content: Content, projectId: string): Project | undefined {
  return content.projects.get(projectId);
}

/** The project or a 404 problem naming the ones there are. */
export const requireProjectById = requireProject;

/**
 * What a learner's project request starts with: who asks (401 when nobody is signed in) and the
 * project `projectId` names (404 when the content has none), in that order.
 */
export function learnerProject(
  app: FastifyInstance,
  request: FastifyRequest,
  projectId: string,
): { userId: string; project: Project } {
  const userId = app.requireAuth(request).user.id;
  return { userId, project: requireProjectById(app.content(), projectId) };
}
