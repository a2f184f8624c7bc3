import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { FormBrowser } from '../web/web-helpers.js';
import { seedRun } from '../profiles/seed.js';
import { cohort, person, removeMember, type Person } from './cohort-seed.js';

// Feedback comments through the API and pages, once per SQL dialect: a mentor comments on a
// learner's topic or run, the learner sees it on the topic, on /feedback and as a count on the home
// page, and replies; other learners, mentors of other cohorts and removed mentors get 404; Markdown
// is rendered without raw HTML or script links; comments leave with the export and the account.

interface Comment {
  id: string;
  body: string;
  html: string;
  author: { role: string; name: string };
  mine: boolean;
  read: boolean;
  topicId: string | null;
  runId: string | null;
}

const XSS = '<script>alert(1)</script> **well done** [x](javascript:alert(1)) <img src=x onerror=alert(2)>';

for (const dialect of await dialects()) {
  describe(`feedback comments (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    let ana: Person;
    let ben: Person;
    let mia: Person;
    let other: Person;
    let cohortA: string;
    let cohortB: string;
    let thread: string;
    before(async () => {
      t = await createTestApp(dialect, { now: '2026-03-02T09:00:00Z' });
      ana = await person(t, 'ana@example.com');
      ben = await person(t, 'ben@example.com');
      mia = await person(t, 'mia@example.com');
      other = await person(t, 'other@example.com');
      cohortA = await cohort(t, 'Spring', [
        { id: ana.id, role: 'learner', name: 'Ana' },
        { id: ben.id, role: 'learner', name: 'Ben' },
        { id: mia.id, role: 'mentor', name: 'Mia (mentor)' },
      ]);
      cohortB = await cohort(t, 'Autumn', [{ id: other.id, role: 'mentor', name: 'Otto' }]);
      thread = `/api/v1/cohorts/${cohortA}/learners/${ana.id}/feedback`;
    });
    after(async () => t?.close());

    it('a mentor comments on a topic; the learner sees it rendered safely, with an unread count', async () => {
      await ana.client.put('/api/v1/topics/dns/note', { note: 'my private note: secret-7731' });
      const created = await mia.client.post(thread, { roadmapId: 'backend', topicId: 'dns', body: XSS });
      assert.equal(created.statusCode, 201, created.body);
      const comment = json<Comment>(created);
      assert.equal(comment.author.name, 'You');
      assert.ok(!comment.html.includes('<script>'));
      assert.ok(!comment.html.includes('<img'));
      assert.doesNotMatch(comment.html, /href="javascript/i);
      assert.match(comment.html, /<strong>well done<\/strong>/);

      const mine = json<{ unread: number; comments: Comment[] }>(await ana.client.get('/api/v1/me/feedback'));
      assert.equal(mine.unread, 1);
      assert.equal(mine.comments[0]?.author.name, 'Mia (mentor)');
      assert.equal(mine.comments[0]?.read, false);
      assert.ok(!JSON.stringify(mine).includes('mia@example.com'), 'no email');

      const browser = new FormBrowser(t.app);
      browser.cookies.set('waymark_session', ana.client.cookie!);
      const home = await browser.get('/');
      assert.match(home.body, /<strong>1<\/strong> new comment from your mentors/);
      const topic = await browser.get('/roadmaps/backend/topics/dns');
      assert.equal(topic.statusCode, 200);
      assert.match(topic.body, /From your mentors/);
      assert.match(topic.body, /<strong>well done<\/strong>/);
      assert.ok(!topic.body.includes('<script>alert(1)</script>'));
      assert.ok(!topic.body.includes('onerror=alert(2)>'));
      assert.ok(topic.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      const inbox = await browser.get('/feedback');
      assert.match(inbox.body, /DNS/);
    });

    it('the learner replies (marking the thread read); the mentor sees the thread but never a private note', async () => {
      t.clock.advance(60_000);
      const replied = await ana.client.post('/api/v1/me/feedback', {
        topicId: 'dns',
        body: 'Thanks, **noted**.',
      });
      assert.equal(replied.statusCode, 201, replied.body);
      assert.equal(json<Comment>(replied).author.role, 'learner');
      assert.equal(json<{ unread: number }>(await ana.client.get('/api/v1/me/feedback')).unread, 0);

      const seen = json<{ comments: Comment[] }>(await mia.client.get(`${thread}?topicId=dns`));
      assert.deepEqual(
        seen.comments.map((c) => c.author.name),
        ['You', 'Ana'],
      );
      const browser = new FormBrowser(t.app);
      browser.cookies.set('waymark_session', mia.client.cookie!);
      const page = await browser.get(`/cohorts/${cohortA}/learners/${ana.id}/feedback`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<strong>noted<\/strong>/);
      assert.ok(!page.body.includes('secret-7731'), 'the private note is not shown');
      assert.ok(!JSON.stringify(seen).includes('secret-7731'));
    });

    it('another learner, a mentor of another cohort and a stranger get 404; a removed mentor too', async () => {
      for (const who of [ben, other]) {
        assert.equal((await who.client.get(thread)).statusCode, 404);
        const post = await who.client.post(thread, { topicId: 'dns', body: 'hi' });
        assert.equal(post.statusCode, 404);
        const page = await who.client.get(`/cohorts/${cohortA}/learners/${ana.id}/feedback`);
        assert.equal(page.statusCode, 404);
      }
      assert.equal(
        (await other.client.get(`/api/v1/cohorts/${cohortB}/learners/${ana.id}/feedback`)).statusCode,
        404,
      );
      const benOwn = json<{ comments: Comment[] }>(await ben.client.get('/api/v1/me/feedback'));
      assert.equal(benOwn.comments.length, 0, "Ben never sees Ana's comments");
      assert.equal((await new FormBrowser(t.app).get('/feedback')).statusCode === 200, false);

      const mentor2 = await person(t, 'mentor2@example.com');
      const cohortC = await cohort(t, 'Summer', [
        { id: ana.id, role: 'learner', name: 'Ana' },
        { id: mentor2.id, role: 'mentor', name: 'Max' },
      ]);
      // Max mentors Ana in another cohort: he sees only his cohort's thread, not Mia's comments.
      const max = json<{ comments: Comment[] }>(
        await mentor2.client.get(`/api/v1/cohorts/${cohortC}/learners/${ana.id}/feedback`),
      );
      assert.equal(max.comments.length, 0);
      assert.equal((await mentor2.client.get(thread)).statusCode, 404);

      await removeMember(t, cohortA, mia.id);
      assert.equal((await mia.client.get(thread)).statusCode, 404);
      assert.equal((await mia.client.post(thread, { topicId: 'dns', body: 'late' })).statusCode, 404);
      // The learner keeps what was said; the former mentor is named as such.
      const kept = json<{ comments: Comment[] }>(await ana.client.get('/api/v1/me/feedback?topicId=dns'));
      assert.equal(kept.comments[0]?.author.name, 'A former mentor');
      await t.db.write(
        (trx) =>
          trx
            .insertInto('cohort_members')
            .values({
              cohort_id: cohortA,
              user_id: mia.id,
              role: 'mentor',
              display_name: 'Mia (mentor)',
              share_reflections: 0,
              consented_at: null,
              joined_at: '2026-02-01T00:00:00.000Z',
            })
            .execute(),
        { userId: mia.id, scope: 'data' },
      );
    });

    it("comments on a project run: only the learner's own runs; validation is problem+json", async () => {
      const run = await seedRun(t, ana.id, { state: 'failed' });
      const benRun = await seedRun(t, ben.id, { state: 'failed' });
      const ok = await mia.client.post(thread, { runId: run, body: 'Check the 404 handler.' });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(json<Comment>(ok).runId, run);
      assert.equal((await mia.client.post(thread, { runId: benRun, body: 'x' })).statusCode, 404);
      const both = await mia.client.post(thread, { runId: run, topicId: 'dns', body: 'x' });
      assert.equal(both.statusCode, 400);
      assert.match(String(both.headers['content-type']), /problem\+json/);
      assert.equal((await mia.client.post(thread, { topicId: 'dns', body: '   ' })).statusCode, 400);
      assert.equal((await mia.client.post(thread, { topicId: 'no-such-topic', body: 'x' })).statusCode, 404);
      const runThread = json<{ comments: Comment[] }>(
        await ana.client.get(`/api/v1/me/feedback?runId=${run}`),
      );
      assert.equal(runThread.comments.length, 1);
      const read = await ana.client.post('/api/v1/me/feedback/read', { runId: run });
      assert.equal(json<{ unread: number }>(read).unread, 0);
    });

    it('works without JavaScript: the mentor form, the reply form and "mark as read"', async () => {
      t.clock.advance(60_000);
      const mentor = new FormBrowser(t.app);
      mentor.cookies.set('waymark_session', mia.client.cookie!);
      const page = `/cohorts/${cohortA}/learners/${ana.id}/feedback`;
      const sent = await mentor.post(page, { topicRef: 'backend/http-basics', body: 'Form *comment*' });
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, page);
      const empty = await mentor.post(page, { topicRef: 'backend/http-basics', body: '' });
      assert.equal(empty.statusCode, 303, 'a mistake comes back as a message');
      assert.match((await mentor.get(page)).body, /Write a comment of 1 to/);

      const learner = new FormBrowser(t.app);
      learner.cookies.set('waymark_session', ana.client.cookie!);
      const topic = '/roadmaps/backend/topics/http-basics';
      assert.match((await learner.get(topic)).body, /<em>comment<\/em>/);
      const read = await learner.post('/feedback/read', {
        topicId: 'http-basics',
        return: `${topic}#feedback`,
      });
      assert.equal(read.statusCode, 303);
      assert.equal(json<{ unread: number }>(await ana.client.get('/api/v1/me/feedback')).unread, 0);
      const reply = await learner.post('/feedback/reply', {
        roadmapId: 'backend',
        topicId: 'http-basics',
        body: 'Form reply',
        return: `${topic}#feedback`,
      });
      assert.equal(reply.statusCode, 303);
      assert.match((await mentor.get(page)).body, /Form reply/);
    });

    it('leaves with the export, comes back idempotently, and goes with the account', async () => {
      const exported = json<{ feedback: { comments: { id: string; byLearner: boolean }[] } }>(
        await ana.client.get('/api/v1/me/export'),
      );
      assert.ok(exported.feedback.comments.length >= 3);
      assert.ok(exported.feedback.comments.some((c) => c.byLearner));
      const again = await ana.client.post('/api/v1/me/import', exported);
      assert.equal(again.statusCode, 200, again.body);
      const after = json<{ comments: Comment[] }>(await ana.client.get('/api/v1/me/feedback'));
      assert.equal(after.comments.length, exported.feedback.comments.length, 'importing twice adds nothing');

      assert.equal(
        (await ana.client.delete('/api/v1/me', { password: 'correct horse battery' })).statusCode,
        204,
      );
      const left = await t.db.kysely
        .selectFrom('feedback_comments')
        .select('id')
        .where('learner_id', '=', ana.id)
        .execute();
      assert.equal(left.length, 0);
    });
  });
}
