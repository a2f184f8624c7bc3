// What a plan is computed from: the learner's status and ticked key concepts on every topic of the
// roadmap, read through the progress feature's public reads, shaped for the scheduler and tracking.
// Of each "choose one of" set only the member the learner chose is planned (see chooseAlternatives).

import type { Content, Roadmap } from '../content/content.types.js';
import type { Queryable } from '../db/types.js';
import type { ProgressRow } from '../db/schema.js';
import { progressRows, tickCounts } from '../progress/progress.read.js';
import type { TopicFacts } from './plan.tracking.js';
import { choicesFor, schedulerSets } from '../alternatives/alternatives.service.js';
import { chooseAlternatives, type SchedulerTopic, type TopicStatus } from './scheduler.js';

export interface PlanInputs {
  /** Per topic: estimate, status and when it last changed (tracking). */
  facts: Map<string, TopicFacts>;
  /** In roadmap order, as the scheduler takes them. */
  topics: SchedulerTopic[];
  /** The progress rows they were built from (for summaries, without reading them twice). */
  rows: ProgressRow[];
  /** setId -> the member of each "choose one of" set the learner chose (or its default). */
  choices: Map<string, string>;
}

/** The learner's status on every topic of the roadmap (all pending without a user). */
export async function loadPlanInputs(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string | null,
): Promise<PlanInputs> {
  const [rows, ticks, choices] = await Promise.all([
    userId ? progressRows(db, userId, roadmap.topicIds) : [],
    userId ? tickCounts(db, userId) : new Map<string, number>(),
    choicesFor(db, roadmap, userId),
  ]);
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
  const sets = schedulerSets(roadmap, choices);
  const chosen = chooseAlternatives(topics, sets);
  // Tracking reads the chosen member as done when another member of its set is.
  for (const topic of chosen) {
    const fact = facts.get(topic.id);
    if (fact && topic.status === 'done' && fact.status !== 'done') {
      const doneMember = roadmap.alternativeOf.get(topic.id)?.topicIds.map((id) => facts.get(id));
      const changedAt = doneMember?.find((f) => f?.status === 'done')?.statusChangedAt ?? null;
      facts.set(topic.id, { ...fact, status: 'done', statusChangedAt: changedAt });
    }
  }
  return { facts, topics: chosen, rows, choices };
}
