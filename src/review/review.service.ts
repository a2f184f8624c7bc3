import { createEmptyCard, fsrs, State, type Card as FsrsCard, type Grade } from 'ts-fsrs';
import type { Card, Content, Topic } from '../content/content.types.js';
import type { Queryable, WriteTx } from '../db/types.js';
import type { ReviewCardRow } from '../db/schema.js';
import { problems } from '../http/problems.js';
import { progressByTopic } from '../progress/progress.read.js';
import { recordReviewActivity } from '../progress/progress.record.js';
import * as repo from './review.repository.js';

/*
 * Spaced-repetition review, scheduled by FSRS (ts-fsrs).
 *
 * The queue is derived, not copied: a card is in a learner's queue while its topic's status is
 * `learning` or `done` and the card exists in the loaded content. So a status change, a checklist
 * tick that moves a topic to learning, an import, a guest merge or a newly written card all put
 * cards in the queue with no extra bookkeeping. A card gets a `review_cards` row at its first
 * rating; until then it is "new". Moving a topic back to `pending` (or to `skipped`) suspends its
 * cards: they leave the queue but keep their FSRS history, and resume from it if the topic becomes
 * learning or done again. Stored cards whose topic or card vanished from the content are kept
 * (and exported) but never shown.
 */

export const RETENTION = { min: 0.7, max: 0.99, default: 0.9 } as const;
/**
 * New cards a learner meets in any 24 hours, as every spaced-repetition tool limits them: marking ten
 * topics at once would otherwise put sixty new cards in front of them in one sitting.
 */
export const NEW_CARDS = { min: 0, max: 500, default: 20 } as const;
const DAY_MS = 86_400_000;
/** When nothing else is due, (re)learning cards due within this window are shown early, as Anki does. */
export const LEARN_AHEAD_MS = 20 * 60_000;
export const RATINGS = [1, 2, 3, 4] as const;
export type RatingValue = (typeof RATINGS)[number];
export const RATING_LABELS: Record<RatingValue, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

export const STATE_NAMES = ['new', 'learning', 'review', 'relearning'] as const;
export type CardStateName = (typeof STATE_NAMES)[number];

export interface ReviewSettings {
  /** Probability of recall FSRS aims for when it picks an interval (0.70–0.99). */
  desiredRetention: number;
  /** New cards shown in any 24 hours (0–500); the rest wait. */
  newCardsPerDay: number;
  /** Null while the learner has kept the default. */
  updatedAt: string | null;
}

/** Where a card stands for one learner. */
export interface CardSchedule {
  state: CardStateName;
  /** Null for a new card (due as soon as it is in the queue). */
  due: string | null;
  reps: number;
  lapses: number;
  lastReview: string | null;
  stability: number | null;
  difficulty: number | null;
}

/** A card ready to be asked, with what each rating would do. */
export interface QueueCard {
  key: string;
  topicId: string;
  cardId: string;
  topicTitle: string;
  type: 'basic' | 'choice';
  question: string;
  choices: string[] | null;
  /** 0-based index of the right choice (choice cards only). */
  correctChoice: number | null;
  answer: string;
  schedule: CardSchedule;
  /** When the card would next be due after each rating. */
  next: Record<'again' | 'hard' | 'good' | 'easy', string>;
}

export interface ReviewSummary {
  /** Cards to review now: due cards, new cards, and (when nothing else is left) learning cards due within 20 minutes. */
  due: number;
  /** Cards in the queue never rated yet. */
  new: number;
  /** New cards held back by the daily limit (they come in the next 24 hours' share). */
  newWaiting: number;
  /** Cards in FSRS learning or relearning steps. */
  learning: number;
  /** Every card in the queue, due or not. */
  total: number;
  /** When the next card that is not due yet becomes due; null when none is waiting. */
  nextDueAt: string | null;
}

interface Entry {
  card: Card;
  topic: Topic;
  row: ReviewCardRow | undefined;
}

interface Queue {
  /** Cards reviewable now, in the order to ask them. */
  ready: Entry[];
  summary: ReviewSummary;
  retention: number;
}

// Settings --------------------------------------------------------------------------------------

export async function getSettings(db: Queryable, userId: string | null): Promise<ReviewSettings> {
  const row = userId ? await repo.findSettings(db, userId) : undefined;
  return row
    ? {
        desiredRetention: row.desired_retention,
        newCardsPerDay: row.new_cards_per_day ?? NEW_CARDS.default,
        updatedAt: row.updated_at,
      }
    : { desiredRetention: RETENTION.default, newCardsPerDay: NEW_CARDS.default, updatedAt: null };
}

export function checkNewCardLimit(value: number, pointer: string): number {
  if (!Number.isInteger(value) || value < NEW_CARDS.min || value > NEW_CARDS.max) {
    throw problems.validation(
      `New cards a day must be a whole number from ${NEW_CARDS.min} to ${NEW_CARDS.max} (${NEW_CARDS.default} suits most learners; 0 pauses new cards).`,
      [{ pointer, message: `must be a whole number from ${NEW_CARDS.min} to ${NEW_CARDS.max}` }],
    );
  }
  return value;
}

/** Sets how many new cards a day the queue offers; keeps the retention target. */
export async function setNewCardLimit(
  db: WriteTx,
  userId: string,
  newCardsPerDay: number,
  now: string,
): Promise<ReviewSettings> {
  const value = checkNewCardLimit(newCardsPerDay, '/body/newCardsPerDay');
  const current = await getSettings(db, userId);
  await repo.putNewCardLimit(db, {
    user_id: userId,
    desired_retention: current.desiredRetention,
    new_cards_per_day: value,
    updated_at: now,
  });
  return { ...current, newCardsPerDay: value, updatedAt: now };
}

export function checkRetention(value: number, pointer: string): number {
  if (!Number.isFinite(value) || value < RETENTION.min || value > RETENTION.max) {
    throw problems.validation(
      `Desired retention must be between ${RETENTION.min} and ${RETENTION.max} (0.9 means "remember 90% of cards when they come due").`,
      [{ pointer, message: `must be between ${RETENTION.min} and ${RETENTION.max}` }],
    );
  }
  return Math.round(value * 1000) / 1000;
}

export async function setSettings(
  db: WriteTx,
  userId: string,
  desiredRetention: number,
  now: string,
): Promise<ReviewSettings> {
  const value = checkRetention(desiredRetention, '/body/desiredRetention');
  await repo.putSettings(db, { user_id: userId, desired_retention: value, updated_at: now });
  const { newCardsPerDay } = await getSettings(db, userId);
  return { desiredRetention: value, newCardsPerDay, updatedAt: now };
}

// FSRS glue -------------------------------------------------------------------------------------

/** The scheduler for a learner's desired retention. Fuzz spreads reviews so cards learned together do not stay clumped. */
export function scheduler(desiredRetention: number) {
  return fsrs({ request_retention: desiredRetention, enable_fuzz: true });
}

export function toFsrsCard(row: ReviewCardRow): FsrsCard {
  return {
    due: new Date(row.due),
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: 0,
    scheduled_days: row.scheduled_days,
    learning_steps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state as State,
    last_review: new Date(row.last_review),
  };
}

function present(row: ReviewCardRow | undefined): CardSchedule {
  if (!row)
    return {
      state: 'new',
      due: null,
      reps: 0,
      lapses: 0,
      lastReview: null,
      stability: null,
      difficulty: null,
    };
  return {
    state: STATE_NAMES[row.state] ?? 'review',
    due: row.due,
    reps: row.reps,
    lapses: row.lapses,
    lastReview: row.last_review,
    stability: row.stability,
    difficulty: row.difficulty,
  };
}

function isLearning(row: ReviewCardRow): boolean {
  return row.state === State.Learning || row.state === State.Relearning;
}

/** Whether a stored card may be rated at `now` (due, or a learning step due within the learn-ahead window). */
function ratableNow(row: ReviewCardRow, now: Date): boolean {
  if (row.last_review >= now.toISOString()) return false;
  const due = Date.parse(row.due);
  return due <= now.getTime() || (isLearning(row) && due <= now.getTime() + LEARN_AHEAD_MS);
}

// The queue ---------------------------------------------------------------------------------------

async function loadQueue(db: Queryable, content: Content, userId: string, now: Date): Promise<Queue> {
  const [settings, statuses, rows] = await Promise.all([
    getSettings(db, userId),
    progressByTopic(db, userId),
    repo.listCards(db, userId),
  ]);
  const byKey = new Map(rows.map((r) => [r.card_key, r]));
  const topics = [...statuses.values()]
    .filter((p) => p.status === 'learning' || p.status === 'done')
    .sort(
      (a, b) =>
        a.status_changed_at.localeCompare(b.status_changed_at) || a.topic_id.localeCompare(b.topic_id),
    );
  const entries: Entry[] = [];
  for (const progress of topics) {
    const topic = content.topics.get(progress.topic_id);
    if (!topic) continue; // retired: its cards are no longer in the content
    for (const card of topic.cards) entries.push({ card, topic, row: byKey.get(card.key) });
  }
  const nowIso = now.toISOString();
  const byDue = (a: Entry, b: Entry) =>
    a.row!.due.localeCompare(b.row!.due) || a.card.key.localeCompare(b.card.key);
  const dueNow = entries
    .filter((e) => e.row && e.row.due <= nowIso && e.row.last_review < nowIso)
    .sort(byDue);
  const fresh = entries.filter((e) => !e.row);
  // A card's row is created at its first rating: rows created in the last 24 hours are today's new cards.
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
  const startedToday = rows.filter((r) => r.created_at > dayAgo).length;
  const allowed = Math.max(0, settings.newCardsPerDay - startedToday);
  const freshNow = fresh.slice(0, allowed);
  let ready = [...dueNow, ...freshNow];
  if (ready.length === 0)
    ready = entries.filter((e) => e.row && isLearning(e.row) && ratableNow(e.row, now)).sort(byDue);
  const readyKeys = new Set(ready.map((e) => e.card.key));
  let nextDueAt: string | null = null;
  for (const e of entries) {
    if (e.row && !readyKeys.has(e.card.key) && (nextDueAt === null || e.row.due < nextDueAt))
      nextDueAt = e.row.due;
  }
  return {
    ready,
    retention: settings.desiredRetention,
    summary: {
      due: ready.length,
      new: freshNow.length,
      newWaiting: fresh.length - freshNow.length,
      learning: entries.filter((e) => e.row && isLearning(e.row)).length,
      total: entries.length,
      nextDueAt,
    },
  };
}

function toQueueCard(entry: Entry, retention: number, now: Date): QueueCard {
  const { card, topic, row } = entry;
  const preview = scheduler(retention).repeat(row ? toFsrsCard(row) : createEmptyCard(now), now);
  const dueAfter = (grade: Grade) => preview[grade].card.due.toISOString();
  return {
    key: card.key,
    topicId: topic.id,
    cardId: card.id,
    topicTitle: topic.title,
    type: card.type,
    question: card.question,
    choices: card.type === 'choice' ? (card.choices ?? []) : null,
    correctChoice: card.type === 'choice' ? (card.correct ?? null) : null,
    answer: card.answer,
    schedule: present(row),
    next: { again: dueAfter(1), hard: dueAfter(2), good: dueAfter(3), easy: dueAfter(4) },
  };
}

/** The cards to review now, in order (due reviews by due time, then new cards by when their topic started), plus the counts. */
export async function getQueue(
  db: Queryable,
  content: Content,
  userId: string,
  now: Date,
  limit: number,
): Promise<{ cards: QueueCard[]; summary: ReviewSummary; desiredRetention: number }> {
  const queue = await loadQueue(db, content, userId, now);
  return {
    cards: queue.ready.slice(0, limit).map((entry) => toQueueCard(entry, queue.retention, now)),
    summary: queue.summary,
    desiredRetention: queue.retention,
  };
}

/** Due counts for the API, the review page and the home page. */
export async function getSummary(
  db: Queryable,
  content: Content,
  userId: string,
  now: Date,
): Promise<ReviewSummary> {
  return (await loadQueue(db, content, userId, now)).summary;
}

/**
 * What the review page shows: the card named by `preferKey` if it can be reviewed now (a `?reveal=`
 * link names the card being answered, so it stays put even if the queue order moved meanwhile),
 * else the head of the queue; plus the counts.
 */
export async function nextCard(
  db: Queryable,
  content: Content,
  userId: string,
  now: Date,
  preferKey?: string,
): Promise<{ card: QueueCard | null; preferred: boolean; summary: ReviewSummary; desiredRetention: number }> {
  const queue = await loadQueue(db, content, userId, now);
  const preferred = preferKey === undefined ? undefined : queue.ready.find((e) => e.card.key === preferKey);
  const entry = preferred ?? queue.ready[0];
  return {
    card: entry ? toQueueCard(entry, queue.retention, now) : null,
    preferred: preferred !== undefined,
    summary: queue.summary,
    desiredRetention: queue.retention,
  };
}

// Rating ------------------------------------------------------------------------------------------

export interface RatingInput {
  rating: RatingValue;
  answeredChoice?: number | undefined;
}

export interface RatingResult {
  key: string;
  rating: RatingValue;
  /** For choice cards answered with a pick: whether it was the right one. */
  correct: boolean | null;
  schedule: CardSchedule;
}

/** Resolves a card from its URL parts; an alias topic id still finds the card. */
export function requireCard(content: Content, topicId: string, cardId: string): { card: Card; topic: Topic } {
  const liveId = content.aliases.get(topicId) ?? topicId;
  const topic = content.topics.get(liveId);
  const card = topic && content.cards.get(`${topic.id}/${cardId}`);
  if (!topic || !card) {
    throw problems.notFound(
      'Card',
      `There is no review card "${topicId}/${cardId}". Your due cards are listed by GET /api/v1/review/queue.`,
    );
  }
  return { card, topic };
}

/**
 * Records a rating: runs FSRS from the card's stored state, stores the new state and the log,
 * and logs a `review` activity (reviews count for streaks). Runs inside the caller's transaction.
 * A card whose topic is not learning/done, or that is not due yet, is a 409: the learner's view
 * was stale (another tab, a double submit), not a server fault.
 */
export async function rateCard(
  db: WriteTx,
  content: Content,
  userId: string,
  topicId: string,
  cardId: string,
  input: RatingInput,
  now: Date,
): Promise<RatingResult> {
  const { card, topic } = requireCard(content, topicId, cardId);
  const status = (await progressByTopic(db, userId, [topic.id])).get(topic.id)?.status ?? 'pending';
  if (status !== 'learning' && status !== 'done') {
    throw problems.conflict(
      'card_not_in_queue',
      `This card belongs to "${topic.title}", which is ${status}. A topic's cards join your review queue when you mark it learning or done.`,
    );
  }
  const correct = checkAnsweredChoice(card, input.answeredChoice);
  const row = await repo.findCard(db, userId, card.key);
  if (row && !ratableNow(row, now)) {
    throw problems.conflict(
      'card_not_due',
      `This card is not due until ${row.due}; it was probably rated already in another tab. Load the queue again.`,
    );
  }
  const { desiredRetention } = await getSettings(db, userId);
  const { card: next, log } = scheduler(desiredRetention).next(
    row ? toFsrsCard(row) : createEmptyCard(now),
    now,
    input.rating,
  );
  const nowIso = now.toISOString();
  const stored: ReviewCardRow = {
    user_id: userId,
    card_key: card.key,
    topic_id: topic.id,
    state: next.state,
    due: next.due.toISOString(),
    stability: next.stability,
    difficulty: next.difficulty,
    scheduled_days: next.scheduled_days,
    learning_steps: next.learning_steps,
    reps: next.reps,
    lapses: next.lapses,
    last_review: nowIso,
    created_at: row?.created_at ?? nowIso,
  };
  const saved = row ? await repo.updateCard(db, stored, row.reps) : await repo.insertCard(db, stored);
  if (!saved)
    throw problems.conflict(
      'review_conflict',
      'This card was rated at the same moment in another tab or device. Load the queue again.',
    );
  await repo.insertLogs(db, [
    {
      user_id: userId,
      card_key: card.key,
      topic_id: topic.id,
      reviewed_at: nowIso,
      rating: input.rating,
      state: log.state,
      due: log.due.toISOString(),
      stability: log.stability,
      difficulty: log.difficulty,
      elapsed_days: log.elapsed_days,
      scheduled_days: log.scheduled_days,
      learning_steps: log.learning_steps,
      answered_choice: input.answeredChoice ?? null,
      answered_correct: correct === null ? null : Number(correct),
    },
  ]);
  await recordReviewActivity(db, { userId, topicId: topic.id, cardKey: card.key, at: nowIso });
  return { key: card.key, rating: input.rating, correct, schedule: present(stored) };
}

function checkAnsweredChoice(card: Card, answeredChoice: number | undefined): boolean | null {
  if (answeredChoice === undefined) return null;
  const choices = card.type === 'choice' ? (card.choices ?? []) : [];
  if (choices.length === 0) {
    throw problems.validation('answeredChoice is only for multiple-choice cards; this card has no choices.', [
      { pointer: '/body/answeredChoice', message: 'this card has no choices' },
    ]);
  }
  if (answeredChoice >= choices.length) {
    throw problems.validation(`answeredChoice must be a choice index from 0 to ${choices.length - 1}.`, [
      { pointer: '/body/answeredChoice', message: `must be from 0 to ${choices.length - 1}` },
    ]);
  }
  return answeredChoice === card.correct;
}
