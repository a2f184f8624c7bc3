import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { prepared } from '../../src/db/prepared.js';
import * as repo from '../../src/progress/progress.repository.js';
import { dialects } from '../helpers.js';

const NOW = '2026-03-02T09:00:00.000Z';

for (const dialect of await dialects()) {
  describe(`database writes and prepared queries (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let db: Db;
    let url: string;
    let drop: () => Promise<void>;
    before(async () => {
      ({ url, drop } = await dialect.create());
      db = openDatabase(url);
      await migrateToLatest(db);
      for (const id of ['ann', 'bob'])
        await db.kysely
          .insertInto('users')
          .values({
            id,
            email: `${id}@example.org`,
            is_guest: 0,
            role: 'learner',
            time_zone: 'UTC',
            created_at: NOW,
            updated_at: NOW,
          })
          .execute();
    });
    after(async () => {
      await db?.close();
      await drop?.();
    });

    const row = (userId: string, topicId: string, status: 'learning' | 'done') => ({
      user_id: userId,
      topic_id: topicId,
      status,
      note: `${topicId} note`,
      created_at: NOW,
      updated_at: NOW,
      status_changed_at: NOW,
    });

    it('commits concurrent writes and answers each caller with its own result', async () => {
      const topics = Array.from({ length: 40 }, (_, i) => `topic-${i}`);
      const results = await Promise.all(
        topics.map((topicId, i) =>
          db.write(async (trx) => {
            await repo.upsertProgress(trx, row('ann', topicId, i % 2 ? 'done' : 'learning'));
            return (await repo.findProgress(trx, 'ann', topicId))?.status;
          }, null),
        ),
      );
      assert.deepEqual(
        results,
        topics.map((_, i) => (i % 2 ? 'done' : 'learning')),
      );
      // Visible through a separate connection: committed, not just held in a transaction.
      const other = openDatabase(url);
      try {
        const stored = await repo.listProgress(other.kysely, 'ann');
        assert.equal(stored.length, topics.length);
      } finally {
        await other.close();
      }
    });

    it('rolls back a failing write alone; the writes queued with it still commit', async () => {
      const failure = new Error('this write changes its mind');
      const outcomes = await Promise.allSettled([
        db.write((trx) => repo.upsertProgress(trx, row('bob', 'kept-1', 'done')), null),
        db.write(async (trx) => {
          await repo.upsertProgress(trx, row('bob', 'rolled-back', 'done'));
          throw failure;
        }, null),
        db.write(async (trx) => {
          // A constraint violation from the database itself (no such user).
          await repo.upsertProgress(trx, row('nobody', 'orphan', 'done'));
        }, null),
        db.write((trx) => repo.upsertProgress(trx, row('bob', 'kept-2', 'learning')), null),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
      );
      assert.equal((outcomes[1] as PromiseRejectedResult).reason, failure);
      const stored = (await repo.listProgress(db.kysely, 'bob')).map((r) => r.topic_id);
      assert.deepEqual(stored, ['kept-1', 'kept-2']);
      assert.equal(await repo.findProgress(db.kysely, 'nobody', 'orphan'), undefined);
    });

    it('a write queued while a batch commits runs in the next batch', async () => {
      let second: Promise<string> | null = null;
      const first = db.write(async (trx) => {
        second = db.write(async (inner) => {
          await repo.upsertProgress(inner, row('ann', 'queued-later', 'done'));
          return 'second';
        }, null);
        await repo.upsertProgress(trx, row('ann', 'queued-first', 'done'));
        return 'first';
      }, null);
      assert.equal(await first, 'first');
      assert.equal(await second, 'second');
      assert.equal((await repo.findProgress(db.kysely, 'ann', 'queued-later'))?.status, 'done');
    });

    it('announces each write of a shared commit after that commit, and only the writes that committed', async () => {
      const seen: { userId: string; phase: string; visible: boolean }[] = [];
      const other = openDatabase(url);
      try {
        const announcing = db.withFeed({
          async beforeCommit(changes) {
            for (const c of changes) seen.push({ userId: c.userId, phase: 'before', visible: false });
          },
          afterCommit(changes, committed) {
            for (const c of changes)
              seen.push({ userId: c.userId, phase: committed ? 'after' : 'failed', visible: true });
          },
        });
        const outcomes = await Promise.allSettled([
          announcing.write((trx) => repo.upsertProgress(trx, row('ann', 'announced-1', 'done')), {
            userId: 'ann',
            scope: 'data',
          }),
          announcing.write(
            async (trx) => {
              await repo.upsertProgress(trx, row('ann', 'never-announced', 'done'));
              throw new Error('changes its mind');
            },
            { userId: 'bob', scope: 'data' },
          ),
          announcing.write(
            (trx) => repo.upsertProgress(trx, row('ann', 'announced-2', 'done')),
            (result) => (result === undefined ? { userId: 'bob', scope: 'data' } : null),
          ),
        ]);
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['fulfilled', 'rejected', 'fulfilled'],
        );
        // Every "after" comes once the shared commit returned: the rows are visible to another connection.
        const after = seen
          .filter((s) => s.phase === 'after')
          .map((s) => s.userId)
          .sort();
        assert.deepEqual(after, ['ann', 'bob']);
        assert.deepEqual(
          seen.filter((s) => s.phase === 'failed'),
          [],
        );
        assert.deepEqual(
          (await repo.listProgress(other.kysely, 'ann'))
            .map((r) => r.topic_id)
            .filter((t) => t.startsWith('announced') || t === 'never-announced'),
          ['announced-1', 'announced-2'],
        );
      } finally {
        await other.close();
      }
    });

    it('prepared queries bind new values on every call, constants included', async () => {
      const statusesOf = prepared((q, userId: string, status: 'done' | 'learning') =>
        q
          .selectFrom('progress')
          .select('topic_id')
          .where('user_id', '=', userId)
          .where('status', '=', status)
          .where('topic_id', '!=', 'never-a-topic')
          .orderBy('topic_id'),
      );
      const done = (await statusesOf(db.kysely, 'bob', 'done')).rows.map((r) => r.topic_id);
      const learning = (await statusesOf(db.kysely, 'bob', 'learning')).rows.map((r) => r.topic_id);
      assert.deepEqual(done, ['kept-1']);
      assert.deepEqual(learning, ['kept-2']);
      // Inside a transaction too (same SQL, other executor).
      const inTrx = await db.kysely
        .transaction()
        .execute(async (trx) => (await statusesOf(trx, 'bob', 'done')).rows.length);
      assert.equal(inTrx, 1);
    });

    it('prepared() refuses a builder that does not pass its arguments to the query', async () => {
      const broken = prepared((q, userId: string) =>
        q.selectFrom('progress').select('topic_id').where('user_id', '=', userId.toUpperCase()),
      );
      await assert.rejects(() => broken(db.kysely, 'ann'), /never reached the query/);
    });

    it(
      'notices commits by another process on the same file',
      { skip: dialect.name !== 'sqlite' },
      async () => {
        // What keeps SQLite's in-process caches honest when the CLI or a second server writes.
        const other = openDatabase(url);
        try {
          const before = db.externalChanges!();
          assert.equal(db.externalChanges!(), before, 'nothing changed: the same number');
          await other.write(
            (trx) => repo.upsertProgress(trx, { ...row('bob', 'dns', 'learning'), note: 'from elsewhere' }),
            null,
          );
          const after = db.externalChanges!();
          assert.notEqual(after, before, 'another connection committed');
          await db.write(
            (trx) => repo.upsertProgress(trx, { ...row('bob', 'dns', 'done'), note: 'from here' }),
            null,
          );
          assert.equal(db.externalChanges!(), after, 'its own commits do not count');
        } finally {
          await other.close();
        }
      },
    );
  });
}
