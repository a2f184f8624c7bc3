import { randomUUID } from 'node:crypto';
import type { Content } from '../content/content.types.js';
import { renderMarkdown } from '../content/markdown.js';
import type { FeedbackCommentRow } from '../db/schema.js';
import type { Queryable, WriteTx } from '../db/types.js';
import { problems } from '../http/problems.js';
import { learnerRun } from '../projects/projects.read.js';
import * as repo from './feedback.repository.js';

// Feedback: a mentor comments on a learner's topic or project run, the learner reads it there and
// replies. Who may do what is decided by src/cohorts/policy.ts before these functions are called;
// here are the rules of the comments themselves (what they are about, their text, read marks).

export const COMMENT_MAX = 10_000;

export interface CommentView {
  id: string;
  cohortId: string | null;
  roadmapId: string;
  topicId: string | null;
  runId: string | null;
  /** The Markdown as written. */
  body: string;
  /** The Markdown rendered with raw HTML escaped and only web, mail and relative links kept. */
  html: string;
  author: { role: 'mentor' | 'learner'; name: string };
  /** Written by the viewer. */
  mine: boolean;
  createdAt: string;
  /** For the learner: seen (always true for their own replies). */
  read: boolean;
}

/** What a comment is about: a topic of a roadmap, or one of the learner's project runs. */
export interface Target {
  roadmapId: string;
  topicId: string | null;
  runId: string | null;
}

export function present(row: repo.CommentWithAuthor, viewerId: string): CommentView {
  const role = row.author_id === row.learner_id ? 'learner' : 'mentor';
  const mine = row.author_id === viewerId;
  return {
    id: row.id,
    cohortId: row.cohort_id,
    roadmapId: row.roadmap_id,
    topicId: row.topic_id,
    runId: row.run_id,
    body: row.body,
    html: renderMarkdown(row.body),
    author: {
      role,
      name: mine ? 'You' : (row.author_name ?? (role === 'mentor' ? 'A former mentor' : 'The learner')),
    },
    mine,
    createdAt: row.created_at,
    read: role === 'learner' || row.read_at !== null,
  };
}

/** The comment text, trimmed; 1 to COMMENT_MAX characters. */
export function validBody(raw: string): string {
  const body = raw.trim();
  if (body.length < 1 || body.length > COMMENT_MAX) {
    throw problems.validation(`Write a comment of 1 to ${COMMENT_MAX} characters.`, [
      { pointer: '/body/body', message: `must be 1–${COMMENT_MAX} characters` },
    ]);
  }
  return body;
}

/**
 * Checks what a comment is about: exactly one of a topic (of the roadmap, when given; aliases are
 * followed) or one of the learner's own runs. Unknown topics and other people's runs are 404.
 */
export async function resolveTarget(
  db: Queryable,
  content: Content,
  learnerId: string,
  input: { roadmapId?: string | undefined; topicId?: string | undefined; runId?: string | undefined },
): Promise<Target> {
  if ((input.topicId === undefined) === (input.runId === undefined)) {
    throw problems.validation('Say what the comment is about: a topicId or a runId (one of them).', [
      { pointer: '/body/topicId', message: 'give a topicId or a runId' },
    ]);
  }
  if (input.runId !== undefined) {
    const run = await learnerRun(db, learnerId, input.runId);
    if (!run) throw problems.notFound('Run', 'This learner has no project run with this id.');
    const project = content.projects.get(run.projectId);
    if (!project) throw problems.notFound('Project', 'The project of this run is no longer on this server.');
    return { roadmapId: project.roadmapId, topicId: null, runId: run.id };
  }
  const asked = input.topicId!;
  const topic = content.topics.get(content.aliases.get(asked) ?? asked);
  if (!topic) throw problems.notFound('Topic', `There is no topic "${asked}".`);
  const roadmapId = input.roadmapId ?? topic.roadmapIds[0] ?? topic.homeRoadmapId;
  if (!topic.roadmapIds.includes(roadmapId)) {
    throw problems.notFound('Topic', `The roadmap "${roadmapId}" has no topic "${asked}".`);
  }
  return { roadmapId, topicId: topic.id, runId: null };
}

/** The comments on a learner's topic or run (or all of them), as `viewerId` sees them. */
export async function listThread(
  db: Queryable,
  viewerId: string,
  filter: repo.ThreadFilter,
): Promise<CommentView[]> {
  return (await repo.listComments(db, filter)).map((row) => present(row, viewerId));
}

export function unreadCount(db: Queryable, learnerId: string): Promise<number> {
  return repo.countUnread(db, learnerId);
}

/** Stores a comment; a learner's reply also marks the thread's comments as read. */
export async function addComment(
  trx: WriteTx,
  input: { learnerId: string; authorId: string; cohortId: string; target: Target; body: string; now: string },
): Promise<CommentView> {
  const row: FeedbackCommentRow = {
    id: randomUUID(),
    learner_id: input.learnerId,
    author_id: input.authorId,
    cohort_id: input.cohortId,
    roadmap_id: input.target.roadmapId,
    topic_id: input.target.topicId,
    run_id: input.target.runId,
    body: validBody(input.body),
    created_at: input.now,
    read_at: null,
  };
  await repo.insertComment(trx, row);
  if (input.authorId === input.learnerId) {
    await repo.markRead(trx, input.learnerId, input.now, threadOf(input.target));
  }
  const thread = await repo.listComments(trx, { learnerId: input.learnerId, ...threadOf(input.target) });
  const stored = thread.find((comment) => comment.id === row.id) ?? { ...row, author_name: null };
  return present(stored, input.authorId);
}

/** The cohort a learner's reply goes to: the one asked for, else the thread's latest, else their only one. */
export async function replyCohort(
  db: Queryable,
  learnerId: string,
  allowed: readonly string[],
  target: Target,
  asked: string | undefined,
): Promise<string> {
  if (asked !== undefined) {
    if (!allowed.includes(asked)) throw problems.notFound('Cohort');
    return asked;
  }
  const thread = await repo.listComments(db, { learnerId, cohortIds: allowed, ...threadOf(target) });
  const latest = thread.at(-1)?.cohort_id;
  if (latest) return latest;
  if (allowed.length === 1) return allowed[0]!;
  throw problems.conflict(
    'feedback_cohort_required',
    allowed.length === 0
      ? 'You are not a learner in any cohort, so there is no mentor to write to.'
      : 'You are in several cohorts: say which one this comment is for (cohortId).',
  );
}

/** Marks others' comments as read (one topic's, one run's, or all); returns how many are still unread. */
export async function markRead(
  trx: WriteTx,
  learnerId: string,
  now: string,
  where: { topicId?: string; runId?: string },
): Promise<number> {
  await repo.markRead(trx, learnerId, now, where);
  return repo.countUnread(trx, learnerId);
}

function threadOf(target: Target): { topicId?: string; runId?: string } {
  return target.runId !== null ? { runId: target.runId } : { topicId: target.topicId! };
}
