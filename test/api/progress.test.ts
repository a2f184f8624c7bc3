import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';
import type { Content } from '../../src/content/content.types.js';
import { userDataSections } from '../../src/features.js';

type Summary = {
  total: number;
  done: number;
  skipped: number;
  learning: number;
  percent: number;
  steps: { stepId: string; done: number }[];
};

for (const dialect of await dialects()) {
  describe(`roadmaps, topics and progress (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('lists roadmaps and serves the backend roadmap with its six steps and tools', async () => {
      const list = json<{ roadmaps: { id: string; topicCount: number }[] }>(
        await t.app.inject('/api/v1/roadmaps'),
      );
      assert.deepEqual(list.roadmaps.map((r) => r.id).slice(0, 1), ['backend']);
      const backend = json<{
        steps: { id: string; groups: { topics: { id: string }[] }[] }[];
        tools: string[];
        progress: null;
      }>(await t.app.inject('/api/v1/roadmaps/backend'));
      assert.deepEqual(
        backend.steps.map((s) => s.id),
        [
          'foundations',
          'advanced-concepts',
          'api-development',
          'troubleshooting',
          'cloud-deployment',
          'advanced-topics',
        ],
      );
      const count = backend.steps.flatMap((s) => s.groups.flatMap((g) => g.topics)).length;
      assert.ok(count >= 130, `backend has ${count} topics`);
      assert.ok(backend.tools.includes('git-basics'));
      assert.equal(backend.progress, null, 'anonymous visitors have no progress summary');
    });

    it('unknown roadmap or topic is a 404 problem, a malformed id a 400', async () => {
      const missing = await t.app.inject('/api/v1/roadmaps/cooking');
      assert.equal(missing.statusCode, 404);
      assert.equal(json(missing).code, 'not_found');
      assert.match(String(json(missing).detail), /backend/);
      assert.equal((await t.app.inject('/api/v1/topics/no-such-topic')).statusCode, 404);
      assert.equal((await t.app.inject('/api/v1/topics/Bad%20Id')).statusCode, 400);
    });

    it('status changes are stored, summarised per step, and logged as activity', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/backend-role/progress', { status: 'done' });
      await c.put('/api/v1/topics/dns/progress', { status: 'skipped' });
      await c.put('/api/v1/topics/mongodb/progress', {
        status: 'learning',
        note: '# My notes\n\nIndexes matter.',
      });
      const progress = json<{ summary: Summary }>(await c.get('/api/v1/roadmaps/backend/progress'));
      assert.equal(progress.summary.done, 1);
      assert.equal(progress.summary.skipped, 1);
      assert.equal(progress.summary.learning, 1);
      assert.equal(progress.summary.percent, Math.floor((2 * 100) / progress.summary.total));
      assert.equal(progress.summary.steps.find((s) => s.stepId === 'foundations')?.done, 1);
      const topic = json<{ title: string; progress: { status: string; note: string }; resources: unknown[] }>(
        await c.get('/api/v1/topics/mongodb'),
      );
      assert.equal(topic.progress.status, 'learning');
      assert.equal(topic.progress.note, '# My notes\n\nIndexes matter.');
      assert.ok(topic.resources.length >= 3);
      const me = json<{ id: string }>(await c.get('/api/v1/me'));
      const activity = await t.db.kysely
        .selectFrom('activity')
        .selectAll()
        .where('user_id', '=', me.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        activity.map((a) => [a.kind, a.topic_id, a.to_status]),
        [
          ['status', 'backend-role', 'done'],
          ['status', 'dns', 'skipped'],
          ['status', 'mongodb', 'learning'],
          ['note', 'mongodb', null],
        ],
      );
    });

    it('a topic shared by two roadmaps shares its progress', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/git-basics/progress', { status: 'done' });
      const backend = json<{ summary: Summary }>(await c.get('/api/v1/roadmaps/backend/progress'));
      const frontend = json<{ summary: Summary }>(await c.get('/api/v1/roadmaps/frontend/progress'));
      assert.equal(backend.summary.done, 1);
      assert.equal(frontend.summary.done, 1);
    });

    it('rejects bad input with problem+json and changes nothing', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/dns/progress', { status: 'learning', note: 'keep me' });
      for (const body of [
        { status: 'finished' },
        { status: 'done', note: 42 },
        { note: 'no status' },
        { status: 'done', extra: true },
      ]) {
        const res = await c.put('/api/v1/topics/dns/progress', body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        assert.ok(String(json(res).detail).length > 10);
      }
      const tooLong = await c.put('/api/v1/topics/dns/progress', {
        status: 'done',
        note: 'x'.repeat(20_001),
      });
      assert.equal(tooLong.statusCode, 400);
      const notJson = await c.request('PUT', '/api/v1/topics/dns/progress', undefined, {
        'content-type': 'application/json',
      });
      assert.equal(notJson.statusCode, 400);
      const garbage = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/topics/dns/progress',
        headers: {
          host: 'localhost:3000',
          origin: 'http://localhost:3000',
          cookie: `waymark_session=${c.cookie}`,
          'content-type': 'application/json',
        },
        payload: '{"status": "done",',
      });
      assert.equal(garbage.statusCode, 400);
      assert.equal(json(garbage).code, 'invalid_json');
      const topic = json<{ progress: { status: string; note: string } }>(await c.get('/api/v1/topics/dns'));
      assert.deepEqual([topic.progress.status, topic.progress.note], ['learning', 'keep me']);
    });

    it('ticking a checklist item moves a pending topic to learning', async () => {
      const c = new Client(t.app);
      const topic = json<{ checklist: { id: string }[] }>(await c.get('/api/v1/topics/cors'));
      const item = topic.checklist[0]!.id;
      const res = await c.put(`/api/v1/topics/cors/checklist/${item}`, { done: true });
      assert.equal(res.statusCode, 200);
      assert.equal(json(res).status, 'learning');
      assert.deepEqual(json(res).checklist, [item]);
      const untick = json(await c.put(`/api/v1/topics/cors/checklist/${item}`, { done: false }));
      assert.deepEqual(untick.checklist, []);
      assert.equal(untick.status, 'learning', 'unticking does not undo the status');
      assert.equal(
        (await c.put('/api/v1/topics/cors/checklist/not-an-item', { done: true })).statusCode,
        404,
      );
    });

    it("the roadmap's progress lists each topic's ticked items, and a cached listing follows every change", async () => {
      const c = new Client(t.app);
      const topic = json<{ checklist: { id: string }[] }>(await c.get('/api/v1/topics/cors'));
      const [first, second] = topic.checklist.map((item) => item.id);
      type Listing = { topics: { topicId: string; status: string; checklist: string[] }[] };
      const cors = async () =>
        json<Listing>(await c.get('/api/v1/roadmaps/backend/progress')).topics.find(
          (x) => x.topicId === 'cors',
        );
      await c.put(`/api/v1/topics/cors/checklist/${first}`, { done: true });
      assert.deepEqual((await cors())?.checklist, [first]);
      // The listing is now cached; each write must show up in the next read.
      await c.put(`/api/v1/topics/cors/checklist/${second}`, { done: true });
      assert.deepEqual(new Set((await cors())?.checklist), new Set([first, second]));
      await c.put('/api/v1/topics/cors/progress', { status: 'done' });
      assert.equal((await cors())?.status, 'done');
      await c.put(`/api/v1/topics/cors/checklist/${first}`, { done: false });
      assert.deepEqual((await cors())?.checklist, [second]);
    });

    it('resetting a roadmap sets every topic back to pending but keeps notes', async () => {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/kafka/progress', { status: 'done', note: 'partitions!' });
      await c.put('/api/v1/topics/nats/progress', { status: 'learning' });
      const res = await c.delete('/api/v1/roadmaps/backend/progress');
      assert.equal(res.statusCode, 200);
      assert.equal(json(res).reset, 2);
      const topic = json<{ progress: { status: string; note: string } }>(await c.get('/api/v1/topics/kafka'));
      assert.deepEqual([topic.progress.status, topic.progress.note], ['pending', 'partitions!']);
    });

    it('one user can never see or change another user’s progress', async () => {
      const alice = new Client(t.app);
      await alice.signup('alice@example.org');
      await alice.put('/api/v1/topics/jwt/progress', { status: 'done', note: 'alice private' });
      const bob = new Client(t.app);
      await bob.signup('bob@example.org');
      const bobView = json<{ progress: { status: string; note: string } }>(
        await bob.get('/api/v1/topics/jwt'),
      );
      assert.deepEqual([bobView.progress.status, bobView.progress.note], ['pending', '']);
      await bob.delete('/api/v1/roadmaps/backend/progress');
      const aliceView = json<{ progress: { status: string; note: string } }>(
        await alice.get('/api/v1/topics/jwt'),
      );
      assert.deepEqual([aliceView.progress.status, aliceView.progress.note], ['done', 'alice private']);
      assert.ok(!JSON.stringify(json(await bob.get('/api/v1/me/export'))).includes('alice private'));
    });
  });

  describe(`revised roadmaps never lose progress (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    it('progress on an id that became an alias moves to the surviving topic at start-up, newest winning', async () => {
      const first = await createTestApp(dialect);
      const c = new Client(first.app);
      await c.signup('alias@example.org');
      await c.put('/api/v1/topics/memcached/progress', { status: 'done', note: 'from the old id' });
      // Simulate a content revision: "memcached" was merged into "redis" (redis lists it in aliases).
      const revised: Content = structuredClone(first.content);
      revised.topics.delete('memcached');
      revised.aliases.set('memcached', 'redis');
      revised.topics.get('redis')!.aliases = ['memcached'];
      for (const roadmap of revised.roadmaps.values()) {
        roadmap.topicIds = roadmap.topicIds.filter((id) => id !== 'memcached');
        for (const step of roadmap.steps) {
          step.topicIds = step.topicIds.filter((id) => id !== 'memcached');
          for (const group of step.groups) group.topicIds = group.topicIds.filter((id) => id !== 'memcached');
        }
      }
      const { applyTopicAliases } = await import('../../src/progress/progress.service.js');
      await first.db.kysely
        .transaction()
        .execute((trx) => applyTopicAliases(trx, revised, new Date().toISOString(), userDataSections()));
      first.app.replaceContent(revised);
      const redis = json<{ progress: { status: string; note: string } }>(await c.get('/api/v1/topics/redis'));
      assert.deepEqual([redis.progress.status, redis.progress.note], ['done', 'from the old id']);
      // Old links keep working.
      assert.equal(json(await c.get('/api/v1/topics/memcached')).id, 'redis');
      await first.close();
    });
  });
}
