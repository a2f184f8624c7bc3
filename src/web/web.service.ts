import type { FastifyInstance } from 'fastify';
import { listApiTokens, listSessions } from '../auth/access.service.js';
import type { PublicApiToken, PublicSession } from '../auth/auth.presenters.js';
import type { Authenticated } from '../auth/auth.types.js';
import { buildSearchIndex, searchTopics, type SearchIndex } from '../content/content.search.js';
import type { Content, Roadmap } from '../content/content.types.js';
import type { ProgressRow } from '../db/schema.js';
import * as progress from '../progress/progress.service.js';
import { choicesFor } from '../alternatives/alternatives.service.js';
import type { ContinueItem } from './pages/home.page.js';
import { type Status, isStatus } from '../progress/status.js';

// What the pages show, gathered from the services the JSON API uses (no SQL here): the pages and the API
// always agree because they read the same functions.

export type StatusLookup = (topicId: string) => Status;

export function statusLookup(rows: Map<string, ProgressRow>): StatusLookup {
  return (topicId) => {
    const status = rows.get(topicId)?.status;
    return isStatus(status) ? status : 'pending';
  };
}

/** The visitor's progress rows for one roadmap (empty for a visitor without a session). */
export async function roadmapProgress(app: FastifyInstance, userId: string | null, roadmap: Roadmap) {
  const [rows, choices] = await Promise.all([
    progress.statusMap(app.db.kysely, userId, roadmap.topicIds),
    choicesFor(app.db.kysely, roadmap, userId),
  ]);
  const summary = progress.summarize(app.content(), roadmap, rows, choices);
  return { rows, statusOf: statusLookup(rows), summary, choices };
}

export interface HomeData {
  summaries: Map<string, progress.RoadmapSummary>;
  overall: { finished: number; total: number; learning: number } | null;
  next: ContinueItem | null;
}

/**
 * The home page's numbers and its "continue where you left off": the topic you touched last if you are
 * learning it, otherwise the first unfinished topic after it on its roadmap; a first visit starts at the
 * beginning of the first roadmap.
 */
export async function homeData(app: FastifyInstance, userId: string | null): Promise<HomeData> {
  const content = app.content();
  const rows = await progress.statusMap(app.db.kysely, userId);
  const summaries = new Map<string, progress.RoadmapSummary>();
  for (const roadmap of content.roadmapList)
    summaries.set(roadmap.id, progress.summarize(content, roadmap, rows));
  const statusOf = statusLookup(rows);
  const allTopics = new Set(content.roadmapList.flatMap((roadmap) => roadmap.topicIds));
  let finished = 0;
  let learning = 0;
  for (const id of allTopics) {
    const status = statusOf(id);
    if (status === 'done' || status === 'skipped') finished += 1;
    if (status === 'learning') learning += 1;
  }
  const overall = rows.size > 0 ? { finished, total: allTopics.size, learning } : null;
  return { summaries, overall, next: continueItem(content, rows, statusOf) };
}

function continueItem(
  content: Content,
  rows: Map<string, ProgressRow>,
  statusOf: StatusLookup,
): ContinueItem | null {
  const recent = [...rows.values()]
    .filter((row) => content.topics.has(row.topic_id))
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  const last = recent[0];
  const first = content.roadmapList[0];
  if (!last) {
    const topic = first ? content.topics.get(first.topicIds[0] ?? '') : undefined;
    return first && topic
      ? { roadmap: first, topic, status: 'pending', reason: `Start here: the first topic of ${first.title}.` }
      : null;
  }
  const topic = content.topics.get(last.topic_id);
  const roadmap = content.roadmaps.get(topic?.roadmapIds[0] ?? '') ?? first;
  if (!topic || !roadmap) return null;
  if (statusOf(topic.id) === 'learning')
    return { roadmap, topic, status: 'learning', reason: 'You are learning this one.' };
  const start = roadmap.topicIds.indexOf(topic.id);
  const order = [...roadmap.topicIds.slice(start + 1), ...roadmap.topicIds.slice(0, Math.max(start, 0))];
  const nextId = order.find((id) => statusOf(id) === 'pending' || statusOf(id) === 'learning');
  const nextTopic = nextId ? content.topics.get(nextId) : undefined;
  if (!nextTopic) return null;
  return {
    roadmap,
    topic: nextTopic,
    status: statusOf(nextTopic.id),
    reason: `Next on ${roadmap.title}, after “${topic.title}”.`,
  };
}

const searchIndexes = new WeakMap<Content, SearchIndex>();

/** Topic ids of `roadmap` matching `query`, best first. The index is built once per content load. */
export function searchRoadmap(content: Content, roadmap: Roadmap, query: string): string[] {
  let index = searchIndexes.get(content);
  if (!index) {
    index = buildSearchIndex(content);
    searchIndexes.set(content, index);
  }
  return searchTopics(index, query, roadmap.id);
}

export interface SettingsData {
  sessions: PublicSession[];
  tokens: PublicApiToken[];
}

export async function settingsData(app: FastifyInstance, auth: Authenticated | null): Promise<SettingsData> {
  if (!auth) return { sessions: [], tokens: [] };
  const [sessions, tokens] = await Promise.all([
    listSessions(app.authDeps, auth),
    auth.user.is_guest === 1 ? Promise.resolve([]) : listApiTokens(app.authDeps, auth),
  ]);
  return { sessions, tokens };
}
