import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Problem, problems } from '../http/problems.js';
import { topicPath } from '../web/components/topic.js';
import type { HomeWidget } from '../web/home-widgets.js';
import { pageContext, sendPage, setFlash } from '../web/layout.js';
import { ReviewPage, ReviewWidget } from './review.page.js';
import * as review from './review.service.js';

// The review page and its no-JavaScript form routes. Handlers parse the form strings, call the same
// service as the JSON API, then redirect back to /review (303) or render the page with the error.

const hidden = { hide: true };
/** Query strings and form bodies: every value a string, unknown fields tolerated (browsers send the submit button). */
const Strings = (fields: readonly string[]) =>
  Type.Object(
    Object.fromEntries(fields.map((name) => [name, Type.Optional(Type.String({ maxLength: 200 }))])),
  );

const CARD_KEY = /^([a-z0-9]+(?:-[a-z0-9]+)*)\/([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** A small whole number from a form or query string, or `fallback` when absent or malformed. */
function whole(value: string | undefined, max: number, fallback: number): number;
function whole(value: string | undefined, max: number, fallback: null): number | null;
function whole(value: string | undefined, max: number, fallback: number | null): number | null {
  if (value === undefined || !/^[0-9]{1,6}$/.test(value)) return fallback;
  const n = Number(value);
  return n <= max ? n : fallback;
}

function reviewUrl(done: number, rated?: number): string {
  const params = new URLSearchParams();
  if (done > 0) params.set('done', String(done));
  if (rated) params.set('rated', String(rated));
  const query = params.toString();
  return query ? `/review?${query}` : '/review';
}

function timeZoneOf(request: FastifyRequest): string {
  return request.auth?.user.time_zone ?? 'UTC';
}

interface RenderOptions {
  reveal?: string | undefined;
  choice?: number | null;
  done: number;
  rated?: number | null;
  retentionDraft?: string;
  retentionError?: string;
  newCardsDraft?: string;
  newCardsError?: string;
  status?: number;
}

async function renderReview(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  options: RenderOptions,
): Promise<FastifyReply> {
  const now = app.clock.now();
  const content = app.content();
  const userId = request.auth?.user.id ?? null;
  const session = userId ? await review.nextCard(app.db.kysely, content, userId, now, options.reveal) : null;
  const settings = await review.getSettings(app.db.kysely, userId);
  const card = session?.card ?? null;
  const topic = card ? content.topics.get(card.topicId) : undefined;
  const roadmapId = topic ? (topic.roadmapIds[0] ?? topic.homeRoadmapId) : null;
  const revealed = session?.preferred ?? false;
  const choice = options.choice ?? null;
  const rated =
    options.rated && options.rated >= 1 && options.rated <= 4 ? (options.rated as review.RatingValue) : null;
  return sendPage(
    reply,
    request,
    <ReviewPage
      context={pageContext(request)}
      summary={session?.summary ?? null}
      card={card}
      topicHref={topic && roadmapId ? topicPath(roadmapId, topic.id) : null}
      revealed={revealed}
      answeredChoice={
        revealed && card?.choices && choice !== null && choice < card.choices.length ? choice : null
      }
      done={options.done}
      lastRating={rated}
      desiredRetention={session?.desiredRetention ?? review.RETENTION.default}
      retentionDraft={options.retentionDraft}
      retentionError={options.retentionError}
      newCardsPerDay={settings.newCardsPerDay}
      newCardsDraft={options.newCardsDraft}
      newCardsError={options.newCardsError}
      now={now}
      timeZone={timeZoneOf(request)}
    />,
    { status: options.status ?? 200 },
  );
}

export default async function reviewPageRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/review',
    { schema: { ...hidden, querystring: Strings(['reveal', 'choice', 'done', 'rated']) } },
    async (request, reply) => {
      const { reveal, choice, done, rated } = request.query;
      return renderReview(app, request, reply, {
        reveal: reveal !== undefined && CARD_KEY.test(reveal) ? reveal : undefined,
        choice: whole(choice, 9, null),
        done: whole(done, 99_999, 0),
        rated: whole(rated, 4, null),
      });
    },
  );

  app.post(
    '/review/rate',
    {
      schema: { ...hidden, body: Strings(['card', 'rating', 'choice', 'done']) },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const done = whole(request.body.done, 99_999, 0);
      const key = CARD_KEY.exec(request.body.card ?? '');
      const rating = whole(request.body.rating, 4, null);
      if (!key || rating === null || rating < 1) {
        throw problems.validation(
          'Pick a rating from 1 (Again) to 4 (Easy) for the card on the review page.',
          [{ pointer: '/body/rating', message: 'must be 1, 2, 3 or 4' }],
        );
      }
      const choice = whole(request.body.choice, 9, null);
      try {
        await app.db.write(
          (trx) =>
            review.rateCard(
              trx,
              app.content(),
              auth.user.id,
              key[1]!,
              key[2]!,
              { rating: rating as review.RatingValue, answeredChoice: choice ?? undefined },
              app.clock.now(),
            ),
          { userId: auth.user.id, scope: 'data' },
        );
      } catch (error) {
        // A stale page (a second tab, a double submit, a card gone from the content) is not worth an
        // error page: say so and show the next card.
        if (error instanceof Problem && (error.status === 404 || error.status === 409)) {
          const text =
            error.status === 404
              ? 'That card is no longer part of the roadmap, so it was not rated. Here is the next one.'
              : 'That card was already rated (perhaps in another tab), or its topic left your deck. Here is the next one.';
          setFlash(reply, { kind: 'info', text });
          return reply.redirect(reviewUrl(done), 303);
        }
        throw error;
      }
      return reply.redirect(reviewUrl(done + 1, rating), 303);
    },
  );

  app.post(
    '/review/settings/new-cards',
    { config: { changes: 'data' }, schema: { ...hidden, body: Strings(['newCards', 'done']) } },
    async (request, reply) => {
      const done = whole(request.body.done, 99_999, 0);
      const raw = (request.body.newCards ?? '').trim();
      const value = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : NaN;
      const { min, max } = review.NEW_CARDS;
      if (!(value >= min && value <= max)) {
        return renderReview(app, request, reply, {
          done,
          newCardsDraft: raw,
          newCardsError: `Enter a whole number from ${min} to ${max} (you entered “${raw.slice(0, 20)}”).`,
          status: 400,
        });
      }
      const auth = await app.requireUserOrGuest(request, reply);
      await app.db.write(
        (trx) => review.setNewCardLimit(trx, auth.user.id, value, app.clock.now().toISOString()),
        { userId: auth.user.id, scope: 'data' },
      );
      setFlash(reply, {
        kind: 'success',
        text:
          value === 0
            ? 'New cards are paused: only cards you have already started come up.'
            : `Up to ${value} new cards a day from now on.`,
      });
      return reply.redirect(reviewUrl(done), 303);
    },
  );

  app.post(
    '/review/settings',
    { schema: { ...hidden, body: Strings(['retention', 'done']) } },
    async (request, reply) => {
      const done = whole(request.body.done, 99_999, 0);
      const raw = (request.body.retention ?? '').trim();
      const percent = /^[0-9]{1,3}(\.[0-9]{1,2})?$/.test(raw) ? Number(raw) : NaN;
      const { min, max } = review.RETENTION;
      if (!(percent >= min * 100 && percent <= max * 100)) {
        return renderReview(app, request, reply, {
          done,
          retentionDraft: raw,
          retentionError: `Enter a number from ${min * 100} to ${max * 100} (you entered “${raw.slice(0, 20)}”).`,
          status: 400,
        });
      }
      const auth = await app.requireUserOrGuest(request, reply);
      const saved = await app.db.write(
        (trx) => review.setSettings(trx, auth.user.id, percent / 100, app.clock.now().toISOString()),
        { userId: auth.user.id, scope: 'data' },
      );
      setFlash(reply, {
        kind: 'success',
        text: `Desired retention set to ${Math.round(saved.desiredRetention * 1000) / 10}%. It applies from your next rating.`,
      });
      return reply.redirect(reviewUrl(done), 303);
    },
  );
}

/** The home page's "cards due" box. */
export const reviewHomeWidget: HomeWidget = {
  id: 'review-due',
  order: 20,
  async render({ app, request, user }) {
    if (!user) return null;
    const now = app.clock.now();
    const summary = await review.getSummary(app.db.kysely, app.content(), user.id, now);
    if (summary.total === 0) return null;
    return <ReviewWidget summary={summary} now={now} timeZone={timeZoneOf(request)} />;
  },
};
