import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DAY_MS } from '../../src/lib/clock.js';
import type { Content } from '../../src/content/content.types.js';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { userDataSections } from '../../src/features.js';

// The plan API end to end through app.inject, once per SQL dialect. The clock starts on Monday
// 2 March 2026 and the tests move it to simulate a learner falling behind. (Sessions expire after 30
// idle days, so the clock never jumps further than that between two requests of the same client.)

interface Week {
  index: number;
  start: string;
  end: string;
  hours: number;
  off: boolean;
  current: boolean;
  items: { topicId: string; title: string; hours: number; part: number; parts: number; status: string }[];
  scorecard: {
    finished: boolean;
    goalsPlanned: number;
    goalsDone: number;
    hoursPlanned: number;
    hoursDone: number;
  } | null;
  checkin: { note: string } | null;
}

interface Plan {
  saved: boolean;
  version: number | null;
  reason: string | null;
  today: string;
  fromWeek: number;
  settings: Record<string, unknown> & {
    hoursPerWeek: number;
    targetWeeks: number;
    timeZone: string;
    startDate: string;
  };
  feasibility: {
    status: string;
    hoursNeeded: number;
    hoursAvailable: number;
    weeksNeeded: number | null;
    hoursPerWeekNeeded: number | null;
    targetFinish: string;
    plannedFinish: string | null;
    message: string;
  };
  status: {
    state: string;
    hoursAhead: number;
    plannedHoursToDate: number;
    completedHours: number;
    remainingHours: number;
    currentWeek: number;
    forecast: {
      atActualPace: string | null;
      atPlannedPace: string | null;
      plannedFinish: string | null;
      targetFinish: string;
    };
    message: string;
  };
  replan: {
    extend: { possible: boolean; finish: string | null; targetWeeks: number };
    keepFinish: { possible: boolean; hoursPerWeek: number | null; finish: string };
  } | null;
  weeks: Week[];
  feed: { active: boolean; createdAt: string | null; lastUsedAt: string | null };
  versionCount: number;
}

const PLAN = '/api/v1/roadmaps/backend/plan';
const START = '2026-03-02T08:00:00Z';

/** Hours of the topics whose last part falls before week `index` (what "due by now" means). */
function dueBefore(plan: Plan, index: number): number {
  const last = new Map<string, number>();
  const hours = new Map<string, number>();
  for (const week of plan.weeks) {
    for (const item of week.items) {
      last.set(item.topicId, week.index);
      hours.set(item.topicId, (hours.get(item.topicId) ?? 0) + item.hours);
    }
  }
  return [...last].filter(([, w]) => w < index).reduce((sum, [id]) => sum + hours.get(id)!, 0);
}

for (const dialect of await dialects()) {
  describe(`plan API (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    /** The roadmap's default study hours (the plan's default setting). */
    const hours = (): number => t.content.roadmaps.get('backend')!.hoursPerWeek;
    before(async () => {
      t = await createTestApp(dialect, { now: START });
    });
    after(async () => t?.close());

    it('shows a visitor a preview from the default settings: the roadmap’s hours a week for its 26 weeks, with a verdict in numbers', async () => {
      const res = await t.app.inject(PLAN);
      assert.equal(res.statusCode, 200);
      const plan = json<Plan>(res);
      assert.equal(plan.saved, false);
      assert.equal(plan.version, null);
      assert.equal(plan.settings.hoursPerWeek, hours());
      assert.equal(plan.settings.targetWeeks, t.content.roadmaps.get('backend')!.weeks);
      assert.deepEqual(plan.settings.studyDays, ['mon', 'tue', 'wed', 'thu', 'fri']);
      assert.equal(plan.settings.startDate, '2026-03-02');
      assert.ok(plan.weeks.length > 10);
      assert.ok(plan.weeks.every((w) => w.hours <= hours()));
      assert.equal(plan.feasibility.hoursNeeded, t.content.roadmaps.get('backend')!.requiredHours);
      assert.ok(['fits', 'over-target'].includes(plan.feasibility.status));
      assert.ok(plan.feasibility.message.includes(String(plan.feasibility.weeksNeeded)));
      const first = plan.weeks[0]!;
      assert.ok(first.items.length > 0 && first.items[0]!.title.length > 0);
      assert.equal((await t.app.inject('/api/v1/roadmaps/cooking/plan')).statusCode, 404);
    });

    it('saves settings (a guest is created on the first save), keeps one version per real change, and refuses bad input with pointers', async () => {
      const c = new Client(t.app);
      const created = await c.put(PLAN, { hoursPerWeek: 12, timeZone: 'europe/berlin', studyTime: '18:30' });
      assert.equal(created.statusCode, 200, created.body);
      assert.ok(c.cookie, 'a guest session was created');
      const plan = json<Plan>(created);
      assert.deepEqual([plan.saved, plan.version, plan.reason], [true, 1, 'created']);
      assert.equal(plan.settings.timeZone, 'Europe/Berlin', 'the zone is stored under its canonical name');
      assert.equal(
        json<{ timeZone: string }>(await c.get('/api/v1/me')).timeZone,
        'Europe/Berlin',
        'and becomes the account’s zone',
      );

      assert.equal(
        json<Plan>(await c.put(PLAN, { hoursPerWeek: 12 })).version,
        1,
        'the same settings make no new version',
      );
      const changed = json<Plan>(await c.put(PLAN, { hoursPerWeek: 15, weeksOff: ['2026-04-08'] }));
      assert.deepEqual([changed.version, changed.reason], [2, 'settings']);
      assert.deepEqual(
        changed.settings.weeksOff,
        ['2026-04-06'],
        'any day of a week off is stored as its Monday',
      );
      assert.ok(changed.weeks.find((w) => w.start === '2026-04-06')?.off);

      const bad: [Record<string, unknown>, string][] = [
        [{ hoursPerWeek: 0 }, '/body/hoursPerWeek'],
        [{ hoursPerWeek: 61 }, '/body/hoursPerWeek'],
        [{ hoursPerWeek: '10' }, '/body/hoursPerWeek'],
        [{ targetWeeks: 157 }, '/body/targetWeeks'],
        [{ studyDays: [] }, '/body/studyDays'],
        [{ studyDays: ['monday'] }, '/body/studyDays/0'],
        [{ studyTime: '25:00' }, '/body/studyTime'],
        [{ timeZone: 'Mars/Olympus_Mons' }, '/body/timeZone'],
        [{ startDate: '2026-02-30' }, '/body/startDate'],
        [{ excludeTopics: ['no-such-topic'] }, '/body/excludeTopics/0'],
        [{ surprise: true }, '/body/surprise'],
      ];
      for (const [body, pointer] of bad) {
        const res = await c.put(PLAN, body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        const problem = json<{ errors: { pointer: string }[]; detail: string }>(res);
        assert.ok(
          problem.errors.some((e) => e.pointer === pointer),
          `${JSON.stringify(body)} → ${JSON.stringify(problem.errors)}`,
        );
      }
      assert.equal(json<Plan>(await c.get(PLAN)).version, 2, 'nothing was changed by the bad requests');
    });

    it('previews settings without saving them, and survives a burst of simultaneous saves', async () => {
      const c = new Client(t.app);
      await c.put(PLAN, { hoursPerWeek: 10 });
      const preview = await c.post(`${PLAN}/preview`, { hoursPerWeek: 20 });
      assert.equal(preview.statusCode, 200);
      assert.equal(json<Plan>(preview).settings.hoursPerWeek, 20);
      assert.equal(json<Plan>(preview).saved, false);
      assert.equal(json<Plan>(await c.get(PLAN)).settings.hoursPerWeek, 10, 'nothing was saved');
      // A double-clicked Save (or two tabs) must not turn into a 500: every write gets its own version.
      const responses = await Promise.all(
        [11, 12, 13, 14, 15].map((hoursPerWeek) => c.put(PLAN, { hoursPerWeek })),
      );
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        [200, 200, 200, 200, 200],
      );
      const versions = json<{ versions: { version: number }[] }>(
        await c.get(`${PLAN}/versions`),
      ).versions.map((v) => v.version);
      assert.deepEqual(versions, [6, 5, 4, 3, 2, 1]);
    });

    it('refuses settings that cannot make a plan with 422 and the numbers, and keeps the plan as it was', async () => {
      const c = new Client(t.app);
      await c.put(PLAN, { hoursPerWeek: 10 });
      const res = await c.put(PLAN, { hoursPerWeek: 1 });
      assert.equal(res.statusCode, 422);
      const problem = json<{ code: string; detail: string; errors: { pointer: string; message: string }[] }>(
        res,
      );
      assert.equal(problem.code, 'plan_infeasible');
      assert.match(problem.detail, /At 1 h\/week, the [\d.]+ hours left would take more than 156 weeks/);
      assert.match(problem.detail, /room for [\d.]+ hours/);
      assert.equal(problem.errors[0]!.pointer, '/body/hoursPerWeek');
      assert.match(problem.errors[0]!.message, /at least \d+ h\/week/);
      assert.equal(json<Plan>(await c.get(PLAN)).settings.hoursPerWeek, 10);
      // A plan that only ends after the target is a real plan, labelled as such.
      const late = json<Plan>(await c.put(PLAN, { hoursPerWeek: 5 }));
      assert.equal(late.feasibility.status, 'over-target');
      assert.ok(late.feasibility.weeksNeeded! > late.settings.targetWeeks);
      assert.ok(late.weeks.every((w) => w.hours <= 5));
      assert.match(
        late.feasibility.message,
        new RegExp(`study ${late.feasibility.hoursPerWeekNeeded} h/week`),
      );
    });

    it('notices a learner falling behind, forecasts both finishes, and re-plans in one click either way', async () => {
      t.clock.set(START);
      const c = new Client(t.app);
      // A target with no slack: exactly the weeks the default hours need.
      const weeksNeeded = json<Plan>(await t.app.inject(PLAN)).feasibility.weeksNeeded!;
      const v1 = json<Plan>(
        await c.put(PLAN, { hoursPerWeek: hours(), targetWeeks: weeksNeeded, timeZone: 'Europe/Berlin' }),
      );
      assert.equal(v1.feasibility.status, 'fits');
      assert.equal(v1.status.state, 'on-track');
      // Two topics of the first week done on time, then three weeks of nothing.
      const firstWeek = v1.weeks[0]!.items.filter((i) => i.parts === 1).slice(0, 2);
      t.clock.set('2026-03-04T18:00:00Z');
      for (const item of firstWeek)
        await c.put(`/api/v1/topics/${item.topicId}/progress`, { status: 'done' });
      t.clock.set('2026-03-25T09:00:00Z'); // Wednesday of week 4 (index 3)
      const behind = json<Plan>(await c.get(PLAN));
      const done = firstWeek.reduce((sum, i) => sum + i.hours, 0);
      assert.equal(behind.status.currentWeek, 3);
      assert.equal(behind.status.state, 'behind');
      assert.equal(behind.status.plannedHoursToDate, dueBefore(v1, 3));
      assert.equal(behind.status.hoursAhead, done - dueBefore(v1, 3));
      assert.match(
        behind.status.message,
        new RegExp(`Behind by ${Math.abs(behind.status.hoursAhead)} hours`),
      );
      assert.equal(
        behind.status.forecast.atActualPace !== null,
        true,
        'two topics in the last weeks give a pace',
      );
      assert.ok(
        behind.status.forecast.atActualPace! > behind.status.forecast.targetFinish,
        'at that pace the target is missed',
      );
      assert.ok(
        behind.status.forecast.atPlannedPace! > v1.feasibility.plannedFinish!,
        're-planning at the same hours finishes later',
      );
      assert.ok(behind.replan!.keepFinish.hoursPerWeek! > hours());

      const keep = await c.post(`${PLAN}/replan`, { mode: 'keep-finish' });
      assert.equal(keep.statusCode, 200, keep.body);
      const kept = json<Plan>(keep);
      assert.deepEqual([kept.version, kept.reason, kept.fromWeek], [2, 'replan-keep-finish', 3]);
      assert.equal(kept.settings.hoursPerWeek, behind.replan!.keepFinish.hoursPerWeek);
      assert.equal(kept.feasibility.targetFinish, v1.feasibility.targetFinish);
      assert.equal(kept.feasibility.status, 'fits');
      assert.equal(kept.status.state, 'on-track');
      assert.deepEqual(
        kept.weeks.slice(0, 3),
        v1.weeks.slice(0, 3).map((w) => ({
          ...w,
          current: false,
          items: w.items.map((i) => ({
            ...i,
            status: kept.weeks[w.index]!.items.find((k) => k.topicId === i.topicId && k.part === i.part)!
              .status,
          })),
          scorecard: kept.weeks[w.index]!.scorecard,
          checkin: null,
        })),
        'the weeks behind stay as they were',
      );
      assert.ok(
        !kept.weeks.slice(3).some((w) => w.items.some((i) => firstWeek.some((f) => f.topicId === i.topicId))),
        'done topics are not re-scheduled',
      );

      t.clock.advance(14 * DAY_MS);
      const later = json<Plan>(await c.get(PLAN));
      assert.equal(later.status.state, 'behind');
      const extend = json<Plan>(await c.post(`${PLAN}/replan`, { mode: 'extend' }));
      assert.deepEqual([extend.version, extend.reason], [3, 'replan-extend']);
      assert.equal(extend.settings.hoursPerWeek, kept.settings.hoursPerWeek, 'same hours');
      assert.ok(extend.feasibility.plannedFinish! > kept.feasibility.plannedFinish!, 'a later finish');
      assert.equal(
        extend.settings.targetWeeks,
        extend.feasibility.weeksNeeded,
        'the target moves to the new finish',
      );
      assert.equal(extend.status.state, 'on-track');

      const versions = json<{
        versions: {
          version: number;
          reason: string;
          current: boolean;
          hoursPerWeek: number;
          feasibility: { plannedFinish: string };
        }[];
      }>(await c.get(`${PLAN}/versions`));
      assert.deepEqual(
        versions.versions.map((v) => [v.version, v.reason, v.current]),
        [
          [3, 'replan-extend', true],
          [2, 'replan-keep-finish', false],
          [1, 'created', false],
        ],
      );
      const first = json<{ version: number; weeks: Week[]; settings: { hoursPerWeek: number } }>(
        await c.get(`${PLAN}/versions/1`),
      );
      assert.equal(first.settings.hoursPerWeek, hours());
      assert.deepEqual(
        first.weeks.map((w) => w.items.map((i) => i.topicId)),
        v1.weeks.map((w) => w.items.map((i) => i.topicId)),
      );
      assert.equal((await c.get(`${PLAN}/versions/9`)).statusCode, 404);
      assert.equal((await c.get(`${PLAN}/versions/0`)).statusCode, 400);
    });

    it('says "ahead" when later goals are finished early', async () => {
      t.clock.set(START);
      const c = new Client(t.app);
      const plan = json<Plan>(await c.put(PLAN, { hoursPerWeek: hours() }));
      const later = plan.weeks[5]!.items.find((i) => i.parts === 1)!;
      await c.put(`/api/v1/topics/${later.topicId}/progress`, { status: 'done' });
      const now = json<Plan>(await c.get(PLAN));
      assert.equal(now.status.state, later.hours >= 1 ? 'ahead' : 'on-track');
      assert.equal(now.status.hoursAhead, later.hours);
    });

    it('keeps weekly check-ins: a scorecard for each week that has begun and a reflection note', async () => {
      t.clock.set(START);
      const c = new Client(t.app);
      const plan = json<Plan>(await c.put(PLAN, { hoursPerWeek: 10, timeZone: 'Europe/Berlin' }));
      const goal = plan.weeks[0]!.items[0]!;
      t.clock.set('2026-03-07T20:00:00Z');
      await c.put(`/api/v1/topics/${goal.topicId}/progress`, { status: 'done' });
      t.clock.set('2026-03-08T21:00:00Z'); // Sunday 22:00 in Berlin
      const saved = await c.put(`${PLAN}/weeks/0/checkin`, { note: '  Good week; DNS clicked.  ' });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(json(saved).note, 'Good week; DNS clicked.');
      t.clock.set('2026-03-09T09:00:00Z');
      const card = json<{
        finished: boolean;
        scorecard: Week['scorecard'];
        goals: { topicId: string; done: boolean }[];
        note: string;
      }>(await c.get(`${PLAN}/weeks/0/checkin`));
      assert.equal(card.finished, true);
      assert.deepEqual(card.scorecard, {
        finished: true,
        goalsPlanned: plan.weeks[0]!.items.length,
        goalsDone: 1,
        hoursPlanned: plan.weeks[0]!.hours,
        hoursDone: goal.hours,
      });
      assert.deepEqual(
        card.goals.filter((g) => g.done).map((g) => g.topicId),
        [goal.topicId],
      );
      const week0 = json<Plan>(await c.get(PLAN)).weeks[0]!;
      assert.equal(week0.checkin?.note, 'Good week; DNS clicked.');
      assert.equal(week0.scorecard?.goalsDone, 1);
      assert.equal((await c.put(`${PLAN}/weeks/5/checkin`, { note: 'too early' })).statusCode, 409);
      assert.equal(
        json(await c.put(`${PLAN}/weeks/5/checkin`, { note: 'too early' })).code,
        'week_not_started',
      );
      assert.equal((await c.put(`${PLAN}/weeks/0/checkin`, { note: 'x'.repeat(2001) })).statusCode, 400);
      assert.equal((await c.put(`${PLAN}/weeks/first/checkin`, { note: 'x' })).statusCode, 400);
      assert.equal((await new Client(t.app).get(`${PLAN}/weeks/0/checkin`)).statusCode, 401);
    });

    it('serves a private, revocable calendar feed whose token is stored only as a hash', async () => {
      t.clock.set(START);
      const c = new Client(t.app);
      await c.put(PLAN, { hoursPerWeek: 10 });
      const created = await c.post(`${PLAN}/feed`);
      assert.equal(created.statusCode, 201);
      const { url } = json<{ url: string }>(created);
      assert.match(url, /^http:\/\/localhost:3000\/calendar\/wmcal_[A-Za-z0-9_-]{43}\.ics$/);
      const path = new URL(url).pathname;
      const token = path.slice('/calendar/'.length, -'.ics'.length);
      const feed = await t.app.inject(path); // no cookie: calendar apps have none
      assert.equal(feed.statusCode, 200);
      assert.match(String(feed.headers['content-type']), /^text\/calendar/);
      assert.match(feed.body, /^BEGIN:VCALENDAR/);
      const rows = await t.db.kysely.selectFrom('plan_feeds').selectAll().execute();
      assert.ok(rows.some((r) => r.token_hash === createHash('sha256').update(token).digest('hex')));
      assert.ok(!JSON.stringify(rows).includes(token), 'the token itself is never stored');
      assert.equal(json<Plan>(await c.get(PLAN)).feed.active, true);
      assert.ok(json<Plan>(await c.get(PLAN)).feed.lastUsedAt, 'the last fetch is recorded');

      const rotated = json<{ url: string }>(await c.post(`${PLAN}/feed`)).url;
      assert.notEqual(rotated, url);
      assert.equal((await t.app.inject(path)).statusCode, 404, 'the old URL stops working at once');
      assert.equal((await t.app.inject(new URL(rotated).pathname)).statusCode, 200);
      assert.equal((await c.delete(`${PLAN}/feed`)).statusCode, 204);
      assert.equal((await t.app.inject(new URL(rotated).pathname)).statusCode, 404);
      assert.equal((await c.delete(`${PLAN}/feed`)).statusCode, 404);
      assert.equal((await t.app.inject('/calendar/nonsense.ics')).statusCode, 404);
      assert.equal((await t.app.inject(`/calendar/wmcal_${'A'.repeat(43)}.ics`)).statusCode, 404);
      assert.equal((await new Client(t.app).post(`${PLAN}/feed`)).statusCode, 401);
      assert.equal((await new Client(t.app).get(`${PLAN}.ics`)).statusCode, 401);
      const planless = new Client(t.app);
      await planless.put('/api/v1/topics/dns/progress', { status: 'done' });
      assert.equal((await planless.get(`${PLAN}.ics`)).statusCode, 404);
      assert.equal((await planless.post(`${PLAN}/feed`)).statusCode, 404);
      // Cross-site pages cannot create a feed with the visitor's cookie, and nothing is saved.
      const feeds = () => t.db.kysely.selectFrom('plan_feeds').selectAll().orderBy('token_hash').execute();
      const feedsBefore = await feeds();
      assert.equal(
        (
          await new Client(t.app, 'https://evil.example').request(
            'POST',
            `${PLAN}/feed`,
            {},
            { cookie: `waymark_session=${c.cookie}` },
          )
        ).statusCode,
        403,
      );
      assert.deepEqual(await feeds(), feedsBefore, 'no calendar feed was created');
    });

    it('builds the dashboard in the learner’s zone: progress per step, streaks, heatmap, burn-up and next up', async () => {
      t.clock.set(START);
      const c = new Client(t.app);
      assert.equal((await c.get('/api/v1/dashboard')).statusCode, 401);
      const plan = json<Plan>(await c.put(PLAN, { hoursPerWeek: 10, timeZone: 'Europe/Berlin' }));
      const goals = plan.weeks[0]!.items;
      // Three evenings in a row at 23:30 Berlin time (22:30 UTC): three local days, whatever UTC says.
      for (let day = 0; day < 3; day += 1) {
        t.clock.set(new Date(Date.parse('2026-03-02T22:30:00Z') + day * DAY_MS));
        await c.put(`/api/v1/topics/${goals[day]!.topicId}/progress`, { status: 'done' });
      }
      t.clock.set('2026-03-05T10:00:00Z');
      const d = json<{
        timeZone: string;
        today: string;
        progress: { done: number; steps: { stepId: string; done: number }[] };
        streaks: { current: number; longest: number; activeToday: boolean };
        heatmap: { weeks: { days: { date: string; count: number }[] }[]; activeDays: number };
        plan: { status: { state: string } } | null;
        burnup: {
          hours: { total: number; points: { actual: number | null }[] };
          topics: { total: number };
        } | null;
        nextUp: { topicId: string; reason: string }[];
      }>(await c.get('/api/v1/dashboard?roadmapId=backend'));
      assert.equal(d.timeZone, 'Europe/Berlin');
      assert.equal(d.today, '2026-03-05');
      assert.equal(d.progress.done, 3);
      assert.equal(d.progress.steps.find((s) => s.stepId === 'foundations')!.done, 3);
      assert.deepEqual(d.streaks, {
        current: 3,
        longest: 3,
        activeToday: false,
        lastActive: '2026-03-04',
      } as typeof d.streaks);
      assert.equal(d.heatmap.weeks.length, 26);
      assert.deepEqual(
        d.heatmap.weeks
          .flatMap((w) => w.days)
          .filter((x) => x.count > 0)
          .map((x) => x.date),
        ['2026-03-02', '2026-03-03', '2026-03-04'],
      );
      assert.ok(d.plan && d.burnup);
      assert.equal(
        d.burnup!.topics.total,
        plan.weeks.flatMap((w) => w.items).filter((i) => i.part === 1).length + 0,
      );
      assert.equal(d.nextUp[0]!.topicId, goals[3]!.topicId);
      assert.equal(d.nextUp[0]!.reason, 'this-week');
      assert.equal((await c.get('/api/v1/dashboard?roadmapId=cooking')).statusCode, 404);
      assert.equal((await c.get('/api/v1/dashboard?roadmapId=Bad%20Id')).statusCode, 400);
      assert.equal(
        (await c.get('/api/v1/dashboard?roadmap=backend')).statusCode,
        400,
        'unknown query parameters are refused',
      );
    });

    it('keeps one learner’s plan away from another', async () => {
      const alice = new Client(t.app);
      await alice.signup('plan-alice@example.org');
      await alice.put(PLAN, { hoursPerWeek: 20 });
      await alice.put(`${PLAN}/weeks/0/checkin`, { note: 'alice private reflection' });
      const bob = new Client(t.app);
      await bob.signup('plan-bob@example.org');
      const bobs = json<Plan>(await bob.get(PLAN));
      assert.equal(bobs.saved, false);
      assert.equal(bobs.settings.hoursPerWeek, hours());
      assert.equal((await bob.get(`${PLAN}/versions`)).statusCode, 404);
      assert.ok(!JSON.stringify(json(await bob.get('/api/v1/me/export'))).includes('alice private'));
    });

    it('exports settings, versions and check-ins (never the feed token), imports them idempotently, and merges a guest’s plan at login', async () => {
      t.clock.set(START);
      const owner = new Client(t.app);
      await owner.signup('plan-export@example.org');
      await owner.put(PLAN, { hoursPerWeek: 10, timeZone: 'America/New_York' });
      await owner.put(PLAN, { hoursPerWeek: 12 });
      await owner.put(`${PLAN}/weeks/0/checkin`, { note: 'first week' });
      await owner.post(`${PLAN}/feed`);
      const exported = json<
        Record<string, unknown> & {
          plan: {
            plans: {
              roadmapId: string;
              versions: unknown[];
              checkins: unknown[];
              settings: { hoursPerWeek: number };
            }[];
          };
        }
      >(await owner.get('/api/v1/me/export'));
      assert.equal(exported.plan.plans.length, 1);
      assert.equal(exported.plan.plans[0]!.versions.length, 2);
      assert.equal(exported.plan.plans[0]!.settings.hoursPerWeek, 12);
      assert.equal(exported.plan.plans[0]!.checkins.length, 1);
      assert.ok(!JSON.stringify(exported.plan).includes('wmcal_'));
      const hashes = (await t.db.kysely.selectFrom('plan_feeds').select('token_hash').execute()).map(
        (r) => r.token_hash,
      );
      assert.ok(
        hashes.length > 0 && hashes.every((hash) => !JSON.stringify(exported).includes(hash)),
        'nor its hash',
      );

      const other = new Client(t.app);
      await other.signup('plan-import@example.org');
      const first = await other.post('/api/v1/me/import', exported);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(json<{ imported: Record<string, number> }>(first).imported.plan, 3);
      const second = json<{ imported: Record<string, number> }>(
        await other.post('/api/v1/me/import', exported),
      );
      assert.equal(second.imported.plan, 0, 'importing the same file twice changes nothing');
      const imported = json<Plan>(await other.get(PLAN));
      assert.deepEqual(
        [imported.saved, imported.version, imported.settings.hoursPerWeek, imported.settings.timeZone],
        [true, 2, 12, 'America/New_York'],
      );
      assert.equal(imported.weeks[0]!.checkin?.note, 'first week');
      assert.equal(json<{ timeZone: string }>(await other.get('/api/v1/me')).timeZone, 'America/New_York');
      assert.equal(imported.feed.active, false, 'the feed is not carried over');

      const broken = structuredClone(exported);
      (broken.plan.plans[0]!.versions[0] as { weeks: Week[] }).weeks[0]!.items[0]!.topicId = 'no-such-topic';
      const rejected = await other.post('/api/v1/me/import', broken);
      assert.equal(rejected.statusCode, 400);
      assert.match(json<{ detail: string }>(rejected).detail, /no-such-topic/);

      // A guest makes a newer plan on another device, then logs in: the guest's plan becomes current.
      t.clock.advance(DAY_MS);
      const guest = new Client(t.app);
      await guest.put(PLAN, { hoursPerWeek: 8, timeZone: 'Asia/Tokyo' });
      const login = await guest.login('plan-export@example.org');
      assert.equal(login.statusCode, 200, login.body);
      const merged = json<Plan>(await guest.get(PLAN));
      assert.deepEqual(
        [merged.version, merged.settings.hoursPerWeek, merged.settings.timeZone],
        [3, 8, 'Asia/Tokyo'],
      );
      const history = json<{ versions: { version: number; hoursPerWeek: number }[] }>(
        await guest.get(`${PLAN}/versions`),
      );
      assert.deepEqual(
        history.versions.map((v) => [v.version, v.hoursPerWeek]),
        [
          [3, 8],
          [2, 12],
          [1, 10],
        ],
      );
      assert.equal(merged.weeks[0]!.checkin?.note, 'first week');
      assert.equal(merged.feed.active, true, 'the account keeps its feed');
    });

    it('documents every plan route in the OpenAPI file', async () => {
      const doc = json<{
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, unknown> };
      }>(await t.app.inject('/api/v1/openapi.json'));
      for (const [path, methods] of [
        ['/api/v1/roadmaps/{roadmapId}/plan', ['get', 'put']],
        ['/api/v1/roadmaps/{roadmapId}/plan/preview', ['post']],
        ['/api/v1/roadmaps/{roadmapId}/plan/replan', ['post']],
        ['/api/v1/roadmaps/{roadmapId}/plan/versions', ['get']],
        ['/api/v1/roadmaps/{roadmapId}/plan/versions/{version}', ['get']],
        ['/api/v1/roadmaps/{roadmapId}/plan/weeks/{weekIndex}/checkin', ['get', 'put']],
        ['/api/v1/roadmaps/{roadmapId}/plan.ics', ['get']],
        ['/api/v1/roadmaps/{roadmapId}/plan/feed', ['post', 'delete']],
        ['/calendar/{file}', ['get']],
        ['/api/v1/dashboard', ['get']],
      ] as const) {
        for (const method of methods)
          assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
      }
      for (const schema of ['Plan', 'PlanSettings', 'PlanFeasibility', 'Dashboard'])
        assert.ok(doc.components.schemas[schema], `${schema} schema`);
      assert.ok(!doc.paths['/roadmaps/{roadmapId}/plan'], 'HTML pages are not part of the API description');
    });
  });

  describe(`plans survive revised roadmaps (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    it('re-keys plan versions and topic choices when a topic id becomes an alias', async () => {
      const t = await createTestApp(dialect, { now: START });
      try {
        const c = new Client(t.app);
        await c.put(PLAN, { hoursPerWeek: 60, includeTopics: ['memcached'], targetWeeks: 52 });
        const before = json<Plan>(await c.get(PLAN));
        assert.ok(before.weeks.some((w) => w.items.some((i) => i.topicId === 'memcached')));
        const revised: Content = structuredClone(t.content);
        revised.topics.delete('memcached');
        revised.aliases.set('memcached', 'redis');
        for (const roadmap of revised.roadmaps.values()) {
          roadmap.topicIds = roadmap.topicIds.filter((id) => id !== 'memcached');
          for (const step of roadmap.steps) {
            step.topicIds = step.topicIds.filter((id) => id !== 'memcached');
            for (const group of step.groups)
              group.topicIds = group.topicIds.filter((id) => id !== 'memcached');
          }
        }
        const { applyTopicAliases } = await import('../../src/progress/progress.service.js');
        await t.db.kysely
          .transaction()
          .execute((trx) => applyTopicAliases(trx, revised, new Date().toISOString(), userDataSections()));
        t.app.replaceContent(revised);
        const after = json<Plan>(await c.get(PLAN));
        assert.ok(!after.weeks.some((w) => w.items.some((i) => i.topicId === 'memcached')));
        assert.ok(after.weeks.some((w) => w.items.some((i) => i.topicId === 'redis')));
        assert.deepEqual(after.settings.includeTopics, ['redis']);
      } finally {
        await t.close();
      }
    });
  });
}
