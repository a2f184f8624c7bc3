import type { Content, Roadmap } from '../content/content.types.js';
import type { Queryable } from '../db/types.js';
import { addDays, daysBetween, localDateOf, zonedTimeToUtc, type LocalDate } from '../plan/dates.js';
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
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function stuckTopics(
  content: Content,
  rows: readonly { topic_id: string; n: number; r: number; since: string }[],
  now: Date,
): StuckTopic[] {
  const daysSince = (since: string) => Math.max(0, (now.getTime() - new Date(since).getTime()) / DAY_MS);
  const byTopic = new Map<string, { n: number; ranks: Map<number, number> }>();
  for (const row of rows) {
    const topic = byTopic.get(row.topic_id) ?? { n: row.n, ranks: new Map<number, number>() };
    topic.ranks.set(row.r, daysSince(row.since));
    byTopic.set(row.topic_id, topic);
  }
  return [...byTopic]
    .map(([topicId, { n, ranks }]) => {
      // quantile(…, 0.5) over the n days in order, from the one or two middle ranks.
      const at = (n - 1) / 2;
      const low = ranks.get(Math.floor(at)) ?? 0;
      const high = ranks.get(Math.ceil(at)) ?? low;
      return {
        topicId,
        title: content.topics.get(topicId)?.title ?? topicId,
        learners: n,
        medianDays: round1(low + (high - low) * (at - Math.floor(at))),
        longestDays: round1(ranks.get(n - 1) ?? 0),
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

/**
 * The instants the cohort's weeks 2…N begin (midnight in `timeZone`), as stored timestamps compare:
 * the database buckets each finish by them instead of converting every finish to a local date here.
 */
export function weekStarts(cohort: CohortFacts, timeZone: string): string[] {
  const weeks = Math.max(1, cohort.targetWeeks);
  return Array.from({ length: weeks - 1 }, (_, k) =>
    zonedTimeToUtc(addDays(cohort.startDate, 7 * (k + 1)), '00:00', timeZone).toISOString(),
  );
}

/** Each learner's cumulative finished hours per week, summarised across the cohort. */
function burnup(
  roadmap: Roadmap,
  cohort: CohortFacts,
  rows: readonly { user_id: string; week: number; hours: number }[],
  learners: number,
  today: LocalDate,
): CohortInsights['burnup'] {
  const weeks = Math.max(1, cohort.targetWeeks);
  const weekOf = (day: LocalDate) => Math.max(1, Math.floor(daysBetween(cohort.startDate, day) / 7) + 1);
  const perLearner = new Map<string, number[]>();
  for (const row of rows) {
    const list = perLearner.get(row.user_id) ?? new Array<number>(weeks + 1).fill(0);
    list[Math.min(Math.max(1, row.week), weeks)]! += row.hours;
    perLearner.set(row.user_id, list);
  }
  const cumulative = [...perLearner.values()].map((list) => {
    let sum = 0;
    return list.map((hours) => (sum += hours));
  });
  const reached = daysBetween(cohort.startDate, today) < 0 ? 0 : weekOf(today);
  const total = roadmap.requiredHours;
  const zeros = Math.max(0, learners - cumulative.length);
  const values = new Float64Array(cumulative.length + zeros);
  return {
    requiredHours: total,
    weeks: Array.from({ length: weeks }, (_, i) => {
      const week = i + 1;
      if (week > reached || values.length === 0) {
        return {
          week,
          date: addDays(cohort.startDate, 7 * week - 1),
          planned: round1(Math.min(cohort.hoursPerWeek * week, total)),
          actual: null,
        };
      }
      values.fill(0);
      cumulative.forEach((list, k) => (values[zeros + k] = Math.min(list[week] ?? 0, total)));
      const sorted = values.sort();
      return {
        week,
        date: addDays(cohort.startDate, 7 * week - 1),
        planned: round1(Math.min(cohort.hoursPerWeek * week, total)),
        actual: {
          median: round1(quantile(sorted, 0.5)),
          p25: round1(quantile(sorted, 0.25)),
          p75: round1(quantile(sorted, 0.75)),
          min: round1(sorted[0]!),
          max: round1(sorted[sorted.length - 1]!),
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
  const hours = new Map(topicIds.map((id) => [id, content.topics.get(id)?.estimateHours ?? 0]));
  const [learners, learning, finished, finishedHours, runs] = await Promise.all([
    repo.countLearners(db, cohort.id),
    repo.learningByTopic(db, cohort.id, topicIds),
    repo.finishedCounts(db, cohort.id, topicIds),
    repo.finishedHoursByWeek(db, cohort.id, hours, weekStarts(cohort, timeZone)),
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
    burnup: burnup(roadmap, cohort, finishedHours, learners, today),
  };
}
