// What a plan is computed from: the learner's status and ticked key concepts on every topic of the
// roadmap, read through the progress feature's public reads, shaped for the scheduler and tracking.

import type { Content, Roadmap } from '../content/content.types.js';
import type { Queryable } from '../db/types.js';
import type { ProgressRow } from '../db/schema.js';
import { progressRows, tickCounts } from '../progress/progress.read.js';
import type { TopicFacts } from './plan.tracking.js';
import type { SchedulerTopic, TopicStatus } from './scheduler.js';

export interface PlanInputs {
  /** Per topic: estimate, status and when it last changed (tracking). */
  facts: Map<string, TopicFacts>;
  /** In roadmap order, as the scheduler takes them. */
  topics: SchedulerTopic[];
  /** The progress rows they were built from (for summaries, without reading them twice). */
  rows: ProgressRow[];
}

/** The learner's status on every topic of the roadmap (all pending without a user). */
export async function loadPlanInputs(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string | null,
): Promise<PlanInputs> {
  const [rows, ticks] = userId
    ? await Promise.all([progressRows(db, userId, roadmap.topicIds), tickCounts(db, userId)])
    : [[], new Map<string, number>()];
  const byId = new Map(rows.map((r) => [r.topic_id, r]));
  const facts = new Map<string, TopicFacts>();
  const topics: SchedulerTopic[] = [];
  for (const id of roadmap.topicIds) {
    const topic = content.topics.get(id);
    if (!topic) continue;
    const row = byId.get(id);
    const status = (row?.status ?? 'pending') as TopicStatus;
    facts.set(id, {
      id,
      estimateHours: topic.estimateHours,
      status,
      statusChangedAt: row?.status_changed_at ?? null,
    });
    topics.push({
      id,
      estimateHours: topic.estimateHours,
      optional: topic.optional,
      prerequisites: topic.prerequisites,
      tools: topic.tools,
      status,
      checklistTotal: topic.checklist.length,
      checklistDone: ticks.get(id) ?? 0,
    });
  }
  return { facts, topics, rows };
}
