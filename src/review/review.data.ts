import { limit } from '../account/limits.js';
import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection, type UserDataContext } from '../account/user-data.js';
import type { ReviewCardRow, ReviewLogRow } from '../db/schema.js';
import type { Queryable } from '../db/types.js';
import { problems } from '../http/problems.js';
import * as repo from './review.repository.js';
import { RETENTION, STATE_NAMES, checkRetention } from './review.service.js';

// The `review` section of the export document: settings, each card's FSRS state, every rating.

const IsoDate = Type.String({ format: 'date-time', description: 'ISO-8601 timestamp' });
const CardKey = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 129,
  description: '`<topic-id>/<card-id>`',
});
const StateName = Type.Union(STATE_NAMES.map((s) => Type.Literal(s)));
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const Real = Type.Number({ minimum: 0, maximum: 1_000_000 });

export const ReviewExport = Type.Object(
  {
    settings: Type.Union([
      Type.Object(
        {
          desiredRetention: Type.Number({ minimum: RETENTION.min, maximum: RETENTION.max }),
          updatedAt: IsoDate,
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    cards: Type.Array(
      Type.Object(
        {
          key: CardKey,
          state: StateName,
          due: IsoDate,
          stability: Real,
          difficulty: Real,
          scheduledDays: Count,
          learningSteps: Count,
          reps: Count,
          lapses: Count,
          lastReview: IsoDate,
          createdAt: IsoDate,
        },
        { additionalProperties: false },
      ),
      limit('reviewCards'),
    ),
    logs: Type.Array(
      Type.Object(
        {
          key: CardKey,
          reviewedAt: IsoDate,
          rating: Type.Integer({ minimum: 1, maximum: 4 }),
          state: StateName,
          due: IsoDate,
          stability: Real,
          difficulty: Real,
          elapsedDays: Count,
          scheduledDays: Count,
          learningSteps: Count,
          answeredChoice: Type.Union([Type.Integer({ minimum: 0, maximum: 20 }), Type.Null()]),
          correct: Type.Union([Type.Boolean(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      limit('reviewLogs'),
    ),
  },
  { additionalProperties: false },
);
export type ReviewExport = Static<typeof ReviewExport>;

const iso = (value: string) => new Date(value).toISOString();
const stateNumber = (name: (typeof STATE_NAMES)[number]) => STATE_NAMES.indexOf(name);

/** Splits a card key and maps its topic to the id stored here (aliases resolve to the survivor). */
function resolveKey(ctx: UserDataContext, key: string, pointer: string): { key: string; topicId: string } {
  const slash = key.indexOf('/');
  const topicId = ctx.canonicalTopicId(key.slice(0, slash));
  if (topicId === null) {
    throw problems.validation(
      `The import mentions review card "${key}", whose topic no roadmap on this server knows (${pointer}). Nothing was imported.`,
      [{ pointer, message: `unknown topic in card key "${key}"` }],
    );
  }
  return { key: `${topicId}${key.slice(slash)}`, topicId };
}

/** The newer of two states of the same card wins (by last review). */
function isNewer(candidate: ReviewCardRow, existing: ReviewCardRow | undefined): boolean {
  return !existing || existing.last_review < candidate.last_review;
}

function moveLog(log: ReviewLogRow, userId: string, key: string, topicId: string): ReviewLogRow {
  return { ...log, user_id: userId, card_key: key, topic_id: topicId };
}

export const reviewUserData = defineUserDataSection({
  name: 'review',
  schema: ReviewExport,
  async export(db: Queryable, userId: string): Promise<ReviewExport> {
    const [settings, cards, logs] = await Promise.all([
      repo.findSettings(db, userId),
      repo.listCards(db, userId),
      repo.listLogs(db, userId),
    ]);
    return {
      settings: settings
        ? { desiredRetention: settings.desired_retention, updatedAt: settings.updated_at }
        : null,
      cards: cards.map((c) => ({
        key: c.card_key,
        state: STATE_NAMES[c.state] ?? 'review',
        due: c.due,
        stability: c.stability,
        difficulty: c.difficulty,
        scheduledDays: c.scheduled_days,
        learningSteps: c.learning_steps,
        reps: c.reps,
        lapses: c.lapses,
        lastReview: c.last_review,
        createdAt: c.created_at,
      })),
      logs: logs.map((l) => ({
        key: l.card_key,
        reviewedAt: l.reviewed_at,
        rating: l.rating,
        state: STATE_NAMES[l.state] ?? 'review',
        due: l.due,
        stability: l.stability,
        difficulty: l.difficulty,
        elapsedDays: l.elapsed_days,
        scheduledDays: l.scheduled_days,
        learningSteps: l.learning_steps,
        answeredChoice: l.answered_choice,
        correct: l.answered_correct === null ? null : l.answered_correct === 1,
      })),
    };
  },

  async import(trx, userId, data, ctx) {
    let written = 0;
    if (data.settings) {
      const current = await repo.findSettings(trx, userId);
      const updatedAt = iso(data.settings.updatedAt);
      if (!current || current.updated_at < updatedAt) {
        const value = checkRetention(
          data.settings.desiredRetention,
          '/body/review/settings/desiredRetention',
        );
        await repo.putSettings(trx, { user_id: userId, desired_retention: value, updated_at: updatedAt });
        written += 1;
      }
    }
    for (const [index, item] of data.cards.entries()) {
      const { key, topicId } = resolveKey(ctx, item.key, `/body/review/cards/${index}/key`);
      const row: ReviewCardRow = {
        user_id: userId,
        card_key: key,
        topic_id: topicId,
        state: stateNumber(item.state),
        due: iso(item.due),
        stability: item.stability,
        difficulty: item.difficulty,
        scheduled_days: item.scheduledDays,
        learning_steps: item.learningSteps,
        reps: item.reps,
        lapses: item.lapses,
        last_review: iso(item.lastReview),
        created_at: iso(item.createdAt),
      };
      if (isNewer(row, await repo.findCard(trx, userId, key))) {
        await repo.putCard(trx, row);
        written += 1;
      }
    }
    const logs = data.logs.map((item, index) => {
      const { key, topicId } = resolveKey(ctx, item.key, `/body/review/logs/${index}/key`);
      return {
        user_id: userId,
        card_key: key,
        topic_id: topicId,
        reviewed_at: iso(item.reviewedAt),
        rating: item.rating,
        state: stateNumber(item.state),
        due: iso(item.due),
        stability: item.stability,
        difficulty: item.difficulty,
        elapsed_days: item.elapsedDays,
        scheduled_days: item.scheduledDays,
        learning_steps: item.learningSteps,
        answered_choice: item.answeredChoice,
        answered_correct: item.correct === null ? null : Number(item.correct),
      };
    });
    return written + (await repo.insertLogs(trx, logs));
  },

  async merge(trx, fromUserId, toUserId) {
    const [guestSettings, accountSettings] = await Promise.all([
      repo.findSettings(trx, fromUserId),
      repo.findSettings(trx, toUserId),
    ]);
    if (guestSettings && (!accountSettings || accountSettings.updated_at < guestSettings.updated_at)) {
      await repo.putSettings(trx, { ...guestSettings, user_id: toUserId });
    }
    for (const row of await repo.listCards(trx, fromUserId)) {
      const moved = { ...row, user_id: toUserId };
      if (isNewer(moved, await repo.findCard(trx, toUserId, row.card_key))) await repo.putCard(trx, moved);
    }
    await repo.insertLogs(
      trx,
      (await repo.listLogs(trx, fromUserId)).map((log) => moveLog(log, toUserId, log.card_key, log.topic_id)),
    );
    // The guest is deleted after every section merged; its rows go with it (on delete cascade).
  },

  async rekeyTopic(trx, fromTopicId, toTopicId) {
    const rekey = (key: string) => `${toTopicId}${key.slice(fromTopicId.length)}`;
    for (const row of await repo.cardsForTopic(trx, fromTopicId)) {
      const moved = { ...row, card_key: rekey(row.card_key), topic_id: toTopicId };
      if (isNewer(moved, await repo.findCard(trx, row.user_id, moved.card_key)))
        await repo.putCard(trx, moved);
      await repo.deleteCard(trx, row.user_id, row.card_key);
    }
    const logs = await repo.logsForTopic(trx, fromTopicId);
    await repo.insertLogs(
      trx,
      logs.map((log) => moveLog(log, log.user_id, rekey(log.card_key), toTopicId)),
    );
    await repo.deleteLogsForTopic(trx, fromTopicId);
  },
});
