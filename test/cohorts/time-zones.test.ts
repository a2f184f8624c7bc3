import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { admin, appoint, createCohort, invite, join, person, setStatus, type Person } from './fixture.js';

// The mentor's table cuts each learner's days in the learner's own time zone (their plan's): a streak
// lapses, and "inactive for 7+ days" begins, at the learner's midnight, not at UTC's. Kiri studies in
// Auckland (UTC+13 in March), Lou in Los Angeles (UTC−8, then −7 from 8 March); both are active on
// their 2 March. At every instant checked below the UTC day would give both the same answer.

interface Row {
  displayName: string;
  lastActiveDay: string | null;
  currentStreak: number;
  inactive: boolean;
}

for (const dialect of await dialects()) {
  describe(
    `cohort table in the learners' time zones (${dialect.name})`,
    { skip: dialect.skip ?? false },
    () => {
      let t: TestApp;
      let mentor: Person;
      let cohortId: string;

      /** Reads the table twice: from the stored rows, then after the day's recomputation has run. */
      const bothReads = async (query: string, check: (rows: Row[]) => void) => {
        for (let read = 0; read < 2; read++) {
          const res = await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners${query}`);
          assert.equal(res.statusCode, 200, res.body);
          check(json<{ learners: Row[] }>(res).learners);
          await t.app.cohortSummaries.idle();
        }
      };
      const byName = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.displayName, r]));

      before(async () => {
        t = await createTestApp(dialect, { now: '2026-03-02T09:00:00Z' });
        const boss = await admin(t, 'boss@tz.test');
        mentor = await person(t, 'mentor@tz.test');
        cohortId = await createCohort(boss);
        await appoint(boss, cohortId, mentor);
        const topic = t.content.roadmaps.get('backend')!.topicIds[0]!;
        for (const [email, name, timeZone] of [
          ['kiri@tz.test', 'Kiri', 'Pacific/Auckland'],
          ['lou@tz.test', 'Lou', 'America/Los_Angeles'],
        ] as const) {
          const learner = await person(t, email);
          assert.equal((await join(learner, await invite(boss, cohortId), name)).statusCode, 201);
          const saved = await learner.client.put('/api/v1/roadmaps/backend/plan', { timeZone });
          assert.equal(saved.statusCode, 200, saved.body);
          // 09:00 UTC: 22:00 on 2 March in Auckland, 01:00 on 2 March in Los Angeles.
          await setStatus(learner, topic, 'learning');
        }
        await t.app.cohortSummaries.idle();
      });
      after(async () => t?.close());

      it('records the last active day in each learner’s zone', async () => {
        await bothReads('?sort=name', (rows) => {
          const r = byName(rows);
          assert.equal(r.Kiri?.lastActiveDay, '2026-03-02');
          assert.equal(r.Lou?.lastActiveDay, '2026-03-02');
          assert.equal(r.Kiri?.currentStreak, 1);
          assert.equal(r.Lou?.currentStreak, 1);
        });
      });

      it('ends a streak at the learner’s midnight: Auckland is already on 4 March, Los Angeles still on 3 March', async () => {
        t.clock.set('2026-03-03T11:30:00Z'); // UTC 3 March: by the UTC day both streaks would be current
        await bothReads('?sort=name', (rows) => {
          const r = byName(rows);
          assert.equal(r.Kiri?.currentStreak, 0, 'Kiri: 00:30 on 4 March in Auckland, a day missed');
          assert.equal(r.Lou?.currentStreak, 1, 'Lou: 03:30 on 3 March in Los Angeles, still going');
        });
      });

      it('makes a learner inactive after 7 whole days of their own, across a DST change', async () => {
        t.clock.set('2026-03-09T11:30:00Z'); // Auckland 10 March 00:30; Los Angeles (now UTC−7) 9 March 04:30
        await bothReads('?filter=inactive&sort=name', (rows) => {
          assert.deepEqual(
            rows.map((r) => [r.displayName, r.inactive]),
            [['Kiri', true]],
          );
        });
        await bothReads('?sort=name', (rows) => assert.equal(byName(rows).Lou?.inactive, false));
        t.clock.set('2026-03-10T07:30:00Z'); // Los Angeles: 10 March 00:30, its 8th day
        await bothReads('?filter=inactive&sort=name', (rows) => {
          assert.deepEqual(
            rows.map((r) => r.displayName),
            ['Kiri', 'Lou'],
          );
        });
      });
    },
  );
}
