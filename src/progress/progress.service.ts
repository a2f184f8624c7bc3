import type { Content, Roadmap, Topic } from '../content/content.types.js';
import { onPostgres, type Queryable, type WriteTx } from '../db/types.js';
import type { ProgressRow } from '../db/schema.js';
import { problems } from '../http/problems.js';
import type { UserDataSection } from '../account/user-data.js';
import { requireTopic } from '../content/content.lookup.js';
import * as repo from './progress.repository.js';
import type { ProgressCache } from './progress.cache.js';

export { STATUSES, type Status } from './status.js';
import type { Status } from './status.js';
import { countTopics, type StatusCounts } from './count.js';
export const NOTE_MAX_LENGTH = 20_000;

/** One topic's progress as the API and pages show it. */
export interface TopicProgress {
  topicId: string;
  status: Status;
  note: string;
  updatedAt: string | null;
  statusChangedAt: string | null;
  checklist: string[];
}

export type { StatusCounts } from './count.js';

export interface StepSummary extends StatusCounts {
  stepId: string;
  title: string;
}

export interface RoadmapSummary extends StatusCounts {
  roadmapId: string;
  steps: StepSummary[];
}

export function present(row: ProgressRow | undefined, topicId: string, ticks: string[] = []): TopicProgress {
  return {
    topicId,
    status: (row?.status ?? 'pending') as Status,
    note: row?.note ?? '',
    updatedAt: row?.updated_at ?? null,
    statusChangedAt: row?.status_changed_at ?? null,
    checklist: ticks,
  };
}

/** The caller's status for each topic id (pending when never touched). */
export async function statusMap(
  db: Queryable,
  userId: string | null,
  topicIds?: readonly string[],
  cache?: ProgressCache,
): Promise<Map<string, ProgressRow>> {
  if (!userId) return new Map();
  const all = await allRows(db, userId, cache);
  return topicIds ? onlyTopics(all, topicIds) : all;
}

/** The rows of the given topics, in their order. */
export function onlyTopics(
  rows: ReadonlyMap<string, ProgressRow>,
  topicIds: readonly string[],
): Map<string, ProgressRow> {
  const map = new Map<string, ProgressRow>();
  for (const id of topicIds) {
    const row = rows.get(id);
    if (row) map.set(id, row);
  }
  return map;
}

/**
 * All of a user's progress rows: one indexed range scan (a learner has at most a few hundred
 * rows, far cheaper than binding a hundred-id IN list), served from the cache when it is warm.
 */
async function allRows(
  db: Queryable,
  userId: string,
  cache?: ProgressCache,
): Promise<Map<string, ProgressRow>> {
  const read = await cache?.open(userId);
  if (read?.entry) return read.entry.rows;
  const rows = await repo.listProgress(db, userId);
  const map = new Map(rows.map((r) => [r.topic_id, r]));
  if (read) await cache?.setRows(userId, read, map);
  return map;
}

/** The caller's ticked checklist items by topic id (served from the cache when it is warm). */
export async function tickMap(
  db: Queryable,
  userId: string,
  cache?: ProgressCache,
): Promise<Map<string, string[]>> {
  const read = await cache?.open(userId);
  if (read?.entry?.ticks) return read.entry.ticks;
  const map = new Map<string, string[]>();
  for (const tick of await repo.listTicks(db, userId)) {
    const ids = map.get(tick.topic_id);
    if (ids) ids.push(tick.item_id);
    else map.set(tick.topic_id, [tick.item_id]);
  }
  if (read?.entry) await cache?.setTicks(userId, map, read.entry.rows);
  return map;
}

/**
 * Counts topics by status through the shared definition (a "choose one of" set counts once; see
 * countTopics). `choices` (setId -> chosen topic) decides which member stands for each set.
 */
function countStatuses(
  roadmap: Roadmap,
  topics: readonly Topic[],
  rows: Map<string, ProgressRow>,
  choices: ReadonlyMap<string, string>,
): StatusCounts {
  return countTopics(
    topics.map((topic) => {
      const set = roadmap.alternativeOf.get(topic.id);
      return {
        status: (rows.get(topic.id)?.status ?? 'pending') as Status,
        set: set?.id,
        chosen: set ? (choices.get(set.id) ?? set.defaultTopicId) === topic.id : false,
        hours: topic.estimateHours,
      };
    }),
  );
}

/**
 * Overall and per-step counts for one roadmap. `choices` (setId -> chosen topic) decides which member
 * of each "choose one of" set stands for it; without it, each set's default does.
 */
export function summarize(
  content: Content,
  roadmap: Roadmap,
  rows: Map<string, ProgressRow>,
  choices: ReadonlyMap<string, string> = new Map(),
): RoadmapSummary {
  const topicsOf = (ids: readonly string[]) =>
    ids.map((id) => content.topics.get(id)).filter((t): t is Topic => !!t);
  return {
    roadmapId: roadmap.id,
    ...countStatuses(roadmap, topicsOf(roadmap.topicIds), rows, choices),
    steps: roadmap.steps.map((step) => ({
      stepId: step.id,
      title: step.title,
      ...countStatuses(roadmap, topicsOf(step.topicIds), rows, choices),
    })),
  };
}

export interface ProgressChange {
  status?: Status | undefined;
  note?: string | undefined;
}

/**
 * Sets a topic's status and/or note, appending what changed to the activity log.
 * Returns the stored progress. Runs inside the caller's transaction.
 */
export async function setTopicProgress(
  db: WriteTx,
  content: Content,
  userId: string,
  topicId: string,
  change: ProgressChange,
  now: string,
): Promise<TopicProgress> {
  const topic = requireTopic(content, topicId);
  if (change.note !== undefined && change.note.length > NOTE_MAX_LENGTH) {
    throw problems.validation(
      `The note is ${change.note.length} characters long; the limit is ${NOTE_MAX_LENGTH}.`,
      [{ pointer: '/body/note', message: `must be at most ${NOTE_MAX_LENGTH} characters` }],
    );
  }
  if (onPostgres(db)) {
    // The same rules as below, as one statement (one round trip; see Db.writeStatement).
    const { row, ticks } = await repo.changeProgressAtOnce(db, {
      userId,
      topicId: topic.id,
      status: change.status ?? null,
      note: change.note ?? null,
      now,
    });
    return present(row, topic.id, ticks);
  }
  const before = await repo.findProgress(db, userId, topic.id);
  const status = change.status ?? ((before?.status ?? 'pending') as Status);
  const note = change.note ?? before?.note ?? '';
  const statusChanged = status !== (before?.status ?? 'pending');
  const noteChanged = note !== (before?.note ?? '');
  if (!statusChanged && !noteChanged && before) {
    return present(before, topic.id, await tickIds(db, userId, topic.id));
  }
  const row: ProgressRow = {
    user_id: userId,
    topic_id: topic.id,
    status,
    note,
    created_at: before?.created_at ?? now,
    updated_at: now,
    status_changed_at: statusChanged || !before ? now : before.status_changed_at,
  };
  await repo.upsertProgress(db, row);
  const activity = [];
  if (statusChanged) {
    activity.push({
      user_id: userId,
      topic_id: topic.id,
      kind: 'status' as const,
      from_status: before?.status ?? 'pending',
      to_status: status,
      created_at: now,
      detail: null,
    });
  }
  if (noteChanged) {
    activity.push({
      user_id: userId,
      topic_id: topic.id,
      kind: 'note' as const,
      from_status: null,
      to_status: null,
      created_at: now,
      detail: null,
    });
  }
  await repo.insertActivity(db, activity);
  return present(row, topic.id, await tickIds(db, userId, topic.id));
}

async function tickIds(db: Queryable, userId: string, topicId: string): Promise<string[]> {
  return (await repo.listTicks(db, userId, topicId)).map((t) => t.item_id);
}

export async function getTopicProgress(
  db: Queryable,
  userId: string | null,
  topic: Topic,
): Promise<TopicProgress> {
  if (!userId) return present(undefined, topic.id);
  const [row, ticks] = await Promise.all([
    repo.findProgress(db, userId, topic.id),
    tickIds(db, userId, topic.id),
  ]);
  return present(row, topic.id, ticks);
}

/**
 * Ticks or unticks one key concept. Ticking the first item of a pending topic moves it to
 * `learning` (the learner still decides when it is done).
 */
export async function setChecklistItem(
  db: WriteTx,
  content: Content,
  userId: string,
  topicId: string,
  itemId: string,
  done: boolean,
  now: string,
): Promise<TopicProgress> {
  const topic = requireTopic(content, topicId);
  if (!topic.checklist.some((item) => item.id === itemId)) {
    throw problems.notFound('Checklist item', `Topic "${topic.id}" has no checklist item "${itemId}".`);
  }
  await repo.setTick(db, userId, topic.id, itemId, done ? now : null);
  await repo.insertActivity(db, [
    {
      user_id: userId,
      topic_id: topic.id,
      kind: 'checklist',
      from_status: null,
      to_status: done ? 'ticked' : 'unticked',
      created_at: now,
      detail: itemId,
    },
  ]);
  const before = await repo.findProgress(db, userId, topic.id);
  if (done && (before?.status ?? 'pending') === 'pending') {
    return setTopicProgress(db, content, userId, topic.id, { status: 'learning' }, now);
  }
  return present(before, topic.id, await tickIds(db, userId, topic.id));
}

/** Sets every topic of a roadmap back to pending (notes are kept) and logs one reset event. */
export async function resetRoadmap(
  db: WriteTx,
  roadmap: Roadmap,
  userId: string,
  now: string,
): Promise<number> {
  const changed = await repo.resetStatuses(db, userId, roadmap.topicIds, now);
  await repo.insertActivity(db, [
    {
      user_id: userId,
      topic_id: null,
      kind: 'reset',
      from_status: null,
      to_status: null,
      created_at: now,
      detail: roadmap.id,
    },
  ]);
  return changed;
}

/**
 * Moves progress recorded under a merged alias to the surviving topic id, once per database.
 * For a user who has both, the most recent change wins; every feature's section (`sections`, from
 * src/features.ts) re-keys its own rows. Runs at start-up after migrations.
 */
export async function applyTopicAliases(
  db: WriteTx,
  content: Content,
  now: string,
  sections: readonly UserDataSection[],
): Promise<number> {
  let moved = 0;
  for (const [alias, target] of content.aliases) {
    const key = `alias:${alias}->${target}`;
    if (await repo.contentMigrationApplied(db, key)) continue;
    for (const row of await repo.progressRowsForTopic(db, alias)) {
      const existing = await repo.findProgress(db, row.user_id, target);
      if (!existing || existing.updated_at < row.updated_at) {
        await repo.upsertProgress(db, { ...row, topic_id: target });
      }
      await repo.deleteProgress(db, row.user_id, alias);
      moved += 1;
    }
    await repo.rekeyActivityTopic(db, alias, target);
    await repo.rekeyTicks(db, alias, target);
    for (const section of sections) await section.rekeyTopic?.(db, alias, target);
    await repo.markContentMigration(db, key, now);
  }
  return moved;
}
