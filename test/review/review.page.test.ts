import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, ORIGIN, type TestApp } from '../helpers.js';
import type { Content } from '../../src/content/content.types.js';

const HTML = { accept: 'text/html' };

/** Posts an HTML form (urlencoded) the way a browser without JavaScript does. */
function submitForm(
  t: TestApp,
  c: Client,
  url: string,
  fields: Record<string, string>,
  origin: string | null = ORIGIN,
) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: {
      host: new URL(ORIGIN).host,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin ? { origin } : {}),
      ...(c.cookie ? { cookie: `waymark_session=${c.cookie}` } : {}),
    },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** The value of a hidden input in the form that posts to `action`. */
function hiddenField(html: string, action: string, name: string): string | undefined {
  const form = html.match(new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`))?.[1] ?? '';
  return form.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`))?.[1];
}

for (const dialect of await dialects()) {
  describe(`review page (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('a first-time visitor learns where cards come from, with no settings to change yet', async () => {
      const res = await t.app.inject({ url: '/review', headers: HTML });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, /Nothing to review yet/);
      assert.match(res.body, /href="\/roadmaps"/);
      assert.doesNotMatch(res.body, /action="\/review\/settings"/);
      assert.match(
        res.body,
        /<a href="\/review" aria-current="page">Review<\/a>/,
        'the nav links the page and marks it current',
      );
    });

    it('works without JavaScript: question, reveal by link, pick a choice, rate by form, next card', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/dns/progress', { status: 'learning' });
      const cards = t.content.topics.get('dns')!.cards;
      const first = cards[0]!;
      assert.equal(first.type, 'choice', 'the dns topic starts with a multiple-choice card');

      const question = await c.get('/review', HTML);
      assert.equal(question.statusCode, 200);
      assert.match(question.body, /<strong>6<\/strong> due/);
      assert.match(question.body, /<strong>0<\/strong> done this session/);
      assert.equal(hiddenField(question.body, '/review', 'reveal'), first.key);
      assert.ok(
        question.body.includes('name="choice" value="0"'),
        'each choice is a submit button of a GET form',
      );
      assert.ok(!question.body.includes('action="/review/rate"'), 'no rating before the answer is shown');

      const wrong = (first.correct! + 1) % first.choices!.length;
      const revealed = await c.get(`/review?reveal=${encodeURIComponent(first.key)}&choice=${wrong}`, HTML);
      assert.equal(revealed.statusCode, 200);
      assert.match(revealed.body, /Not quite: the answer is [A-F]\./);
      assert.match(revealed.body, /Correct answer/);
      assert.equal(hiddenField(revealed.body, '/review/rate', 'card'), first.key);
      assert.equal(hiddenField(revealed.body, '/review/rate', 'choice'), String(wrong));
      for (const label of ['Again', 'Hard', 'Good', 'Easy'])
        assert.match(revealed.body, new RegExp(`<span class="rating-label">${label}</span>`));
      assert.match(revealed.body, /in 1 min/);

      const rated = await submitForm(t, c, '/review/rate', {
        card: first.key,
        rating: '1',
        choice: String(wrong),
        done: '0',
      });
      assert.equal(rated.statusCode, 303, rated.body);
      assert.equal(rated.headers.location, '/review?done=1&rated=1');
      const log = await t.db.kysely
        .selectFrom('review_logs')
        .selectAll()
        .where('card_key', '=', first.key)
        .execute();
      assert.deepEqual(
        log.map((l) => [l.rating, l.answered_choice, l.answered_correct]),
        [[1, wrong, 0]],
      );

      const next = await c.get('/review?done=1&rated=1', HTML);
      assert.match(next.body, /<strong>1<\/strong> done this session/);
      assert.match(next.body, /Rated Again\./);
      assert.equal(
        hiddenField(next.body, '/review', 'reveal'),
        cards[1]!.key,
        'the next card, the rated one is due again in a minute',
      );
      assert.equal(
        hiddenField(next.body, '/review', 'done'),
        '1',
        'the session count travels with the forms',
      );

      // Sending the same form twice (back button, double click) rates nothing and shows the next card.
      const again = await submitForm(t, c, '/review/rate', { card: first.key, rating: '1', done: '1' });
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, '/review?done=1');
      assert.match(
        decodeURIComponent(String(again.headers['set-cookie'])),
        /already rated/,
        'a flash message says why',
      );
      assert.equal(
        (await t.db.kysely.selectFrom('review_logs').selectAll().where('card_key', '=', first.key).execute())
          .length,
        1,
      );

      const basic = cards.find((card) => card.type === 'basic')!;
      const shown = await c.get(`/review?reveal=${encodeURIComponent(basic.key)}&done=1`, HTML);
      assert.ok(shown.body.includes('<h3 id="review-answer-title">Answer</h3>'));
      assert.equal(hiddenField(shown.body, '/review/rate', 'choice'), undefined);
    });

    it('rejects bad and cross-site form posts without rating anything', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/kafka/progress', { status: 'learning' });
      const key = t.content.topics.get('kafka')!.cards[0]!.key;
      const badRating = await submitForm(t, c, '/review/rate', { card: key, rating: '7' });
      assert.equal(badRating.statusCode, 400);
      assert.match(badRating.headers['content-type'] as string, /text\/html/, 'a browser gets an error page');
      assert.match(badRating.body, /Pick a rating from 1 \(Again\) to 4 \(Easy\)/);
      assert.equal(
        (await submitForm(t, c, '/review/rate', { card: 'not a key', rating: '3' })).statusCode,
        400,
      );
      assert.equal(
        (await submitForm(t, c, '/review/rate', { card: key, rating: '3' }, 'https://evil.example'))
          .statusCode,
        403,
      );
      assert.equal(
        (await submitForm(t, c, '/review/rate', { card: key, rating: '3' }, null)).statusCode,
        403,
      );
      assert.equal(
        (await submitForm(t, new Client(t.app), '/review/rate', { card: key, rating: '3' })).statusCode,
        401,
      );
      const me = json<{ id: string }>(await c.get('/api/v1/me'));
      assert.equal(
        (await t.db.kysely.selectFrom('review_logs').selectAll().where('user_id', '=', me.id).execute())
          .length,
        0,
      );
      // A page URL with junk in it still renders (the junk is ignored).
      const junk = await c.get('/review?reveal=%3Cscript%3E&choice=x&done=-1', HTML);
      assert.equal(junk.statusCode, 200);
      assert.ok(!junk.body.includes('<script>'), 'query values are never echoed raw');
    });

    it('the desired-retention form saves a valid value and explains a wrong one next to the field', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/nats/progress', { status: 'learning' });
      const saved = await submitForm(t, c, '/review/settings', { retention: '85' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/review');
      assert.equal(json(await c.get('/api/v1/review/settings')).desiredRetention, 0.85);
      assert.match((await c.get('/review', HTML)).body, /value="85"/);

      for (const retention of ['50', '100', 'ninety', '']) {
        const refused = await submitForm(t, c, '/review/settings', { retention });
        assert.equal(refused.statusCode, 400, retention);
        assert.match(refused.body, /id="review-retention-error"[^>]*>Enter a number from 70 to 99/);
        assert.match(refused.body, /aria-invalid="true"/);
      }
      assert.equal(json(await c.get('/api/v1/review/settings')).desiredRetention, 0.85, 'nothing changed');
    });

    it('when everything is reviewed the page says when the next card is due; the home page shows due counts', async () => {
      const c = new Client(t.app);
      const anonymousHome = await t.app.inject({ url: '/', headers: HTML });
      assert.ok(!anonymousHome.body.includes('review-widget'), 'no box for a first-time visitor');
      await c.put('/api/v1/topics/jwt/progress', { status: 'done' });
      const keys = t.content.topics.get('jwt')!.cards.map((card) => card.key);
      const home = await c.get('/', HTML);
      assert.match(
        home.body,
        new RegExp(`<strong>${keys.length}</strong> cards are due\\s*\\(${keys.length} new\\)`),
      );
      assert.match(home.body, /href="\/review"/);
      for (const key of keys) {
        t.clock.advance(1000);
        assert.equal((await submitForm(t, c, '/review/rate', { card: key, rating: '4' })).statusCode, 303);
      }
      const page = await c.get(`/review?done=${keys.length}`, HTML);
      assert.match(page.body, /All caught up/);
      assert.match(page.body, new RegExp(`You reviewed ${keys.length} cards this session\\.`));
      assert.match(page.body, /The next card is due <time datetime="[^"]+Z">/);
      assert.match((await c.get('/', HTML)).body, /All caught up\. Next card <time/);
    });
  });

  describe(`review page escaping (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    it('card text is shown as text, never as markup; `backticks` become code', async () => {
      const t = await createTestApp(dialect);
      try {
        const content: Content = structuredClone(t.content);
        const card = content.topics.get('dns')!.cards[0]!;
        card.question = 'What does <script>alert("q")</script> do in `<img src=x onerror=alert(1)>`?';
        card.choices = ['<b>bold</b>', '"quoted" & <i>', 'plain', 'x'];
        card.answer = 'Nothing: <script>alert("a")</script>';
        t.app.replaceContent(content);
        const c = new Client(t.app);
        await c.put('/api/v1/topics/dns/progress', { status: 'learning' });
        const question = await c.get('/review', HTML);
        const revealed = await c.get(`/review?reveal=${encodeURIComponent(card.key)}&choice=1`, HTML);
        for (const body of [question.body, revealed.body]) {
          assert.ok(!body.includes('<script>alert'), 'no script from card text');
          assert.ok(!body.includes('<img src=x'), 'no element from card text');
          assert.ok(!body.includes('<b>bold</b>'));
          assert.ok(
            body.includes('&lt;script>alert(&quot;q&quot;)&lt;/script>') ||
              body.includes('&lt;script&gt;alert(&quot;q&quot;)&lt;/script&gt;'),
            'the question reads as typed',
          );
          assert.ok(body.includes('<code>&lt;img src=x onerror=alert(1)'), 'backticks become a code span');
        }
        assert.ok(revealed.body.includes('Nothing: &lt;script'), 'the answer is escaped too');
      } finally {
        await t.close();
      }
    });
  });
}
