import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { FormBrowser } from '../web/web-helpers.js';
import { seedRun } from '../profiles/seed.js';
import { cohort, person, type Person } from './cohort-seed.js';
import { quantile, weekStarts } from '../../src/insights/insights.service.js';

// Cohort insights through the API and the page, once per SQL dialect: topics held longest in
// learning, lowest completion, most failed checks and the burn-up's median and spread against the
// cohort plan; only the cohort's mentors (and admins) see them.

interface Insights {
  learners: number;
  stuck: { topicId: string; title: string; learners: number; medianDays: number; longestDays: number }[];
  lowestCompletion: { topicId: string; finished: number; percent: number }[];
  failedChecks: {
    projectId: string;
    title: string;
    failedChecks: number;
    failedRuns: number;
    runs: number;
  }[];
  burnup: {
    requiredHours: number;
    weeks: { week: number; planned: number; actual: { median: number; min: number; max: number } | null }[];
  };
}

for (const dialect of await dialects()) {
  describe(`cohort insights (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    let a: Person;
    let b: Person;
    let c: Person;
    let mentor: Person;
    let stranger: Person;
    let cohortId: string;
    before(async () => {
      t = await createTestApp(dialect, { now: '2026-02-03T09:00:00Z' });
      a = await person(t, 'ia@example.com');
      b = await person(t, 'ib@example.com');
      c = await person(t, 'ic@example.com');
      mentor = await person(t, 'im@example.com');
      stranger = await person(t, 'is@example.com');
      cohortId = await cohort(
        t,
        'Insight cohort',
        [
          { id: a.id, role: 'learner', name: 'A' },
          { id: b.id, role: 'learner', name: 'B' },
          { id: c.id, role: 'learner', name: 'C' },
          { id: mentor.id, role: 'mentor', name: 'M' },
        ],
        { startDate: '2026-02-02', weeks: 4, hours: 5 },
      );
      await cohort(t, 'Other', [{ id: stranger.id, role: 'mentor', name: 'S' }]);
      // Week 1: A and B start DNS; A finishes the backend role topic.
      await a.client.put('/api/v1/topics/dns/progress', { status: 'learning' });
      await b.client.put('/api/v1/topics/dns/progress', { status: 'learning' });
      await a.client.put('/api/v1/topics/backend-role/progress', { status: 'done' });
      t.clock.set('2026-02-10T09:00:00Z');
      // Week 2: B finishes the backend role topic and starts HTTP.
      await b.client.put('/api/v1/topics/backend-role/progress', { status: 'done' });
      await b.client.put('/api/v1/topics/http-basics/progress', { status: 'learning' });
      await seedRun(t, a.id, { projectId: 'auth-service', state: 'failed', failed: 2 });
      await seedRun(t, b.id, { projectId: 'auth-service', state: 'failed', failed: 1 });
      await seedRun(t, b.id, { projectId: 'auth-service', state: 'passed' });
      await seedRun(t, stranger.id, { projectId: 'auth-service', state: 'failed', failed: 5 });
      t.clock.set('2026-02-12T09:00:00Z');
    });
    after(async () => t?.close());

    it('shows where the cohort gets stuck and its burn-up to the cohort mentor', async () => {
      const res = await mentor.client.get(`/api/v1/cohorts/${cohortId}/insights`);
      assert.equal(res.statusCode, 200, res.body);
      const i = json<Insights>(res);
      assert.equal(i.learners, 3);
      assert.deepEqual(i.stuck[0], {
        topicId: 'dns',
        title: i.stuck[0]?.title,
        learners: 2,
        medianDays: 9,
        longestDays: 9,
      });
      assert.equal(i.stuck[1]?.topicId, 'http-basics');
      assert.equal(i.stuck[1]?.medianDays, 2);
      const role = i.lowestCompletion.find((x) => x.topicId === 'backend-role');
      assert.equal(role, undefined, 'a topic two of three finished is not among the ten lowest');
      assert.equal(i.lowestCompletion[0]?.finished, 0);
      assert.deepEqual(i.failedChecks, [
        {
          projectId: 'auth-service',
          title: i.failedChecks[0]?.title,
          runs: 3,
          failedRuns: 2,
          failedChecks: 3,
        },
      ]);
      assert.equal(i.burnup.weeks.length, 4);
      assert.deepEqual(
        i.burnup.weeks.map((w) => w.planned),
        [5, 10, 15, 20].map((h) => Math.min(h, i.burnup.requiredHours)),
      );
      const [w1, w2, w3] = i.burnup.weeks;
      assert.ok(w1?.actual && w2?.actual);
      assert.equal(w3?.actual, null, 'weeks not reached have no actuals');
      assert.equal(w1.actual.min, 0);
      assert.equal(w1.actual.median, 0, 'one of three finished something in week 1');
      assert.ok(w1.actual.max > 0);
      assert.equal(w2.actual.median, w2.actual.max, 'two of three by week 2');
    });

    it('is 404 for learners, mentors of other cohorts and strangers; the page renders for the mentor', async () => {
      for (const who of [a, stranger]) {
        assert.equal((await who.client.get(`/api/v1/cohorts/${cohortId}/insights`)).statusCode, 404);
      }
      assert.equal(
        (await mentor.client.get(`/api/v1/cohorts/${cohortId}/insights?roadmapId=frontend`)).statusCode,
        404,
      );
      const browser = new FormBrowser(t.app);
      browser.cookies.set('waymark_session', mentor.client.cookie!);
      const page = await browser.get(`/cohorts/${cohortId}/insights`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Longest in “learning”/);
      assert.match(page.body, /Burn-up/);
    });

    it('buckets finishes by the instants the cohort weeks begin in the mentor’s time zone', () => {
      const cohortWeeks = { id: 'c', startDate: '2026-03-23', targetWeeks: 3, hoursPerWeek: 5 };
      // Berlin moves to summer time on 29 March: week 2 begins at midnight CEST.
      assert.deepEqual(weekStarts(cohortWeeks, 'Europe/Berlin'), [
        '2026-03-29T22:00:00.000Z',
        '2026-04-05T22:00:00.000Z',
      ]);
      assert.deepEqual(weekStarts({ ...cohortWeeks, targetWeeks: 1 }, 'UTC'), []);
    });

    it('computes quantiles between ranks', () => {
      assert.equal(quantile([], 0.5), 0);
      assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
      assert.equal(quantile([0, 10], 0.25), 2.5);
    });
  });
}
