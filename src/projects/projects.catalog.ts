import type { Content } from '../content/content.types.js';
import { problems } from '../http/problems.js';
import type { Project } from './projects.types.js';

// The projects the loaded content ships, for this feature's routes and runs.

type WithProjects = { projects?: ReadonlyMap<string, Project> | readonly Project[] };

/** Every project of every roadmap, in content order. */
export function allProjects(content: Content): Project[] {
  const projects = (content as WithProjects).projects;
  if (!projects) return [];
  return Array.isArray(projects)
    ? [...(projects as Project[])]
    : [...(projects as ReadonlyMap<string, Project>).values()];
}

export function findProject(content: Content, projectId: string): Project | undefined {
  return allProjects(content).find((p) => p.id === projectId);
}

/** The project or a 404 problem naming it. */
export function requireProjectById(content: Content, projectId: string): Project {
  const project = findProject(content, projectId);
  if (!project)
    throw problems.notFound(
      'Project',
      `There is no project "${projectId}". GET /api/v1/projects lists them.`,
    );
  return project;
}

/** Names of the checks that must pass for `project` to be verified (all of them unless the content says). */
export function requiredCheckNames(project: Project, ranNames: readonly string[]): string[] {
  return project.requiredChecks && project.requiredChecks.length > 0
    ? [...project.requiredChecks]
    : [...ranNames];
}
