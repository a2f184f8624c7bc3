// Group commit on PostgreSQL (src/db/pg-group-commit.ts): one-statement writes arriving together
// share one pipelined transaction, and a statement the server refuses fails alone. Also the read
// batching the session lookup uses (src/db/read-batch.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../../src/db/database.js';
import { batchedLookup } from '../../src/db/read-batch.js';
import { dialects } from '../helpers.js';

const postgres = (await dialects()).find((d) => d.name === 'postgres')!;

describe('group commit of one-statement writes (postgres)', { skip: postgres.skip ?? false }, () => {
  let db: Db;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await postgres.create();
    drop = database.drop;
    db = openDatabase(database.url);
    await sql`create table probe (id integer primary key, label text not null)`.execute(db.kysely);
    await sql`create table probe_log (label text not null)`.execute(db.kysely);
  });
  after(async () => {
    await db?.close();
    await drop?.();
  });

  const insert = (id: number, label: string) =>
    db.writeStatement(
      async (trx) =>
        (
          await sql<{ id: number; tx: string }>`
            with logged as (insert into probe_log (label) values (${label}))
            insert into probe (id, label) values (${id}, ${label}) returning id, txid_current()::text as tx`.execute(
            trx,
          )
        ).rows[0]!,
      null,
    );

  it('runs writes that arrive together in one transaction, each with its own result', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => insert(i + 1, `first-${i + 1}`)));
    assert.deepEqual(
      results.map((r) => r.id),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    assert.equal(new Set(results.map((r) => r.tx)).size, 1, 'one transaction (one commit) for the batch');
    const stored = await db.kysely
      .selectFrom(sql<{ id: number }>`probe`.as('p'))
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(stored.n, 10);
  });

  it('a statement the server refuses fails alone; the others are stored exactly once', async () => {
    const settled = await Promise.allSettled([
      insert(101, 'ok-101'),
      insert(102, 'ok-102'),
      insert(5, 'duplicate'), // id 5 exists: unique violation, which aborts the shared transaction
      insert(103, 'ok-103'),
      insert(104, 'ok-104'),
    ]);
    const refused = settled[2]!;
    assert.equal(refused.status, 'rejected');
    assert.equal((refused as PromiseRejectedResult).reason.code, '23505');
    for (const i of [0, 1, 3, 4]) assert.equal(settled[i]!.status, 'fulfilled', `write ${i} succeeded`);
    const logged = await sql<{
      label: string;
    }>`select label from probe_log where label like 'ok-%' or label = 'duplicate' order by label`.execute(
      db.kysely,
    );
    assert.deepEqual(
      logged.rows.map((r) => r.label),
      ['ok-101', 'ok-102', 'ok-103', 'ok-104'],
      'each acknowledged write stored once, the refused one not at all',
    );
  });

  it('a write arriving alone still commits on its own', async () => {
    const result = await insert(200, 'alone');
    assert.equal(result.id, 200);
    const row = await sql<{ label: string }>`select label from probe where id = 200`.execute(db.kysely);
    assert.equal(row.rows[0]?.label, 'alone');
  });
});

describe('batched lookups', () => {
  it('answers lookups made in one turn with one load of the distinct keys', async () => {
    const loads: string[][] = [];
    const lookup = batchedLookup(async (keys: readonly string[]) => {
      loads.push([...keys]);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'missing'].map((k) => lookup(k)));
    assert.deepEqual(answers, ['A', 'B', 'A', undefined]);
    assert.deepEqual(loads, [['a', 'b', 'missing']]);
    assert.equal(await lookup('c'), 'C', 'a later lookup gets a load of its own');
    assert.equal(loads.length, 2);
  });

  it('a failing load fails the lookups of its batch, and the next batch tries again', async () => {
    let fail = true;
    const lookup = batchedLookup(async (keys: readonly string[]) => {
      if (fail) throw new Error('database unreachable');
      return new Map(keys.map((k) => [k, 1]));
    });
    const settled = await Promise.allSettled([lookup('x'), lookup('y')]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['rejected', 'rejected'],
    );
    fail = false;
    assert.equal(await lookup('x'), 1);
  });
});
