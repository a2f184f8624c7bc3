import type { Status } from './status.js';

// How topics are counted: the one definition the server's summaries and the roadmap island's live
// counts share. Imports only types, so browser code can use it too.

/** One topic as counted: its status, the "choose one of" set it belongs to, and its estimate. */
export interface CountedTopic {
  status: Status;
  /** The id of its "choose one of" set, if any: a set counts once. */
  set?: string | undefined;
  /** Whether it is the member that stands for its set (the learner's pick, else the set's default). */
  chosen?: boolean;
  hours?: number;
}

export interface StatusCounts {
  total: number;
  pending: number;
  learning: number;
  done: number;
  skipped: number;
  /** Finished (done + skipped) as a whole percentage, rounded down. */
  percent: number;
  hoursTotal: number;
  hoursDone: number;
}

/**
 * Counts topics by status. A "choose one of" set counts once: done when any member is done, learning
 * when any member is being learned, else the chosen member's status; its hours are the chosen member's.
 *
 * @example countTopics([{ status: 'done', set: 'db' }, { status: 'pending', set: 'db' }]).total // 1
 */
export function countTopics(topics: readonly CountedTopic[]): StatusCounts {
  const counts: StatusCounts = {
    total: 0,
    pending: 0,
    learning: 0,
    done: 0,
    skipped: 0,
    percent: 0,
    hoursTotal: 0,
    hoursDone: 0,
  };
  const units: { status: Status; hours: number }[] = [];
  const sets = new Map<string, CountedTopic[]>();
  for (const topic of topics) {
    if (!topic.set) units.push({ status: topic.status, hours: topic.hours ?? 0 });
    else sets.set(topic.set, [...(sets.get(topic.set) ?? []), topic]);
  }
  for (const members of sets.values()) {
    const statuses = members.map((member) => member.status);
    const chosen = members.find((member) => member.chosen);
    units.push({
      status: statuses.includes('done')
        ? 'done'
        : statuses.includes('learning')
          ? 'learning'
          : (chosen?.status ?? 'pending'),
      hours: (chosen ?? members[0])?.hours ?? 0,
    });
  }
  for (const unit of units) {
    counts.total += 1;
    counts[unit.status] += 1;
    counts.hoursTotal += unit.hours;
    if (unit.status === 'done' || unit.status === 'skipped') counts.hoursDone += unit.hours;
  }
  counts.percent = counts.total === 0 ? 0 : Math.floor(((counts.done + counts.skipped) * 100) / counts.total);
  return counts;
}
