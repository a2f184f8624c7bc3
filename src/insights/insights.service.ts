import type { Content, Roadmap } from '../content/content.types.js';
import type { Queryable } from '../db/types.js';
import { addDays, daysBetween, localDateOf, type LocalDate } from '../plan/dates.js';
import * as repo from './insights.repository.js';

// Cohort insight for its mentors: where the cohort gets stuck (topics held longest in `learning`,
// topics fewest finished, projects with the most failed checks) and its burn-up — each week, the
// median and spread of hours finished across the cohort's learners against the cohort's plan
// (hours per week from the start date, up to the roadmap's required hours).

const TOP = 10;
const DAY_MS = 86_400_000;

export interface CohortFacts {
  id: string;
  startDate: string;
  targetWeeks: number;
  hoursPerWeek: number;
}

export interface StuckTopic {
  topicId: string;
  title: string;
  /** Learners who have it in `learning` now. */
  learners: number;
  medianDays: number;
  longestDays: number;
}

export interface TopicCompletion {
  topicId: string;
  title: string;
  finished: number;
  percent: number;
}

export interface ProjectFailures {
  projectId: string;
  title: string;
  runs: number;
  failedRuns: number;
  failedChecks: number;
}

export interface BurnupWeek {
  week: number;
  /** Last day of the week (cohort start + 7 × week − 1). */
  date: LocalDate;
  /** Cumulative hours the cohort plan expects by then. */
  planned: number;
  /** Across learners, hours finished by then; null for weeks not reached yet. */
  actual: { median: number; p25: number; p75: number; min: number; max: number } | null;
}

export interface CohortInsights {
  cohortId: string;
  roadmapId: string;
  roadmapTitle: string;
  learners: number;
  today: LocalDate;
  stuck: StuckTopic[];
  lowestCompletion: TopicCompletion[];
  failedChecks: ProjectFailures[];
  burnup: { requiredHours: number; weeks: BurnupWeek[] };
}

/** The q-quantile of sorted numbers (linear between ranks); 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function stuckTopics(
  content: Content,
  rows: readonly { topic_id: string; since: string }[],
  now: Date,
): StuckTopic[] {
  const days = new Map<string, number[]>();
  for (const row of rows) {
    const list = days.get(row.topic_id) ?? [];
    list.push(Math.max(0, (now.getTime() - new Date(row.since).getTime()) / DAY_MS));
    days.set(row.topic_id, list);
  }
  return [...days]
    .map(([topicId, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return {
        topicId,
        title: content.topics.get(topicId)?.title ?? topicId,
        learners: sorted.length,
        medianDays: round1(quantile(sorted, 0.5)),
        longestDays: round1(sorted.at(-1) ?? 0),
      };
    })
    .sort(
      (a, b) => b.medianDays - a.medianDays || b.learners - a.learners || a.topicId.localeCompare(b.topicId),
    )
    .slice(0, TOP);
}

function lowestCompletion(
  content: Content,
  roadmap: Roadmap,
  finished: ReadonlyMap<string, number>,
  learners: number,
): TopicCompletion[] {
  return roadmap.topicIds
    .filter((id) => !content.topics.get(id)?.optional)
    .map((topicId) => {
      const count = finished.get(topicId) ?? 0;
      return {
        topicId,
        title: content.topics.get(topicId)?.title ?? topicId,
        finished: count,
        percent: learners === 0 ? 0 : Math.floor((count * 100) / learners),
      };
    })
    .sort(
      (a, b) =>
        a.finished - b.finished || roadmap.topicIds.indexOf(a.topicId) - roadmap.topicIds.indexOf(b.topicId),
    )
    .slice(0, TOP);
}

/** Each learner's cumulative finished hours per week, summarised across the cohort. */
function burnup(
  content: Content,
  roadmap: Roadmap,
  cohort: CohortFacts,
  rows: readonly { user_id: string; topic_id: string; at: string }[],
  learners: number,
  today: LocalDate,
  timeZone: string,
): CohortInsights['burnup'] {
  const weeks = Math.max(1, cohort.targetWeeks);
  const weekOf = (day: LocalDate) => Math.max(1, Math.floor(daysBetween(cohort.startDate, day) / 7) + 1);
  const perLearner = new Map<string, number[]>();
  for (const row of rows) {
    const hours = content.topics.get(row.topic_id)?.estimateHours ?? 0;
    const week = weekOf(localDateOf(new Date(row.at), timeZone));
    const list = perLearner.get(row.user_id) ?? new Array<number>(weeks + 1).fill(0);
    list[Math.min(week, weeks)]! += hours;
    perLearner.set(row.user_id, list);
  }
  const cumulative = [...perLearner.values()].map((list) => {
    let sum = 0;
    return list.map((hours) => (sum += hours));
  });
  const reached = daysBetween(cohort.startDate, today) < 0 ? 0 : weekOf(today);
  const total = roadmap.requiredHours;
  return {
    requiredHours: total,
    weeks: Array.from({ length: weeks }, (_, i) => {
      const week = i + 1;
      const values = [
        ...cumulative.map((list) => Math.min(list[week] ?? 0, total)),
        ...new Array<number>(Math.max(0, learners - cumulative.length)).fill(0),
      ].sort((a, b) => a - b);
      return {
        week,
        date: addDays(cohort.startDate, 7 * week - 1),
        planned: round1(Math.min(cohort.hoursPerWeek * week, total)),
        actual:
          week > reached || values.length === 0
            ? null
            : {
                median: round1(quantile(values, 0.5)),
                p25: round1(quantile(values, 0.25)),
                p75: round1(quantile(values, 0.75)),
                min: round1(values[0]!),
                max: round1(values.at(-1)!),
              },
      };
    }),
  };
}

/** Insight into one roadmap of a cohort, as of `now` (days counted in `timeZone`, the mentor's). */
export async function cohortInsights(
  db: Queryable,
  content: Content,
  cohort: CohortFacts,
  roadmap: Roadmap,
  now: Date,
  timeZone: string,
): Promise<CohortInsights> {
  const topicIds = roadmap.topicIds;
  const [learners, learning, finished, finishRows, runs] = await Promise.all([
    repo.countLearners(db, cohort.id),
    repo.learningSince(db, cohort.id, topicIds),
    repo.finishedCounts(db, cohort.id, topicIds),
    repo.finishes(db, cohort.id, topicIds),
    repo.runFailures(db, cohort.id),
  ]);
  const today = localDateOf(now, timeZone);
  return {
    cohortId: cohort.id,
    roadmapId: roadmap.id,
    roadmapTitle: roadmap.title,
    learners,
    today,
    stuck: stuckTopics(content, learning, now),
    lowestCompletion: lowestCompletion(content, roadmap, finished, learners),
    failedChecks: runs
      .filter((r) => content.projects.get(r.project_id)?.roadmapId === roadmap.id && r.failed_checks > 0)
      .map((r) => ({
        projectId: r.project_id,
        title: content.projects.get(r.project_id)?.title ?? r.project_id,
        runs: r.runs,
        failedRuns: r.failed_runs,
        failedChecks: r.failed_checks,
      }))
      .sort((a, b) => b.failedChecks - a.failedChecks || a.projectId.localeCompare(b.projectId))
      .slice(0, TOP),
    burnup: burnup(content, roadmap, cohort, finishRows, learners, today, timeZone),
  };
}
