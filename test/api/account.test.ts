import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

for (const dialect of await dialects()) {
  describe(`export and import (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('round-trips everything into another account, and a second import changes nothing', async () => {
      const a = new Client(t.app);
      await a.signup('export@example.org');
      await a.put('/api/v1/topics/postgresql/progress', { status: 'done', note: 'VACUUM matters' });
      await a.put('/api/v1/topics/kafka/progress', { status: 'learning' });
      const exported = json<
        Record<string, unknown> & { progress: { topics: unknown[]; activity: unknown[] } }
      >(await a.get('/api/v1/me/export'));
      assert.equal(exported.format, 'waymark-export');
      assert.equal(exported.progress.topics.length, 2);
      const b = new Client(t.app);
      await b.signup('import@example.org');
      const first = await b.post('/api/v1/me/import', exported);
      assert.equal(first.statusCode, 200, first.body);
      const again = await b.post('/api/v1/me/import', exported);
      assert.equal(again.statusCode, 200);
      assert.equal(json<{ imported: { progress: number } }>(again).imported.progress, 0, 'idempotent');
      const reExported = json<typeof exported>(await b.get('/api/v1/me/export'));
      assert.deepEqual(reExported.progress.topics, exported.progress.topics);
      assert.equal(reExported.progress.activity.length, exported.progress.activity.length);
    });

    it('rejects an invalid file with a precise message and imports nothing of it', async () => {
      const a = new Client(t.app);
      await a.signup('bad-import@example.org');
      const doc = json<{ progress: { topics: Record<string, unknown>[] } }>(await a.get('/api/v1/me/export'));
      const now = '2026-01-01T00:00:00.000Z';
      const good = {
        topicId: 'dns',
        status: 'done',
        note: '',
        createdAt: now,
        updatedAt: now,
        statusChangedAt: now,
      };
      doc.progress.topics = [good, { ...good, topicId: 'no-such-topic' }];
      const unknown = await a.post('/api/v1/me/import', doc);
      assert.equal(unknown.statusCode, 400);
      assert.match(String(json(unknown).detail), /no-such-topic/);
      doc.progress.topics = [good, { ...good, topicId: 'json', status: 'finished' }];
      const badStatus = await a.post('/api/v1/me/import', doc);
      assert.equal(badStatus.statusCode, 400);
      assert.ok(
        json<{ errors: { pointer: string }[] }>(badStatus).errors.some((e) =>
          e.pointer.startsWith('/body/progress/topics/1/status'),
        ),
      );
      const wrongFormat = await a.post('/api/v1/me/import', { hello: 'world' });
      assert.equal(wrongFormat.statusCode, 400);
      const progress = json<{ topics: unknown[] }>(await a.get('/api/v1/roadmaps/backend/progress'));
      assert.equal(progress.topics.length, 0, 'nothing half-imported');
    });
  });
}

describe('CSV and Markdown exports', () => {
  it('exports progress as CSV (formulas defused) and the roadmap as a Markdown checklist', async () => {
    const [sqlite] = await dialects();
    const t = await createTestApp(sqlite!);
    try {
      const c = new Client(t.app);
      await c.put('/api/v1/topics/dns/progress', {
        status: 'done',
        note: '=HYPERLINK("x"), with "quotes"\nand lines',
      });
      await c.put('/api/v1/topics/git-basics/progress', { status: 'learning' });
      const csv = await c.get('/api/v1/me/export.csv');
      assert.equal(csv.statusCode, 200);
      assert.match(csv.headers['content-type'] as string, /text\/csv/);
      const lines = csv.body.split('\r\n');
      assert.equal(
        lines[0],
        'roadmap,step,topic_id,title,estimate_hours,status,status_changed_at,note,alternative',
      );
      const dns = lines.find((l) => l.startsWith('backend,Foundations,dns,'));
      assert.ok(dns?.includes(',done,'));
      assert.ok(
        csv.body.includes(`"'=HYPERLINK(""x""), with ""quotes""\nand lines"`),
        'note quoted and formula defused',
      );
      const md = await c.get('/api/v1/roadmaps/backend/checklist.md');
      assert.equal(md.statusCode, 200);
      assert.match(md.body, /^# Backend Developer/);
      assert.match(md.body, /- \[x\] DNS and domain names \([\d.]+ h\) — done/);
      assert.match(md.body, /- \[ \] Version control with Git \([\d.]+ h\) — learning/);
      assert.equal((await new Client(t.app).get('/api/v1/me/export.csv')).statusCode, 401);
    } finally {
      await t.close();
    }
  });
});
