// Weekly check-ins: a week's scorecard (goals done / planned, hours) and the learner's reflection note.

import type { Content, Roadmap } from '../content/content.types.js';
import type { Queryable, WriteTx } from '../db/types.js';
import { problems } from '../http/problems.js';
import { addDays, localDateOf, mondayOf, type LocalDate } from './dates.js';
import { loadPlanInputs } from './plan.inputs.js';
import { topicTitle } from './plan.presenter.js';
import * as repo from './plan.repository.js';
import { requirePlan } from './plan.service.js';
import { scorecard, type Scorecard } from './plan.tracking.js';
import type { PlannedWeek } from './scheduler.js';

export const CHECKIN_MAX_LENGTH = 2000;

export interface CheckinView {
  weekIndex: number;
  start: LocalDate;
  end: LocalDate;
  finished: boolean;
  scorecard: Scorecard;
  goals: { topicId: string; title: string; part: number; parts: number; hours: number; done: boolean }[];
  note: string;
  updatedAt: string | null;
}

/** A week's scorecard, goals and note; the week must have begun (409 otherwise). */
export async function getCheckin(
  db: Queryable,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  weekIndex: number,
  now: Date,
): Promise<CheckinView> {
  const plan = await requirePlan(db, userId, roadmap);
  const { version } = plan;
  const today = localDateOf(now, version.settings.timeZone);
  const start = addDays(mondayOf(version.settings.startDate), weekIndex * 7);
  if (start > today) {
    throw problems.conflict(
      'week_not_started',
      `Week ${weekIndex + 1} starts on ${start}; check in once it has begun.`,
    );
  }
  const progress = await loadPlanInputs(db, content, roadmap, userId);
  const week: PlannedWeek = version.weeks.find((w) => w.index === weekIndex) ?? {
    index: weekIndex,
    start,
    end: addDays(start, 6),
    off: version.settings.weeksOff.includes(start),
    capacityHours: 0,
    hours: 0,
    items: [],
    tools: [],
  };
  const card = scorecard(version, week, progress.facts, today)!;
  const note = await repo.findCheckin(db, userId, roadmap.id, start);
  return {
    weekIndex,
    start,
    end: week.end,
    finished: card.finished,
    scorecard: card,
    goals: week.items.map((item) => {
      const facts = progress.facts.get(item.topicId);
      const done =
        (facts?.status === 'done' || facts?.status === 'skipped') &&
        (facts.statusChangedAt === null ||
          localDateOf(new Date(facts.statusChangedAt), version.settings.timeZone) <= week.end);
      return {
        topicId: item.topicId,
        title: topicTitle(content, item.topicId),
        part: item.part,
        parts: item.parts,
        hours: item.hours,
        done,
      };
    }),
    note: note?.note ?? '',
    updatedAt: note?.updated_at ?? null,
  };
}

/** Saves the reflection note of a week that has begun (an empty note clears it). */
export async function saveCheckin(
  db: WriteTx,
  content: Content,
  roadmap: Roadmap,
  userId: string,
  weekIndex: number,
  note: string,
  now: Date,
): Promise<CheckinView> {
  const view = await getCheckin(db, content, roadmap, userId, weekIndex, now);
  const existing = await repo.findCheckin(db, userId, roadmap.id, view.start);
  const at = now.toISOString();
  await repo.upsertCheckin(db, {
    user_id: userId,
    roadmap_id: roadmap.id,
    week_start: view.start,
    note: note.trim(),
    created_at: existing?.created_at ?? at,
    updated_at: at,
  });
  return { ...view, note: note.trim(), updatedAt: at };
}
