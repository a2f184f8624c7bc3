// The dashboard's streaks and heatmap come from per-day rollups (src/progress/activity-days.ts).
// Whatever happens to a learner's history — days passing, a time-zone change, a back-dated import,
// a guest merged into the account — they must equal what the raw activity log says, before and
// after the maintenance job folds the closed days. Reading the dashboard never writes the rollup.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../src/lib/clock.js';
import { foldAllLearningDays } from '../../src/progress/progress.record.js';
import { activeDays, heatmap, streaks } from '../../src/plan/plan.tracking.js';
import { localDateOf } from '../../src/plan/dates.js';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

const LEARNING = ['status', 'note', 'checklist', 'review'];

interface DashboardBody {
  today: string;
  timeZone: string;
  streaks: { current: number; longest: number; activeToday: boolean; lastActive: string | null };
  heatmap: unknown;
}

async function expected(t: TestApp, userId: string, timeZone: string, today: string) {
  const rows = await t.db.kysely
    .selectFrom('activity')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('kind', 'in', LEARNING as never)
    .orderBy('created_at')
    .execute();
  const instants = rows.map((r) => r.created_at);
  return {
    streaks: streaks(activeDays(instants, timeZone), today),
    heatmap: heatmap(instants, timeZone, today),
  };
}

for (const dialect of await dialects()) {
  describe(`dashboard rollups (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    // Near the real date, so writes are not back-dated and the incremental path is exercised.
    const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 9 * 3600 * 1000);
    before(async () => {
      t = await createTestApp(dialect, { now: start.toISOString() });
    });
    after(async () => t?.close());

    const stored = async (userId: string) => ({
      rollup: await t.db.kysely
        .selectFrom('activity_rollups')
        .selectAll()
        .where('user_id', '=', userId)
        .execute(),
      days: await t.db.kysely
        .selectFrom('activity_days')
        .select(['day', 'count'])
        .where('user_id', '=', userId)
        .orderBy('day')
        .execute(),
    });

    /** The dashboard equals the raw log, and reading it (API and page) left the rollup as it was. */
    async function read(client: Client, userId: string, label: string) {
      const before = await stored(userId);
      const response = await client.get('/api/v1/dashboard?roadmapId=backend');
      assert.equal(response.statusCode, 200, response.body);
      assert.equal((await client.get('/dashboard')).statusCode, 200);
      assert.deepEqual(await stored(userId), before, `${label}: reading the dashboard wrote nothing`);
      const body = json<DashboardBody>(response);
      const want = await expected(t, userId, body.timeZone, body.today);
      assert.deepEqual(body.streaks, want.streaks, `${label}: streaks`);
      assert.deepEqual(body.heatmap, want.heatmap, `${label}: heatmap`);
      return body;
    }

    /** Right before the fold (the log counted for the rollup's missing days) and right after it. */
    async function check(client: Client, userId: string, label: string) {
      await read(client, userId, `${label}, before the fold`);
      await foldAllLearningDays(t.db, t.clock.now());
      const body = await read(client, userId, `${label}, after the fold`);
      const { rollup } = await stored(userId);
      assert.equal(
        rollup[0]?.time_zone,
        body.timeZone,
        `${label}: the fold cut the days in the learner's zone`,
      );
      return body;
    }

    it('matches the raw log as days pass, across a time-zone change, a back-dated import and a merge', async () => {
      const client = new Client(t.app);
      assert.equal((await client.signup('rollup@example.org')).statusCode, 201);
      const me = json<{ id: string }>(await client.get('/api/v1/me'));
      const topics = ['dns', 'http-basics', 'git-basics', 'sql-basics', 'terminal-basics'];
      // Ten days of learning with a gap, folding (the maintenance job) and reading in between.
      for (let day = 0; day < 10; day++) {
        if (day !== 4) {
          for (const [i, topic] of topics.entries()) {
            if (i > day % 3) continue;
            const status = day % 2 ? 'learning' : 'done';
            assert.equal((await client.put(`/api/v1/topics/${topic}/progress`, { status })).statusCode, 200);
          }
        }
        if (day % 3 === 0) await check(client, me.id, `day ${day}`);
        t.clock.advance(DAY_MS + 3 * 3600 * 1000);
      }
      const before = await check(client, me.id, 'after ten days');
      assert.ok(before.streaks.longest >= 4, 'the history has a streak worth checking');
      const rollup = await t.db.kysely
        .selectFrom('activity_days')
        .selectAll()
        .where('user_id', '=', me.id)
        .execute();
      assert.ok(rollup.length > 0, 'closed days are kept in the rollup');
      assert.equal(await foldAllLearningDays(t.db, t.clock.now()), 0, 'a second fold finds nothing to do');

      // A time zone with an odd offset re-cuts the days.
      const plan = await client.put('/api/v1/roadmaps/backend/plan', { timeZone: 'Asia/Kolkata' });
      assert.equal(plan.statusCode, 200, plan.body);
      const kolkata = await check(client, me.id, 'after moving to Asia/Kolkata');
      assert.match(kolkata.timeZone, /^Asia\/(Kolkata|Calcutta)$/);

      // Back-dated activity arrives through an import.
      const exported = json<Record<string, unknown> & { progress: { activity: unknown[] } }>(
        await client.get('/api/v1/me/export'),
      );
      const old = new Date(start.getTime() - 40 * DAY_MS);
      exported.progress.activity.push(
        ...[0, 1, 2].map((d) => ({
          topicId: 'dns',
          kind: 'status',
          fromStatus: 'pending',
          toStatus: 'learning',
          at: new Date(old.getTime() + d * DAY_MS).toISOString(),
          detail: null,
        })),
      );
      const imported = await client.post('/api/v1/me/import', exported);
      assert.equal(imported.statusCode, 200, imported.body);
      await check(client, me.id, 'after a back-dated import');

      // A guest with its own history signs in to the account: the histories merge.
      // Its history is older than the account's closed days.
      const resume = t.clock.now();
      t.clock.set(new Date(start.getTime() - 5 * DAY_MS));
      const guest = new Client(t.app);
      assert.equal(
        (await guest.put('/api/v1/topics/containers-docker/progress', { status: 'learning' })).statusCode,
        200,
      );
      t.clock.advance(DAY_MS);
      assert.equal(
        (await guest.put('/api/v1/topics/containers-docker/progress', { status: 'done' })).statusCode,
        200,
      );
      t.clock.set(resume);
      const login = await guest.login('rollup@example.org');
      assert.equal(login.statusCode, 200);
      assert.equal(json<{ merged: boolean }>(login).merged, true);
      await check(guest, me.id, 'after merging a guest');
      assert.equal(
        localDateOf(t.clock.now(), 'Asia/Kolkata'),
        json<DashboardBody>(await guest.get('/api/v1/dashboard?roadmapId=backend')).today,
      );
    });
  });
}
