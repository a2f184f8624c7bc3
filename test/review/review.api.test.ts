import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';
import type { Content } from '../../src/content/content.types.js';
import { applyTopicAliases } from '../../src/progress/progress.service.js';
import { userDataSections } from '../../src/features.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

interface Schedule {
  state: string;
  due: string | null;
  reps: number;
  lapses: number;
  lastReview: string | null;
}
interface QueueCard {
  key: string;
  topicId: string;
  cardId: string;
  type: 'basic' | 'choice';
  choices: string[] | null;
  correctChoice: number | null;
  schedule: Schedule;
  next: Record<'again' | 'hard' | 'good' | 'easy', string>;
}
interface Summary {
  due: number;
  new: number;
  newWaiting: number;
  learning: number;
  total: number;
  nextDueAt: string | null;
}
interface Queue {
  cards: QueueCard[];
  summary: Summary;
  desiredRetention: number;
}
interface Rated {
  key: string;
  correct: boolean | null;
  schedule: Schedule;
  summary: Summary;
}
interface ReviewSection {
  settings: { desiredRetention: number; updatedAt: string } | null;
  cards: { key: string; due: string; lastReview: string; reps: number }[];
  logs: { key: string; reviewedAt: string; rating: number }[];
}

for (const dialect of await dialects()) {
  describe(`review API (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    const queue = async (c: Client, limit = 100) =>
      json<Queue>(await c.get(`/api/v1/review/queue?limit=${limit}`));
    const rate = (c: Client, key: string, rating: number, answeredChoice?: number) =>
      c.post(
        `/api/v1/review/cards/${key}/rating`,
        answeredChoice === undefined ? { rating } : { rating, answeredChoice },
      );
    const rated = async (c: Client, key: string, rating: number) => {
      const res = await rate(c, key, rating);
      assert.equal(res.statusCode, 200, res.body);
      return json<Rated>(res);
    };
    const msUntil = (iso: string | null) => Date.parse(iso!) - t.clock.now().getTime();
    const cardsOf = (topicId: string) => t.content.topics.get(topicId)!.cards.map((card) => card.key);

    it('a card rated Good twice is due later than after one Good; Again brings it back within minutes', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/dns/progress', { status: 'learning' });
      const [first, second] = cardsOf('dns');

      const once = await rated(c, first!, 3);
      const afterOneGood = msUntil(once.schedule.due);
      assert.equal(once.schedule.state, 'learning');
      t.clock.advance(afterOneGood);
      const twice = await rated(c, first!, 3);
      const afterTwoGoods = msUntil(twice.schedule.due);
      assert.equal(twice.schedule.state, 'review');
      assert.ok(
        afterTwoGoods > afterOneGood,
        `${afterTwoGoods} ms after two Goods vs ${afterOneGood} ms after one`,
      );
      assert.ok(afterTwoGoods >= DAY, 'graduated cards come back after days');

      const forgotten = await rated(c, second!, 1);
      assert.ok(
        msUntil(forgotten.schedule.due) <= 10 * MINUTE,
        'a new card rated Again returns within minutes',
      );

      // A graduated card that is forgotten relearns within minutes too, and counts a lapse.
      t.clock.advance(afterTwoGoods);
      const lapsed = await rated(c, first!, 1);
      assert.equal(lapsed.schedule.state, 'relearning');
      assert.equal(lapsed.schedule.lapses, 1);
      assert.ok(
        msUntil(lapsed.schedule.due) > 0 && msUntil(lapsed.schedule.due) <= 15 * MINUTE,
        `relearning due ${lapsed.schedule.due}`,
      );
    });

    it('cards enter the queue when their topic becomes learning or done (also by a checklist tick), never when pending or skipped', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/dns/progress', { status: 'skipped' });
      await c.put('/api/v1/topics/http-basics/progress', { status: 'pending', note: 'a note only' });
      let q = await queue(c);
      assert.equal(q.summary.total, 0);
      assert.deepEqual(q.cards, []);

      t.clock.advance(1000);
      await c.put('/api/v1/topics/http-basics/progress', { status: 'done' });
      t.clock.advance(1000);
      await c.put('/api/v1/topics/mongodb/progress', { status: 'learning' });
      t.clock.advance(1000);
      const topic = json<{ checklist: { id: string }[] }>(await c.get('/api/v1/topics/cors'));
      await c.put(`/api/v1/topics/cors/checklist/${topic.checklist[0]!.id}`, { done: true });
      q = await queue(c);
      const topics = new Set(q.cards.map((card) => card.topicId));
      assert.deepEqual([...topics].sort(), ['cors', 'http-basics', 'mongodb']);
      const expected = cardsOf('http-basics').length + cardsOf('mongodb').length + cardsOf('cors').length;
      assert.deepEqual(
        [q.summary.total, q.summary.new, q.summary.due, q.summary.learning],
        [expected, expected, expected, 0],
      );
      assert.equal(q.cards[0]!.topicId, 'http-basics', 'new cards come in the order their topics started');
    });

    it('returning a topic to pending suspends its cards but keeps their history; they resume where they were', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/kafka/progress', { status: 'done' });
      const key = cardsOf('kafka')[0]!;
      const before = await rated(c, key, 4);
      await c.put('/api/v1/topics/kafka/progress', { status: 'pending' });
      assert.equal((await queue(c)).summary.total, 0);
      assert.equal((await rate(c, cardsOf('kafka')[1]!, 3)).statusCode, 409);
      await c.put('/api/v1/topics/kafka/progress', { status: 'learning' });
      const q = await queue(c);
      assert.equal(q.summary.total, cardsOf('kafka').length);
      assert.ok(!q.cards.some((card) => card.key === key), 'the rated card is not due yet');
      assert.equal(q.summary.nextDueAt, before.schedule.due);
      const exported = json<{ review: ReviewSection }>(await c.get('/api/v1/me/export'));
      assert.equal(exported.review.cards.find((card) => card.key === key)?.due, before.schedule.due);
    });

    it('summary counts due, new and learning cards and says when the next one comes due', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/nats/progress', { status: 'learning' });
      const keys = cardsOf('nats');
      const empty = json<Summary>(await c.get('/api/v1/review/summary'));
      assert.deepEqual(empty, {
        due: keys.length,
        new: keys.length,
        newWaiting: 0,
        learning: 0,
        total: keys.length,
        nextDueAt: null,
      });
      const again = await rated(c, keys[0]!, 1);
      t.clock.advance(1000);
      await rated(c, keys[1]!, 4);
      const summary = json<Summary>(await c.get('/api/v1/review/summary'));
      assert.deepEqual(summary, {
        due: keys.length - 2,
        new: keys.length - 2,
        newWaiting: 0,
        learning: 1,
        total: keys.length,
        nextDueAt: again.schedule.due,
      });
      for (const key of keys.slice(2)) {
        t.clock.advance(1000);
        await rated(c, key, 4);
      }
      // Nothing else left: the learning card due within minutes is shown early rather than making the learner wait.
      const learnAhead = await queue(c);
      assert.deepEqual(
        learnAhead.cards.map((card) => card.key),
        [keys[0]],
      );
      await rated(c, keys[0]!, 4);
      const done = json<Summary>(await c.get('/api/v1/review/summary'));
      assert.equal(done.due, 0);
      assert.ok(done.nextDueAt && msUntil(done.nextDueAt) >= DAY, `next due ${done.nextDueAt}`);
      assert.deepEqual((await queue(c)).cards, []);
    });

    it('new cards are limited per day (20 by default, a setting); the rest wait their turn', async () => {
      const c = new Client(t.app);
      const topics = [...t.content.topics.values()].filter((topic) => topic.cards.length > 0).slice(0, 12);
      for (const topic of topics) await c.put(`/api/v1/topics/${topic.id}/progress`, { status: 'learning' });
      const cards = topics.reduce((sum, topic) => sum + topic.cards.length, 0);
      assert.ok(cards > 20, `enough cards for the test (${cards})`);
      const first = json<Summary>(await c.get('/api/v1/review/summary'));
      assert.equal(first.new, 20, 'twenty new cards a day by default');
      assert.equal(first.newWaiting, cards - 20);
      assert.equal(first.total, cards);
      const settings = await c.put('/api/v1/review/settings', { newCardsPerDay: 3 });
      assert.equal(settings.statusCode, 200);
      assert.equal(json(settings).newCardsPerDay, 3);
      assert.equal(json(settings).desiredRetention, 0.9, 'retention kept');
      const queue = json<{ cards: { key: string }[] }>(await c.get('/api/v1/review/queue'));
      assert.equal(queue.cards.length, 3);
      for (const card of queue.cards) await rated(c, card.key, 3);
      const spent = json<Summary>(await c.get('/api/v1/review/summary'));
      assert.equal(spent.new, 0, 'the day’s share is used up');
      assert.equal(spent.newWaiting, cards - 3);
      t.clock.advance(24 * 3600_000 + 1000);
      assert.equal(json<Summary>(await c.get('/api/v1/review/summary')).new, 3, 'a new share a day later');
      for (const body of [{ newCardsPerDay: -1 }, { newCardsPerDay: 501 }, { newCardsPerDay: 2.5 }]) {
        const res = await c.put('/api/v1/review/settings', body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
      }
    });

    it('a higher desired retention gives shorter intervals; the setting is validated', async () => {
      const intervals: number[] = [];
      for (const retention of [0.7, 0.9, 0.99]) {
        const c = new Client(t.app);
        await c.put('/api/v1/topics/redis/progress', { status: 'learning' });
        const put = await c.put('/api/v1/review/settings', { desiredRetention: retention });
        assert.equal(put.statusCode, 200, put.body);
        assert.equal(json(await c.get('/api/v1/review/settings')).desiredRetention, retention);
        const key = cardsOf('redis')[0]!;
        const first = await rated(c, key, 3);
        t.clock.advance(msUntil(first.schedule.due));
        const second = await rated(c, key, 3);
        intervals.push(msUntil(second.schedule.due));
        t.clock.advance(-msUntil(first.schedule.due));
      }
      assert.ok(
        intervals[0]! > intervals[1]! && intervals[1]! > intervals[2]!,
        `intervals ${intervals.map((ms) => (ms / DAY).toFixed(1)).join(' > ')} days`,
      );

      const c = new Client(t.app);
      assert.equal(
        json(await c.put('/api/v1/review/settings', { desiredRetention: 0.8 })).desiredRetention,
        0.8,
      );
      for (const body of [
        { desiredRetention: 0.5 },
        { desiredRetention: 1 },
        { desiredRetention: '0.9' },
        {},
        { desiredRetention: 0.9, extra: 1 },
      ]) {
        const res = await c.put('/api/v1/review/settings', body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      }
      assert.equal(
        json(await c.get('/api/v1/review/settings')).desiredRetention,
        0.8,
        'bad input changed nothing',
      );
    });

    it('multiple-choice answers are checked; bad ratings are 4xx problems, never 5xx', async () => {
      const c = new Client(t.app);
      assert.equal((await c.get('/api/v1/review/queue')).statusCode, 401);
      assert.equal((await c.get('/api/v1/review/summary')).statusCode, 401);
      await c.put('/api/v1/topics/dns/progress', { status: 'learning' });
      const q = await queue(c);
      const choice = q.cards.find((card) => card.type === 'choice')!;
      const basic = q.cards.find((card) => card.type === 'basic')!;

      const expectProblem = async (
        res: Awaited<ReturnType<Client['post']>>,
        status: number,
        code?: string,
      ) => {
        assert.equal(res.statusCode, status, res.body);
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        if (code) assert.equal(json(res).code, code);
      };
      await expectProblem(await rate(c, choice.key, 5), 400);
      await expectProblem(await rate(c, choice.key, 0), 400);
      await expectProblem(await c.post(`/api/v1/review/cards/${choice.key}/rating`, { rating: '3' }), 400);
      await expectProblem(await rate(c, choice.key, 3, choice.choices!.length), 400);
      await expectProblem(await rate(c, basic.key, 3, 0), 400);
      await expectProblem(await rate(c, 'dns/no-such-card', 3), 404, 'not_found');
      await expectProblem(await rate(c, 'no-such-topic/card', 3), 404, 'not_found');
      await expectProblem(await rate(c, 'Bad%20Topic/card', 3), 400);
      await expectProblem(await rate(c, `${cardsOf('graphql')[0]}`, 3), 409, 'card_not_in_queue');
      await expectProblem(await c.get('/api/v1/review/queue?limit=abc'), 400);
      await expectProblem(await c.get('/api/v1/review/queue?limit=0'), 400);
      await expectProblem(await c.get('/api/v1/review/queue?limit=101'), 400);
      assert.equal((await queue(c, 2)).cards.length, 2);

      const right = json<Rated>(await rate(c, choice.key, 3, choice.correctChoice!));
      assert.equal(right.correct, true);
      await expectProblem(await rate(c, choice.key, 3), 409, 'card_not_due');
      t.clock.advance(1000);
      const other = q.cards.find((card) => card.type === 'choice' && card.key !== choice.key);
      if (other)
        assert.equal(
          json<Rated>(await rate(c, other.key, 1, (other.correctChoice! + 1) % other.choices!.length))
            .correct,
          false,
        );
    });

    it('documents every review route in the OpenAPI description', async () => {
      const spec = json<{ paths: Record<string, Record<string, unknown>> }>(
        await t.app.inject('/api/v1/openapi.json'),
      );
      assert.ok(spec.paths['/api/v1/review/queue']?.get, 'queue');
      assert.ok(spec.paths['/api/v1/review/summary']?.get, 'summary');
      assert.ok(
        spec.paths['/api/v1/review/settings']?.get && spec.paths['/api/v1/review/settings']?.put,
        'settings',
      );
      assert.ok(spec.paths['/api/v1/review/cards/{topicId}/{cardId}/rating']?.post, 'rating');
      assert.ok(
        !Object.keys(spec.paths).some((path) => path.startsWith('/review')),
        'the HTML form routes stay out of the API description',
      );
    });

    it('each rating is logged as review activity (streaks count it)', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/jwt/progress', { status: 'learning' });
      const [a, b] = cardsOf('jwt');
      await rated(c, a!, 3);
      t.clock.advance(1000);
      await rated(c, b!, 2);
      const me = json<{ id: string }>(await c.get('/api/v1/me'));
      const rows = await t.db.kysely
        .selectFrom('activity')
        .selectAll()
        .where('user_id', '=', me.id)
        .where('kind', '=', 'review')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.topic_id, r.detail]),
        [
          ['jwt', a],
          ['jwt', b],
        ],
      );
    });

    it('review state round-trips through export and import; a second import changes nothing', async () => {
      const a = new Client(t.app);
      await a.signup('review-export@example.org');
      await a.put('/api/v1/topics/postgresql/progress', { status: 'done' });
      await a.put('/api/v1/review/settings', { desiredRetention: 0.85 });
      const keys = cardsOf('postgresql');
      await rated(a, keys[0]!, 3);
      t.clock.advance(MINUTE);
      await rated(a, keys[1]!, 1);
      t.clock.advance(10 * MINUTE);
      await rated(a, keys[0]!, 3);
      const exported = json<{ review: ReviewSection }>(await a.get('/api/v1/me/export'));
      assert.equal(exported.review.cards.length, 2);
      assert.equal(exported.review.logs.length, 3);
      assert.equal(exported.review.settings?.desiredRetention, 0.85);

      const b = new Client(t.app);
      await b.signup('review-import@example.org');
      const first = await b.post('/api/v1/me/import', exported);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(json<{ imported: { review: number } }>(first).imported.review, 6);
      const again = await b.post('/api/v1/me/import', exported);
      assert.equal(json<{ imported: { review: number } }>(again).imported.review, 0, 'idempotent');
      const reExported = json<{ review: ReviewSection }>(await b.get('/api/v1/me/export'));
      assert.deepEqual(reExported.review, exported.review);
      // Imported progress puts the topic in the queue, with the imported schedule.
      assert.deepEqual(
        json<Summary>(await b.get('/api/v1/review/summary')),
        json<Summary>(await a.get('/api/v1/review/summary')),
      );

      const broken = structuredClone(exported);
      broken.review.cards[0]!.key = 'no-such-topic/card';
      const bad = await b.post('/api/v1/me/import', broken);
      assert.equal(bad.statusCode, 400);
      assert.match(String(json(bad).detail), /no-such-topic/);
      const malformed = structuredClone(exported) as unknown as { review: { logs: { rating: number }[] } };
      malformed.review.logs[0]!.rating = 9;
      assert.equal((await b.post('/api/v1/me/import', malformed)).statusCode, 400);
    });

    it('a guest’s reviews merge into the account at login, the newest state of each card winning', async () => {
      const account = new Client(t.app);
      await account.signup('review-merge@example.org');
      await account.put('/api/v1/topics/containers-docker/progress', { status: 'learning' });
      const [shared, guestOnly, accountOnly] = cardsOf('containers-docker');
      await rated(account, shared!, 1);
      await rated(account, accountOnly!, 3);
      await account.post('/api/v1/auth/logout');

      t.clock.advance(5 * MINUTE);
      const guest = new Client(t.app);
      await guest.put('/api/v1/topics/containers-docker/progress', { status: 'learning' });
      const newer = await rated(guest, shared!, 4);
      t.clock.advance(1000);
      await rated(guest, guestOnly!, 3);
      const login = await guest.login('review-merge@example.org');
      assert.equal(json(login).merged, true);

      const exported = json<{ review: ReviewSection }>(await guest.get('/api/v1/me/export'));
      const byKey = new Map(exported.review.cards.map((card) => [card.key, card]));
      assert.equal(byKey.get(shared!)?.due, newer.schedule.due, 'the guest’s newer rating wins');
      assert.ok(byKey.has(guestOnly!) && byKey.has(accountOnly!), 'cards rated on either side are kept');
      assert.equal(exported.review.logs.length, 4, 'both histories are kept');
    });

    it('one user can never see or rate another user’s cards', async () => {
      const alice = new Client(t.app);
      await alice.signup('review-alice@example.org');
      await alice.put('/api/v1/topics/kubernetes/progress', { status: 'done' });
      const key = cardsOf('kubernetes')[0]!;
      const aliceRating = await rated(alice, key, 4);
      const bob = new Client(t.app);
      await bob.signup('review-bob@example.org');
      assert.deepEqual(json<Summary>(await bob.get('/api/v1/review/summary')), {
        due: 0,
        new: 0,
        newWaiting: 0,
        learning: 0,
        total: 0,
        nextDueAt: null,
      });
      assert.deepEqual((await queue(bob)).cards, []);
      const refused = await rate(bob, key, 1);
      assert.equal(refused.statusCode, 409, 'not in bob’s queue');
      const aliceNow = json<{ review: ReviewSection }>(await alice.get('/api/v1/me/export'));
      assert.equal(aliceNow.review.cards.find((card) => card.key === key)?.due, aliceRating.schedule.due);
      assert.equal(aliceNow.review.logs.length, 1);
      assert.equal(
        json<{ review: ReviewSection }>(await bob.get('/api/v1/me/export')).review.cards.length,
        0,
      );
    });
  });

  describe(`review cards and revised content (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    it('an alias moves review history to the surviving topic; cards gone from the content are kept but not shown', async () => {
      const t = await createTestApp(dialect);
      try {
        const c = new Client(t.app);
        await c.signup('review-alias@example.org');
        await c.put('/api/v1/topics/memcached/progress', { status: 'done' });
        await c.put('/api/v1/topics/redis/progress', { status: 'done' });
        const oldKey = t.content.topics.get('memcached')!.cards[0]!.key;
        const oldRating = json<Rated>(await c.post(`/api/v1/review/cards/${oldKey}/rating`, { rating: 3 }));

        const revised: Content = structuredClone(t.content);
        revised.topics.delete('memcached');
        for (const card of [...revised.cards.keys()])
          if (card.startsWith('memcached/')) revised.cards.delete(card);
        revised.aliases.set('memcached', 'redis');
        revised.topics.get('redis')!.aliases = ['memcached'];
        // Also drop one redis card, as a content writer might.
        const dropped = revised.topics.get('redis')!.cards.shift()!;
        revised.cards.delete(dropped.key);
        await t.db.kysely
          .transaction()
          .execute((trx) => applyTopicAliases(trx, revised, new Date().toISOString(), userDataSections()));
        t.app.replaceContent(revised);

        const exported = json<{ review: ReviewSection }>(await c.get('/api/v1/me/export'));
        const movedKey = oldKey.replace(/^memcached\//, 'redis/');
        assert.deepEqual(
          exported.review.cards.map((card) => [card.key, card.due]),
          [[movedKey, oldRating.schedule.due]],
        );
        assert.deepEqual(
          exported.review.logs.map((log) => log.key),
          [movedKey],
        );
        const q = json<Queue>(await c.get('/api/v1/review/queue?limit=100'));
        assert.equal(
          q.summary.total,
          revised.topics.get('redis')!.cards.length,
          'only cards the content still has',
        );
        assert.ok(
          !q.cards.some((card) => card.key === dropped.key || card.key === movedKey),
          'vanished cards are not shown',
        );
        // The old URL still reaches a card that exists (aliases resolve), and a vanished card is a 404.
        const live = revised.topics.get('redis')!.cards[0]!;
        assert.equal(
          (await c.post(`/api/v1/review/cards/memcached/${live.id}/rating`, { rating: 3 })).statusCode,
          200,
        );
        assert.equal(
          (await c.post(`/api/v1/review/cards/${dropped.key}/rating`, { rating: 3 })).statusCode,
          404,
        );
      } finally {
        await t.close();
      }
    });
  });
}
