// The progress feature's public reads for other features (plan, dashboard, review): what a learner
// marked, ticked and did, without reaching into this feature's repository or tables.

import type { Content, Roadmap } from '../content/content.types.js';
import type { Queryable } from '../db/types.js';
import type { ProgressRow } from '../db/schema.js';
import * as repo from './progress.repository.js';
import type { Db } from '../db/database.js';
import type { LocalDate } from '../plan/dates.js';
import { learningDayCounts } from './activity-days.js';
import { statusMap, summarize, type RoadmapSummary } from './progress.service.js';

export type { RoadmapSummary };

/** The learner's progress rows for the given topics (topics never touched have no row). */
export function progressRows(
  db: Queryable,
  userId: string,
  topicIds: readonly string[],
): Promise<ProgressRow[]> {
  return repo.listProgress(db, userId, topicIds);
}

/** How many checklist items (key concepts) the learner ticked, per topic. */
export function tickCounts(db: Queryable, userId: string): Promise<Map<string, number>> {
  return repo.tickCountsByTopic(db, userId);
}

/**
 * Timestamps of the learner's learning activity (status changes, notes, ticks, reviews), oldest
 * first, optionally only since an instant. Streaks and the heatmap count these.
 */
export function learningActivityTimes(db: Queryable, userId: string, sinceIso?: string): Promise<string[]> {
  return repo.learningActivityTimes(db, userId, sinceIso);
}

/**
 * Learning activity per local day in `timeZone`, every day up to `today`. Its cost follows the number
 * of days, not of events: closed days come from a rollup the maintenance job keeps up to date; the
 * read itself never writes.
 */
export function learningDays(
  db: Db,
  userId: string,
  timeZone: string,
  today: LocalDate,
): Promise<Map<LocalDate, number>> {
  return learningDayCounts(db, userId, timeZone, today);
}

/** Counts and hours per status from progress rows already read (no second query). */
export function summarizeRows(
  content: Content,
  roadmap: Roadmap,
  rows: readonly ProgressRow[],
  choices?: ReadonlyMap<string, string>,
): RoadmapSummary {
  return summarize(content, roadmap, new Map(rows.map((r) => [r.topic_id, r])), choices);
}

/** Counts and hours per status for a roadmap and each of its steps. */
export async function roadmapSummary(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
): Promise<RoadmapSummary> {
  const rows = await repo.listProgress(db, userId, roadmap.topicIds);
  return summarize(content, roadmap, new Map(rows.map((r) => [r.topic_id, r])));
}

/** The learner's progress row per topic id (all topics, or only the given ones; none without a user). */
export function progressByTopic(
  db: Queryable,
  userId: string | null,
  topicIds?: readonly string[],
): Promise<Map<string, ProgressRow>> {
  return statusMap(db, userId, topicIds);
}
