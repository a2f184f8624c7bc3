import type { Content } from '../content/content.types.js';
import type { Queryable } from '../db/types.js';
import { allProjects } from './projects.catalog.js';
import * as repo from './projects.repository.js';
import { presentVerification, type VerificationView } from './projects.presenter.js';
import type { Project } from './projects.types.js';

// The projects feature's public reads for other features' pages (roadmap, topic, dashboard):
// which projects belong where, and which of them the learner verified.

export interface ProjectMark {
  id: string;
  title: string;
  step: string;
  topics: string[];
  verified: boolean;
}

async function verifiedIds(db: Queryable, userId: string | null): Promise<Set<string>> {
  if (!userId) return new Set();
  return new Set((await repo.listVerifications(db, userId)).map((v) => v.project_id));
}

/** The roadmap's projects with the learner's verified mark, in content order. */
export function roadmapProjects(
  db: Queryable,
  content: Content,
  userId: string | null,
  roadmapId: string,
): Promise<ProjectMark[]> {
  return marked(
    db,
    userId,
    allProjects(content).filter((p) => p.roadmapId === roadmapId),
  );
}

/** Projects proving one topic, with the learner's verified mark. */
export function topicProjects(
  db: Queryable,
  content: Content,
  userId: string | null,
  topicId: string,
): Promise<ProjectMark[]> {
  return marked(
    db,
    userId,
    allProjects(content).filter((p) => p.topics.includes(topicId)),
  );
}

async function marked(db: Queryable, userId: string | null, projects: Project[]): Promise<ProjectMark[]> {
  if (projects.length === 0) return [];
  const verified = await verifiedIds(db, userId);
  return projects.map((p) => ({
    id: p.id,
    title: p.title,
    step: p.step,
    topics: [...p.topics],
    verified: verified.has(p.id),
  }));
}

/** How many of a roadmap's projects the learner verified (the dashboard's count). */
export async function verifiedProjectCount(
  db: Queryable,
  content: Content,
  userId: string,
  roadmapId: string,
): Promise<{ verified: number; total: number }> {
  const marks = await roadmapProjects(db, content, userId, roadmapId);
  return { verified: marks.filter((m) => m.verified).length, total: marks.length };
}

/** The learner's verification records, newest first (public profiles list and link them). */
export async function verificationRecords(db: Queryable, userId: string): Promise<VerificationView[]> {
  return (await repo.listVerifications(db, userId)).map(presentVerification);
}

/** One of the learner's verification records, if it is theirs. */
export async function verificationRecord(
  db: Queryable,
  userId: string,
  id: string,
): Promise<VerificationView | null> {
  const row = await repo.findVerification(db, userId, id);
  return row ? presentVerification(row) : null;
}

/** One of the learner's runs (project and outcome), if it is theirs: what feedback on a run refers to. */
export async function learnerRun(
  db: Queryable,
  userId: string,
  runId: string,
): Promise<{ id: string; projectId: string; state: string; createdAt: string } | null> {
  const run = await repo.findUserRun(db, userId, runId);
  return run ? { id: run.id, projectId: run.project_id, state: run.state, createdAt: run.created_at } : null;
}
