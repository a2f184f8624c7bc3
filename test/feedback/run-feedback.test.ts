import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, type TestApp } from '../helpers.js';
import { FormBrowser, textOf } from '../web/web-helpers.js';
import { seedRun } from '../profiles/seed.js';
import { cohort, person, type Person } from './cohort-seed.js';

// Feedback on a project run, in the pages (no JavaScript needed): the mentor comments from the run's
// entry in the learner drill-down; the learner reads it in that run's panel on the project page,
// marks it read and replies from there; the mentor reads the reply. A learner outside any cohort sees
// no such section; another learner's run panel never shows it.

for (const dialect of await dialects()) {
  describe(
    `feedback on a project run, in the pages (${dialect.name})`,
    { skip: dialect.skip ?? false },
    () => {
      let t: TestApp;
      let ana: Person;
      let mia: Person;
      let cohortId: string;
      let run: string;
      const as = (p: Person) => {
        const browser = new FormBrowser(t.app);
        browser.cookies.set('waymark_session', p.client.cookie!);
        return browser;
      };

      before(async () => {
        t = await createTestApp(dialect, { now: '2026-03-02T09:00:00Z' });
        ana = await person(t, 'ana@example.com');
        mia = await person(t, 'mia@example.com');
        cohortId = await cohort(t, 'Spring', [
          { id: ana.id, role: 'learner', name: 'Ana' },
          { id: mia.id, role: 'mentor', name: 'Mia' },
        ]);
        run = await seedRun(t, ana.id, { projectId: 'auth-service', state: 'failed' });
      });
      after(async () => t?.close());

      it('the mentor comments from the drill-down; the learner reads it in the run panel and replies there', async () => {
        const mentor = as(mia);
        const drillDown = await mentor.get(`/cohorts/${cohortId}/learners/${ana.id}`);
        assert.equal(drillDown.statusCode, 200);
        const feedbackPage = `/cohorts/${cohortId}/learners/${ana.id}/feedback`;
        assert.ok(drillDown.body.includes(`action="${feedbackPage}"`), 'a comment form per run');
        assert.ok(drillDown.body.includes(`name="runId" value="${run}"`));
        const sent = await mentor.post(feedbackPage, {
          runId: run,
          body: 'Your **404 handler** is missing.',
        });
        assert.equal(sent.statusCode, 303);

        const learner = as(ana);
        const panelPage = `/projects/auth-service?run=${run}`;
        const page = await learner.get(panelPage);
        assert.equal(page.statusCode, 200);
        const panel = page.body.slice(page.body.indexOf('id="run-panel"'));
        assert.match(panel, /id="run-feedback"/, 'the section is inside the run panel');
        assert.match(panel, /<strong>404 handler<\/strong>/, 'Markdown rendered');
        assert.match(textOf(panel), /Mia \(mentor\)/);
        assert.match(textOf(panel), /new/);

        const read = await learner.post('/feedback/read', {
          runId: run,
          return: `${panelPage}#run-feedback`,
        });
        assert.equal(read.statusCode, 303);
        assert.equal(read.headers.location, `${panelPage}#run-feedback`);
        assert.doesNotMatch(textOf((await learner.get(panelPage)).body), /Mark as read/);

        t.clock.advance(60_000);
        const reply = await learner.post('/feedback/reply', {
          runId: run,
          body: 'Added it, running again.',
          return: `${panelPage}#run-feedback`,
        });
        assert.equal(reply.statusCode, 303);
        assert.match(textOf((await learner.get(panelPage)).body), /Added it, running again\./);
        const thread = textOf((await mentor.get(feedbackPage)).body);
        assert.match(thread, /Project run: [\s\S]*404 handler[\s\S]*Added it, running again\./);
      });

      it('shows no mentors section to a learner outside any cohort, nor anyone else the comments', async () => {
        const solo = await person(t, 'solo@example.com');
        const soloRun = await seedRun(t, solo.id, { projectId: 'auth-service', state: 'failed' });
        const page = await as(solo).get(`/projects/auth-service?run=${soloRun}`);
        assert.equal(page.statusCode, 200);
        assert.doesNotMatch(page.body, /id="run-feedback"/);
        // Ana's run id in someone else's address shows their own latest run, never Ana's comments.
        const other = await as(solo).get(`/projects/auth-service?run=${run}`);
        assert.doesNotMatch(other.body, /404 handler/);
      });
    },
  );
}
