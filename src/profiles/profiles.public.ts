import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import { choicesFor } from '../alternatives/alternatives.service.js';
import { localDateOf } from '../plan/dates.js';
import { streaks } from '../plan/plan.tracking.js';
import { learningDays, progressByTopic, summarizeRows } from '../progress/progress.read.js';
import { verificationRecords } from '../projects/projects.read.js';
import type { ProfileRow } from '../db/schema.js';

// What a published profile shows: the learner's progress per roadmap they started, their verified
// projects (each linking to its signed record) and their streak. Read through the other features'
// public read functions; nothing here is shown unless the caller checked the profile is public.

export interface PublicRoadmap {
  roadmapId: string;
  title: string;
  percent: number;
  done: number;
  total: number;
}

export interface PublicProject {
  verificationId: string;
  projectId: string;
  title: string;
  roadmapId: string;
  verifiedAt: string;
  /** Path of the record's public page (signed JSON included). */
  recordUrl: string;
}

export interface PublicProfile {
  handle: string;
  displayName: string;
  roadmaps: PublicRoadmap[];
  projects: PublicProject[];
  streak: { current: number; longest: number; lastActive: string | null };
}

/** Progress per roadmap the learner has started (anything not pending), most complete first. */
export async function publicRoadmaps(db: Db, content: Content, userId: string): Promise<PublicRoadmap[]> {
  const rows = await progressByTopic(db.kysely, userId);
  const started: PublicRoadmap[] = [];
  for (const roadmap of content.roadmapList) {
    const mine = roadmap.topicIds.flatMap((id) => {
      const row = rows.get(id);
      return row ? [row] : [];
    });
    if (!mine.some((row) => row.status !== 'pending')) continue;
    const summary = summarizeRows(content, roadmap, mine, await choicesFor(db.kysely, roadmap, userId));
    started.push({
      roadmapId: roadmap.id,
      title: roadmap.title,
      percent: summary.percent,
      done: summary.done + summary.skipped,
      total: summary.total,
    });
  }
  return started.sort((a, b) => b.percent - a.percent);
}

/** One verified record per project (the newest), newest first. */
export async function publicProjects(db: Db, handle: string, userId: string): Promise<PublicProject[]> {
  const seen = new Set<string>();
  const out: PublicProject[] = [];
  for (const v of await verificationRecords(db.kysely, userId)) {
    if (seen.has(v.projectId)) continue;
    seen.add(v.projectId);
    const { project, verifiedAt } = v.signed.record;
    out.push({
      verificationId: v.id,
      projectId: v.projectId,
      title: project.title,
      roadmapId: project.roadmapId,
      verifiedAt,
      recordUrl: `/u/${handle}/records/${v.id}`,
    });
  }
  return out;
}

/** Everything the public page and `GET /api/v1/profiles/{handle}` show. */
export async function publicProfile(
  db: Db,
  content: Content,
  profile: ProfileRow & { time_zone: string },
  now: Date,
): Promise<PublicProfile> {
  const today = localDateOf(now, profile.time_zone);
  const [roadmaps, projects, days] = await Promise.all([
    publicRoadmaps(db, content, profile.user_id),
    publicProjects(db, profile.handle, profile.user_id),
    learningDays(db, profile.user_id, profile.time_zone, today),
  ]);
  const streak = streaks([...days.keys()].sort(), today);
  return {
    handle: profile.handle,
    displayName: profile.display_name,
    roadmaps,
    projects,
    streak: { current: streak.current, longest: streak.longest, lastActive: streak.lastActive },
  };
}
