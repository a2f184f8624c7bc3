import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { admin, appoint, createCohort, invite, join, person, setStatus, type Person } from './fixture.js';

// Cohorts through the API, once per SQL dialect: an admin makes a cohort and an invite, learners join
// with consent (their plans start from the cohort's defaults), the mentor's table shows, sorts,
// filters and exports them, and leaving ends the mentor's access at once.

interface Row {
  learnerId: string;
  displayName: string;
  email?: string | null;
  summarized: boolean;
  progress: { done: number; total: number; percent: number; steps: { stepId: string; done: number }[] };
  plan: { status: string; behindHours: number; forecastFinish: string | null };
  lastActiveDay: string | null;
  currentStreak: number;
  stuck: { topicId: string } | null;
  inactive: boolean;
}
interface Table {
  total: number;
  learners: Row[];
}

for (const dialect of await dialects()) {
  describe(`cohorts API (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    let boss: Person;
    let mentor: Person;
    let ada: Person;
    let bo: Person;
    let cohortId: string;
    let topics: string[];
    const table = async (query = '') => {
      await t.app.cohortSummaries.idle();
      const res = await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Table>(res);
    };

    before(async () => {
      t = await createTestApp(dialect, { now: '2026-03-02T09:00:00Z' });
      topics = t.content.roadmaps.get('backend')!.topicIds.slice(0, 6);
      boss = await admin(t, 'boss@school.test');
      mentor = await person(t, 'mentor@school.test');
      ada = await person(t, 'ada@school.test');
      bo = await person(t, 'bo@elsewhere.test');
    });
    after(async () => t?.close());

    it('lets only an instance admin create a cohort', async () => {
      const refused = await ada.client.post('/api/v1/cohorts', {
        name: 'Mine',
        roadmapIds: ['backend'],
        startDate: '2026-03-02',
        targetWeeks: 20,
        hoursPerWeek: 12,
      });
      assert.equal(refused.statusCode, 404);
      const unknown = await boss.client.post('/api/v1/cohorts', {
        name: 'X',
        roadmapIds: ['no-such-roadmap'],
        startDate: '2026-03-02',
        targetWeeks: 20,
        hoursPerWeek: 12,
      });
      assert.equal(unknown.statusCode, 422);
      cohortId = await createCohort(boss);
      const listed = json<{ cohorts: { id: string; yourRole: string }[] }>(
        await boss.client.get('/api/v1/cohorts'),
      );
      assert.deepEqual(
        listed.cohorts.map((c) => [c.id, c.yourRole]),
        [[cohortId, 'admin']],
      );
      assert.deepEqual(json<{ cohorts: unknown[] }>(await ada.client.get('/api/v1/cohorts')).cohorts, []);
    });

    it('shows the consent screen’s facts for an invite and joins with consent, starting the plan from the cohort defaults', async () => {
      const token = await invite(boss, cohortId);
      const consent = await ada.client.get(`/api/v1/cohort-invites/${token}`);
      assert.equal(consent.statusCode, 200, consent.body);
      const facts = json<{ mentorsSee: string[]; mentorsNeverSee: string[] }>(consent);
      assert.ok(facts.mentorsSee.some((s) => s.includes('plan status')));
      assert.ok(facts.mentorsNeverSee.some((s) => s.includes('notes')));
      assert.ok(facts.mentorsNeverSee.some((s) => s.includes('email')));
      const noConsent = await ada.client.post(`/api/v1/cohort-invites/${token}/join`, {
        displayName: 'Ada',
        consent: false,
      });
      assert.equal(noConsent.statusCode, 400);
      const joined = await join(ada, token, 'Ada L.');
      assert.equal(joined.statusCode, 201, joined.body);
      assert.equal((await join(ada, token, 'Ada again')).statusCode, 409);
      const plan = json<{ settings: { startDate: string; targetWeeks: number; hoursPerWeek: number } }>(
        await ada.client.get('/api/v1/roadmaps/backend/plan'),
      );
      assert.deepEqual(
        [plan.settings.startDate, plan.settings.targetWeeks, plan.settings.hoursPerWeek],
        ['2026-03-02', 20, 12],
      );
      const mine = json<{ memberships: { cohortId: string; role: string }[] }>(
        await ada.client.get('/api/v1/me/cohorts'),
      );
      assert.deepEqual(
        mine.memberships.map((m) => [m.cohortId, m.role]),
        [[cohortId, 'learner']],
      );
    });

    it('refuses an invite limited to another email domain, a revoked one and an expired one', async () => {
      const limited = await invite(boss, cohortId, 'school.test');
      const refused = await join(bo, limited, 'Bo');
      assert.equal(refused.statusCode, 403);
      assert.equal(json<{ code: string }>(refused).code, 'email_domain_mismatch');
      const made = json<{ token: string; invite: { id: string } }>(
        await boss.client.post(`/api/v1/cohorts/${cohortId}/invites`, { expiresInDays: 3 }),
      );
      assert.equal(
        (await boss.client.delete(`/api/v1/cohorts/${cohortId}/invites/${made.invite.id}`)).statusCode,
        204,
      );
      assert.equal((await join(bo, made.token, 'Bo')).statusCode, 404);
      const invites = json<{ invites: { id: string; revoked: boolean }[] }>(
        await boss.client.get(`/api/v1/cohorts/${cohortId}/invites`),
      ).invites;
      assert.equal(invites.find((i) => i.id === made.invite.id)?.revoked, true);
      const expiring = await invite(boss, cohortId);
      t.clock.advance(8 * 86_400_000);
      assert.equal((await bo.client.get(`/api/v1/cohort-invites/${expiring}`)).statusCode, 404);
      t.clock.set('2026-03-02T09:00:00Z');
      assert.equal((await join(bo, await invite(boss, cohortId), '=HYPERLINK("x")')).statusCode, 201);
    });

    it('gives an appointed mentor the table, which follows the learners’ progress', async () => {
      assert.equal((await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners`)).statusCode, 404);
      await appoint(boss, cohortId, mentor);
      await setStatus(ada, topics[0]!, 'done');
      await setStatus(ada, topics[1]!, 'done');
      await setStatus(ada, topics[2]!, 'learning');
      const rows = (await table('?sort=progress&order=desc')).learners;
      assert.deepEqual(
        rows.map((r) => r.displayName),
        ['Ada L.', '=HYPERLINK("x")'],
      );
      const adaRow = rows[0]!;
      assert.equal(adaRow.summarized, true);
      assert.equal(adaRow.progress.done, 2);
      assert.ok(adaRow.progress.total > 100);
      assert.equal(adaRow.lastActiveDay, '2026-03-02');
      assert.equal(adaRow.currentStreak, 1);
      assert.ok(['on-track', 'ahead', 'behind'].includes(adaRow.plan.status));
      assert.equal(adaRow.email, undefined, 'no email: the cohort does not require it');
      assert.ok(adaRow.progress.steps.some((s) => s.done > 0));
    });

    it('filters behind, inactive for 7+ days and stuck learners', async () => {
      t.clock.set('2026-03-20T09:00:00Z');
      await setStatus(bo, topics[3]!, 'done');
      const inactive = await table('?filter=inactive');
      assert.deepEqual(
        inactive.learners.map((r) => r.displayName),
        ['Ada L.'],
      );
      const stuck = await table('?filter=stuck');
      assert.deepEqual(
        stuck.learners.map((r) => [r.displayName, r.stuck?.topicId]),
        [['Ada L.', topics[2]]],
      );
      const behind = await table('?filter=behind');
      assert.ok(behind.learners.every((r) => r.plan.status === 'behind'));
      assert.ok(
        behind.learners.some((r) => r.displayName === 'Ada L.'),
        'Ada has done nothing for 18 days',
      );
      const both = await table('?filter=inactive,stuck&sort=name');
      assert.equal(both.total, 1);
      t.clock.set('2026-03-02T09:00:00Z');
    });

    it('pages the sorted table with the count of every match, also on a page past the end', async () => {
      const all = await table('?sort=name&order=desc');
      assert.equal(all.total, 2);
      const names = all.learners.map((r) => r.displayName);
      assert.deepEqual(names, [...names].sort().reverse());
      const first = await table('?sort=name&order=desc&limit=1');
      const second = await table('?sort=name&order=desc&limit=1&offset=1');
      assert.deepEqual(
        [first.total, second.total, [...first.learners, ...second.learners].map((r) => r.displayName)],
        [2, 2, names],
      );
      const past = await table('?sort=streak&limit=5&offset=10');
      assert.deepEqual([past.total, past.learners.length], [2, 0]);
      const none = await table('?filter=stuck&offset=1');
      assert.deepEqual([none.total, none.learners.length], [0, 0]);
    });

    it('exports the table as CSV with formula-leading cells escaped', async () => {
      const res = await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners.csv?sort=name`);
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /text\/csv/);
      const lines = res.body.trim().split('\r\n');
      assert.equal(lines.length, 3);
      assert.ok(lines[0]!.startsWith('learner,email,progress_percent'));
      assert.ok(
        lines.some((l) => l.startsWith(`"'=HYPERLINK(""x"")"`)),
        res.body,
      );
    });

    it('shows the drill-down with shared notes and reflections only', async () => {
      await setStatus(ada, topics[0]!, 'done', 'private thoughts');
      await setStatus(ada, topics[1]!, 'done', 'please look at this');
      const shared = await ada.client.put(`/api/v1/topics/${topics[1]}/note/sharing`, { shared: true });
      assert.equal(shared.statusCode, 200, shared.body);
      const res = await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners/${ada.id}`);
      assert.equal(res.statusCode, 200, res.body);
      const detail = json<{
        roadmaps: {
          topics: { topicId: string; status: string; note: string | null }[];
          plan: { saved: boolean };
        }[];
        sharesReflections: boolean;
      }>(res);
      const byId = new Map(detail.roadmaps[0]!.topics.map((x) => [x.topicId, x]));
      assert.equal(byId.get(topics[0]!)!.status, 'done');
      assert.equal(byId.get(topics[0]!)!.note, null);
      assert.equal(byId.get(topics[1]!)!.note, 'please look at this');
      assert.equal(detail.roadmaps[0]!.plan.saved, true);
      assert.equal(detail.sharesReflections, false);
    });

    it('ends the mentor’s access the moment a learner leaves, and a removed mentor’s at once', async () => {
      assert.equal((await ada.client.delete(`/api/v1/cohorts/${cohortId}/membership`)).statusCode, 204);
      assert.equal(
        (await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners/${ada.id}`)).statusCode,
        404,
      );
      assert.deepEqual(
        (await table()).learners.map((r) => r.displayName),
        ['=HYPERLINK("x")'],
      );
      assert.equal(
        (await boss.client.delete(`/api/v1/cohorts/${cohortId}/members/${mentor.id}`)).statusCode,
        204,
      );
      assert.equal((await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners`)).statusCode, 404);
      assert.equal(
        (await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners/${bo.id}`)).statusCode,
        404,
      );
    });

    it('exports memberships and shared notes, and deleting the account removes them', async () => {
      const exported = json<{
        cohorts: { memberships: { cohortId: string; role: string }[]; sharedNotes: unknown[] };
      }>(await bo.client.get('/api/v1/me/export'));
      assert.deepEqual(
        exported.cohorts.memberships.map((m) => [m.cohortId, m.role]),
        [[cohortId, 'learner']],
      );
      const deleted = await bo.client.delete('/api/v1/me', { password: 'correct horse battery' });
      assert.equal(deleted.statusCode, 204, deleted.body);
      const cohort = json<{ learnerCount: number }>(await boss.client.get(`/api/v1/cohorts/${cohortId}`));
      assert.equal(cohort.learnerCount, 0);
    });

    it('documents every cohort route in the OpenAPI document', async () => {
      const doc = json<{ paths: Record<string, Record<string, { operationId?: string }>> }>(
        await t.app.inject('/api/v1/openapi.json'),
      );
      const cohortPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/cohort'));
      assert.ok(cohortPaths.length >= 9, cohortPaths.join(' '));
      for (const path of cohortPaths)
        for (const op of Object.values(doc.paths[path]!))
          assert.ok(op.operationId, `${path} has an operationId`);
    });
  });
}
