import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { problems } from '../http/problems.js';
import { errorResponses, TopicIdParam } from '../http/schemas.js';
import * as review from './review.service.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const SummarySchema = Type.Object(
  {
    due: Type.Integer({
      description:
        'Cards to review now (due, new, and learning steps due within 20 minutes when nothing else is left)',
    }),
    new: Type.Integer({ description: 'Never-rated cards offered now (within the daily new-card limit)' }),
    newWaiting: Type.Integer({
      description: 'Never-rated cards held back by the daily new-card limit until the next 24 hours',
    }),
    learning: Type.Integer({ description: 'Cards in FSRS (re)learning steps' }),
    total: Type.Integer({ description: 'Every card in the queue, due or not' }),
    nextDueAt: Nullable(
      Type.String({ format: 'date-time', description: 'When the next card that is not due yet comes due' }),
    ),
  },
  { $id: 'ReviewSummary', title: 'ReviewSummary' },
);

const ScheduleSchema = Type.Object(
  {
    state: Type.Union(review.STATE_NAMES.map((s) => Type.Literal(s))),
    due: Nullable(Type.String({ format: 'date-time' })),
    reps: Type.Integer(),
    lapses: Type.Integer(),
    lastReview: Nullable(Type.String({ format: 'date-time' })),
    stability: Nullable(Type.Number()),
    difficulty: Nullable(Type.Number()),
  },
  { $id: 'CardSchedule', title: 'CardSchedule', description: "A card's FSRS state for you" },
);

const CardSchema = Type.Object(
  {
    key: Type.String({ description: '`<topic-id>/<card-id>`' }),
    topicId: Type.String(),
    cardId: Type.String(),
    topicTitle: Type.String(),
    type: Type.Union([Type.Literal('basic'), Type.Literal('choice')]),
    question: Type.String(),
    choices: Nullable(Type.Array(Type.String())),
    correctChoice: Nullable(Type.Integer({ description: '0-based index of the right choice' })),
    answer: Type.String({ description: 'The answer (for choice cards, the explanation)' }),
    schedule: Type.Ref('CardSchedule'),
    next: Type.Object(
      {
        again: Type.String({ format: 'date-time' }),
        hard: Type.String({ format: 'date-time' }),
        good: Type.String({ format: 'date-time' }),
        easy: Type.String({ format: 'date-time' }),
      },
      { description: 'When the card would be due after each rating' },
    ),
  },
  { $id: 'ReviewCard', title: 'ReviewCard' },
);

const SettingsSchema = Type.Object(
  {
    desiredRetention: Type.Number({
      minimum: review.RETENTION.min,
      maximum: review.RETENTION.max,
      description:
        'Probability of recall FSRS aims for when a card comes due (higher means shorter intervals and more reviews)',
    }),
    newCardsPerDay: Type.Integer({
      minimum: review.NEW_CARDS.min,
      maximum: review.NEW_CARDS.max,
      description: `New cards offered in any 24 hours (default ${review.NEW_CARDS.default}; 0 pauses new cards)`,
    }),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'ReviewSettings', title: 'ReviewSettings' },
);

/** The review API: the queue, ratings, settings and due counts. */
export default async function reviewRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(SummarySchema);
  app.addSchema(ScheduleSchema);
  app.addSchema(CardSchema);
  app.addSchema(SettingsSchema);
  const db = () => app.db.kysely;

  app.get(
    '/api/v1/review/summary',
    {
      schema: {
        operationId: 'getReviewSummary',
        tags: ['review'],
        summary:
          'How many review cards are due now, new, in learning, in total, and when the next one comes due',
        response: { 200: Type.Ref('ReviewSummary'), ...errorResponses(401) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      return review.getSummary(db(), app.content(), auth.user.id, app.clock.now());
    },
  );

  app.get(
    '/api/v1/review/queue',
    {
      schema: {
        operationId: 'getReviewQueue',
        tags: ['review'],
        summary: 'The cards to review now, in order (due reviews first, then new cards)',
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,3}$', description: 'How many cards, 1–100 (default 20)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            cards: Type.Array(Type.Ref('ReviewCard')),
            summary: Type.Ref('ReviewSummary'),
            desiredRetention: Type.Number(),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const limit = Number(request.query.limit ?? '20');
      if (limit < 1 || limit > 100) {
        throw problems.validation('limit must be a whole number from 1 to 100.', [
          { pointer: '/querystring/limit', message: 'must be from 1 to 100' },
        ]);
      }
      return review.getQueue(db(), app.content(), auth.user.id, app.clock.now(), limit);
    },
  );

  app.post(
    '/api/v1/review/cards/:topicId/:cardId/rating',
    {
      schema: {
        operationId: 'rateReviewCard',
        tags: ['review'],
        summary: 'Rate a due card 1–4 (Again, Hard, Good, Easy); FSRS schedules its next review',
        params: Type.Object({ topicId: TopicIdParam, cardId: TopicIdParam }),
        body: Type.Object(
          {
            rating: Type.Union(
              review.RATINGS.map((r) => Type.Literal(r)),
              { description: '1 Again, 2 Hard, 3 Good, 4 Easy' },
            ),
            answeredChoice: Type.Optional(
              Type.Integer({
                minimum: 0,
                description: 'Multiple-choice cards: the 0-based option picked before revealing',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            key: Type.String(),
            rating: Type.Integer(),
            correct: Nullable(
              Type.Boolean({
                description: 'Whether the picked choice was right (null when no choice was sent)',
              }),
            ),
            schedule: Type.Ref('CardSchedule'),
            summary: Type.Ref('ReviewSummary'),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const { topicId, cardId } = request.params;
      const now = app.clock.now();
      const result = await app.db.write(
        (trx) => review.rateCard(trx, app.content(), auth.user.id, topicId, cardId, request.body, now),
        { userId: auth.user.id, scope: 'data' },
      );
      return { ...result, summary: await review.getSummary(db(), app.content(), auth.user.id, now) };
    },
  );

  app.get(
    '/api/v1/review/settings',
    {
      schema: {
        operationId: 'getReviewSettings',
        tags: ['review'],
        summary: 'Your review settings',
        response: { 200: Type.Ref('ReviewSettings'), ...errorResponses(401) },
      },
    },
    async (request) => review.getSettings(db(), app.requireAuth(request).user.id),
  );

  app.put(
    '/api/v1/review/settings',
    {
      schema: {
        operationId: 'setReviewSettings',
        tags: ['review'],
        summary:
          'Change your desired retention (0.70–0.99; applies to future ratings) and/or new cards a day (0–500)',
        body: Type.Object(
          {
            desiredRetention: Type.Optional(
              Type.Number({ minimum: review.RETENTION.min, maximum: review.RETENTION.max }),
            ),
            newCardsPerDay: Type.Optional(
              Type.Integer({ minimum: review.NEW_CARDS.min, maximum: review.NEW_CARDS.max }),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Ref('ReviewSettings'), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const auth = await app.requireUserOrGuest(request, reply);
      const now = app.clock.now().toISOString();
      const { desiredRetention, newCardsPerDay } = request.body;
      return app.db.write(
        async (trx) => {
          let settings = await review.getSettings(trx, auth.user.id);
          if (desiredRetention !== undefined)
            settings = await review.setSettings(trx, auth.user.id, desiredRetention, now);
          if (newCardsPerDay !== undefined)
            settings = await review.setNewCardLimit(trx, auth.user.id, newCardsPerDay, now);
          return settings;
        },
        { userId: auth.user.id, scope: 'data' },
      );
    },
  );
}
