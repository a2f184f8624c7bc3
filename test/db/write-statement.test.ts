// A progress write is one statement on PostgreSQL (db.writeStatement, repository changeProgressAtOnce)
// and a group-committed transaction on SQLite. Both must store and log exactly the same things.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

interface TopicProgress {
  status: string;
  note: string;
  updatedAt: string | null;
  statusChangedAt: string | null;
  checklist: string[];
}

for (const dialect of await dialects()) {
  describe(`one-statement progress writes (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('stores the row, logs each change once, keeps no-ops silent and returns the ticks', async () => {
      const client = new Client(t.app);
      await client.signup('statement@example.org');
      const me = json<{ id: string }>(await client.get('/api/v1/me'));
      const put = async (body: { status?: string; note?: string }) => {
        const response = await client.put(
          body.status ? '/api/v1/topics/dns/progress' : '/api/v1/topics/dns/note',
          body,
        );
        assert.equal(response.statusCode, 200, response.body);
        return json<TopicProgress>(response);
      };
      const start = t.clock.now().toISOString();
      const first = await put({ note: 'only a note' });
      assert.deepEqual(
        { status: first.status, note: first.note, changed: first.statusChangedAt },
        { status: 'pending', note: 'only a note', changed: start },
      );
      t.clock.advance(60_000);
      const learning = await put({ status: 'learning' });
      assert.equal(learning.note, 'only a note', 'the note is kept');
      assert.equal(learning.statusChangedAt, t.clock.now().toISOString());
      const changedAt = learning.statusChangedAt;
      t.clock.advance(60_000);
      const same = await put({ status: 'learning' });
      assert.equal(same.updatedAt, learning.updatedAt, 'a no-op writes nothing');
      const topic = json<{ checklist: Array<{ id: string }> }>(await client.get('/api/v1/topics/dns'));
      const item = topic.checklist[0]!.id;
      const ticked = await client.put(`/api/v1/topics/dns/checklist/${item}`, { done: true });
      assert.deepEqual(json<TopicProgress>(ticked).checklist, [item]);
      t.clock.advance(60_000);
      const noted = await put({ note: 'a better note' });
      assert.equal(noted.statusChangedAt, changedAt, 'a note does not move the status time');
      assert.deepEqual(noted.checklist, [item], 'the ticks come back with the write');
      const done = await put({ status: 'done', note: 'finished' });
      assert.equal(done.status, 'done');

      const log = await t.db.kysely
        .selectFrom('activity')
        .select(['kind', 'from_status', 'to_status'])
        .where('user_id', '=', me.id)
        .where('topic_id', '=', 'dns')
        .where('kind', 'in', ['status', 'note', 'checklist'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        log.map((a) => [a.kind, a.from_status, a.to_status]),
        [
          ['note', null, null],
          ['status', 'pending', 'learning'],
          ['checklist', null, 'ticked'],
          ['note', null, null],
          ['status', 'learning', 'done'],
          ['note', null, null],
        ],
      );
      const row = await t.db.kysely
        .selectFrom('progress')
        .selectAll()
        .where('user_id', '=', me.id)
        .where('topic_id', '=', 'dns')
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.note, row.created_at], ['done', 'finished', start]);
    });

    it('refuses a second query in a one-statement write', { skip: dialect.name !== 'postgres' }, async () => {
      await assert.rejects(
        t.db.writeStatement(async (trx) => {
          await trx.selectFrom('progress').select('user_id').limit(1).execute();
          await trx.selectFrom('progress').select('user_id').limit(1).execute();
        }, null),
        /second query/,
      );
    });
  });
}
