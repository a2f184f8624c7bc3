import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, ORIGIN, type TestApp } from '../helpers.js';
import { admin, appoint, createCohort, invite, person, setStatus, type Person } from './fixture.js';

// The cohort pages without JavaScript: the consent screen joins by a plain form (Post/Redirect/Get),
// the mentor's table sorts by links and filters by a GET form, learner text is escaped, the
// drill-down shows statuses, and leaving is a form too.

const form = (t: TestApp, who: Person, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: {
      origin: ORIGIN,
      host: new URL(ORIGIN).host,
      cookie: `waymark_session=${who.client.cookie}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams(fields).toString(),
  });

for (const dialect of (await dialects()).filter((d) => d.name === 'sqlite')) {
  describe(`cohort pages (${dialect.name})`, () => {
    let t: TestApp;
    let boss: Person;
    let mentor: Person;
    let learner: Person;
    let cohortId: string;
    let token: string;

    before(async () => {
      t = await createTestApp(dialect, { now: '2026-03-02T09:00:00Z' });
      boss = await admin(t, 'boss@pages.test');
      mentor = await person(t, 'mentor@pages.test');
      learner = await person(t, 'learner@pages.test');
      cohortId = await createCohort(boss, { name: 'Pages cohort' });
      await appoint(boss, cohortId, mentor);
      token = await invite(boss, cohortId);
    });
    after(async () => t?.close());

    it('shows the consent screen and joins through the form', async () => {
      const page = await learner.client.get(`/join/${token}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /What the cohort’s mentors will see/);
      assert.match(page.body, /your notes — unless you share/);
      const refused = await form(t, learner, `/join/${token}`, { displayName: 'Lee' });
      assert.equal(refused.statusCode, 303);
      assert.equal(refused.headers.location, `/join/${token}`);
      const joined = await form(t, learner, `/join/${token}`, { displayName: '<b>Lee</b>', consent: '1' });
      assert.equal(joined.statusCode, 303);
      assert.equal(joined.headers.location, '/cohorts');
      const list = await learner.client.get('/cohorts');
      assert.match(list.body, /Pages cohort/);
      assert.match(list.body, /&lt;b>Lee&lt;\/b>/);
    });

    it('renders the mentor’s table with sort links and filters, escaped, and the drill-down', async () => {
      const topic = t.content.roadmaps.get('backend')!.topicIds[0]!;
      await setStatus(learner, topic, 'done');
      await t.app.cohortSummaries.idle();
      const page = await mentor.client.get(`/cohorts/${cohortId}?sort=progress&order=desc`);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /aria-sort="descending"/);
      assert.match(page.body, /&lt;b>Lee&lt;\/b>/);
      assert.ok(!page.body.includes('<b>Lee</b>'));
      const filtered = await mentor.client.get(`/cohorts/${cohortId}?f=inactive`);
      assert.match(filtered.body, /0 learners shown/);
      assert.equal((await learner.client.get(`/cohorts/${cohortId}`)).statusCode, 404);
      const detail = await mentor.client.get(`/cohorts/${cohortId}/learners/${learner.id}`);
      assert.equal(detail.statusCode, 200);
      assert.match(detail.body, /<strong>done<\/strong>/);
    });

    it('shares a note from the topic page and reflections from /cohorts, by plain forms', async () => {
      const topic = t.content.roadmaps.get('backend')!.topicIds[0]!;
      await setStatus(learner, topic, 'done', 'NOTE-FOR-MENTOR');
      const topicPage = await learner.client.get(`/roadmaps/backend/topics/${topic}`);
      assert.match(topicPage.body, /Your note on this topic is private/);
      const detail = () => mentor.client.get(`/cohorts/${cohortId}/learners/${learner.id}`);
      assert.ok(!(await detail()).body.includes('NOTE-FOR-MENTOR'));
      const shared = await form(t, learner, '/cohorts/note-sharing', {
        topicId: topic,
        shared: '1',
        return: `/roadmaps/backend/topics/${topic}#note-sharing`,
      });
      assert.equal(shared.statusCode, 303);
      assert.equal(shared.headers.location, `/roadmaps/backend/topics/${topic}#note-sharing`);
      assert.ok((await detail()).body.includes('NOTE-FOR-MENTOR'));
      const reflections = await form(t, learner, `/cohorts/${cohortId}/reflections`, { share: '1' });
      assert.equal(reflections.statusCode, 303);
      assert.match((await learner.client.get('/cohorts')).body, /Stop sharing my weekly reflections/);
    });

    it('leaves through the form, and the mentor’s drill-down is gone at once', async () => {
      const left = await form(t, learner, `/cohorts/${cohortId}/leave`, {});
      assert.equal(left.statusCode, 303);
      assert.equal((await mentor.client.get(`/cohorts/${cohortId}/learners/${learner.id}`)).statusCode, 404);
    });
  });
}
