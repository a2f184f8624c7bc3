// The dashboard: progress per step, streaks, the activity heatmap, the plan's burn-up and "next up",
// for one roadmap in the learner's time zone. Reads the plan through the plan feature's service and
// progress through the progress feature's public reads.

import type { Content, Roadmap, Topic } from '../content/content.types.js';
import { learningDays, summarizeRows, type RoadmapSummary } from '../progress/progress.read.js';
import type { Db } from '../db/database.js';
import { localDateOf, type LocalDate } from '../plan/dates.js';
import { loadPlanInputs, type PlanInputs } from '../plan/plan.inputs.js';
import { topicTitle } from '../plan/plan.presenter.js';
import { currentPlan, type Learner } from '../plan/plan.service.js';
import {
  assessPlan,
  burnup,
  heatmapOfDays,
  streaks,
  weekIndexOf,
  type Burnup,
  type Heatmap,
  type PlanStatus,
  type PlanVersion,
  type Streaks,
} from '../plan/plan.tracking.js';
import { schedulePlan, studyOrder, type Feasibility, type TopicStatus } from '../plan/scheduler.js';

export interface NextUpItem {
  topicId: string;
  title: string;
  hours: number;
  status: TopicStatus;
  /** overdue: planned for an earlier week; this-week; upcoming; or, without a plan, in-progress / next. */
  reason: 'overdue' | 'this-week' | 'upcoming' | 'in-progress' | 'next';
  weekIndex: number | null;
}

export interface Dashboard {
  roadmapId: string;
  roadmapTitle: string;
  timeZone: string;
  today: LocalDate;
  progress: RoadmapSummary;
  streaks: Streaks;
  heatmap: Heatmap;
  plan: { saved: boolean; status: PlanStatus; feasibility: Feasibility } | null;
  burnup: { hours: Burnup; topics: Burnup } | null;
  nextUp: NextUpItem[];
}

const NEXT_UP_COUNT = 5;

function nextUp(
  content: Content,
  roadmap: Roadmap,
  inputs: PlanInputs,
  version: PlanVersion | null,
  currentWeek: number,
): NextUpItem[] {
  const complete = (id: string) => {
    const status = inputs.facts.get(id)?.status;
    return status === 'done' || status === 'skipped';
  };
  const out: NextUpItem[] = [];
  const seen = new Set<string>();
  const push = (item: NextUpItem) => {
    if (out.length >= NEXT_UP_COUNT || seen.has(item.topicId)) return;
    seen.add(item.topicId);
    out.push(item);
  };
  if (version) {
    for (const week of version.weeks) {
      if (week.index < version.fromWeek) continue;
      for (const item of week.items) {
        if (complete(item.topicId)) continue;
        const reason =
          week.index < currentWeek ? 'overdue' : week.index === currentWeek ? 'this-week' : 'upcoming';
        const hours = week.items.filter((i) => i.topicId === item.topicId).reduce((n, i) => n + i.hours, 0);
        push({
          topicId: item.topicId,
          title: topicTitle(content, item.topicId),
          hours: item.parts > 1 ? item.hours : hours,
          status: inputs.facts.get(item.topicId)?.status ?? 'pending',
          reason,
          weekIndex: week.index,
        });
      }
    }
    return out;
  }
  const topicOf = (id: string): Topic | undefined => content.topics.get(id);
  for (const t of inputs.topics) {
    if (t.status === 'learning')
      push({
        topicId: t.id,
        title: topicOf(t.id)?.title ?? t.id,
        hours: t.estimateHours,
        status: 'learning',
        reason: 'in-progress',
        weekIndex: null,
      });
  }
  const open = inputs.topics.filter((t) => !complete(t.id) && !t.optional);
  for (const id of studyOrder(open)) {
    const t = topicOf(id);
    if (!t || !t.prerequisites.every((p) => complete(p) || !roadmap.topicIds.includes(p))) continue;
    push({
      topicId: id,
      title: t.title,
      hours: t.estimateHours,
      status: inputs.facts.get(id)?.status ?? 'pending',
      reason: 'next',
      weekIndex: null,
    });
  }
  return out;
}

/** Progress, streaks, heatmap, burn-up and "next up" for one roadmap, in the learner's time zone. */
export async function getDashboard(
  db: Db,
  content: Content,
  roadmap: Roadmap,
  learner: Learner,
  now: Date,
): Promise<Dashboard> {
  const plan = await currentPlan(db.kysely, learner.id, roadmap.id);
  const timeZone = plan?.version.settings.timeZone ?? learner.timeZone;
  const today = localDateOf(now, timeZone);
  const [inputs, days] = await Promise.all([
    loadPlanInputs(db.kysely, content, roadmap, learner.id),
    learningDays(db, learner.id, timeZone, today),
  ]);
  const summary = summarizeRows(content, roadmap, inputs.rows, inputs.choices);
  let planPart: Dashboard['plan'] = null;
  let burn: Dashboard['burnup'] = null;
  let currentWeek = 0;
  if (plan) {
    const preview = schedulePlan({ topics: inputs.topics, settings: plan.version.settings, today });
    const status = assessPlan({
      version: plan.version,
      facts: inputs.facts,
      now,
      plannedPaceFinish: preview.feasibility.plannedFinish,
    });
    currentWeek = weekIndexOf(plan.version.settings, today);
    planPart = { saved: true, status, feasibility: plan.version.feasibility };
    const forecastFinish = status.forecast.atActualPace;
    burn = {
      hours: burnup(plan.version, inputs.facts, now, 'hours', forecastFinish),
      topics: burnup(plan.version, inputs.facts, now, 'topics', forecastFinish),
    };
  }
  return {
    roadmapId: roadmap.id,
    roadmapTitle: roadmap.title,
    timeZone,
    today,
    progress: summary,
    streaks: streaks([...days.keys()].sort(), today),
    heatmap: heatmapOfDays(days, today),
    plan: planPart,
    burnup: burn,
    nextUp: nextUp(content, roadmap, inputs, plan?.version ?? null, currentWeek),
  };
}
