import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { Client, createTestApp, dialects, json, type Dialect } from '../helpers.js';

/**
 * Issue 14, "migrations": a database as an older release left it upgrades to the latest schema
 * with its data intact, on SQLite and PostgreSQL. The fixture (test/fixtures/upgrade/, made by
 * generate.ts there) holds a learner's rows in the tables and columns of the 007-ux release:
 * account, session, progress with a note, activity, a saved plan and a calendar feed. The test
 * builds that schema, inserts the rows, runs today's migrations, and reads everything back through
 * the API and the tables.
 */
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/upgrade/upgrade-007.json', import.meta.url), 'utf8'),
) as {
  through: string;
  password: string;
  tables: Record<string, Record<string, unknown>[]>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of the schema as the old release had it
type AnyDb = Kysely<any>;
/** Activity ids are generated (a serial on PostgreSQL); everything else is compared as stored. */
const kept = (table: string, row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([column]) => !(table === 'activity' && column === 'id'))
      .map(([column, value]) => [column, value === null ? null : String(value)]),
  );

for (const dialect of await dialects()) {
  describe(`upgrade from ${fixture.through} (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    it('keeps every row and serves the learner after the upgrade', async () => {
      const older: Dialect = {
        ...dialect,
        async create() {
          const database = await dialect.create();
          const db = openDatabase(database.url);
          try {
            await migrateToLatest(db, { through: fixture.through });
            const kysely = db.kysely as AnyDb;
            for (const [table, rows] of Object.entries(fixture.tables))
              for (const row of rows) await kysely.insertInto(table).values(kept(table, row)).execute();
          } finally {
            await db.close();
          }
          return database;
        },
      };
      const t = await createTestApp(older); // runs every later migration
      try {
        const kysely = t.db.kysely as AnyDb;
        for (const [table, rows] of Object.entries(fixture.tables)) {
          const columns = Object.keys(kept(table, rows[0]!));
          const stored = await kysely.selectFrom(table).select(columns).execute();
          const normal = (list: Record<string, unknown>[]) =>
            list.map((row) => JSON.stringify(kept(table, row))).sort();
          assert.deepEqual(normal(stored), normal(rows), `${table} is unchanged by the upgrade`);
        }

        const email = String(fixture.tables.users![0]!.email);
        const client = new Client(t.app);
        assert.equal((await client.login(email, fixture.password)).statusCode, 200, 'the old password works');
        const progress = json<{ topics: Array<{ topicId: string; status: string; note: string }> }>(
          await client.get('/api/v1/roadmaps/backend/progress'),
        );
        const dns = progress.topics.find((topic) => topic.topicId === 'dns');
        assert.equal(dns?.status, 'done');
        assert.equal(dns?.note, fixture.tables.progress!.find((row) => row.topic_id === 'dns')!.note);
        assert.equal(progress.topics.find((topic) => topic.topicId === 'git-basics')?.status, 'learning');
        const plan = await client.get('/api/v1/roadmaps/backend/plan');
        assert.equal(plan.statusCode, 200, plan.body);
        assert.equal(json<{ version: number }>(plan).version, fixture.tables.plans![0]!.current_version);
        assert.equal((await client.get('/api/v1/dashboard')).statusCode, 200);
        // And it takes new writes (PostgreSQL's activity ids continue after the imported rows).
        assert.equal(
          (await client.put('/api/v1/topics/backend-role/progress', { status: 'done' })).statusCode,
          200,
        );
        const activity = await kysely.selectFrom('activity').select('id').execute();
        assert.equal(activity.length, fixture.tables.activity!.length + 1);
      } finally {
        await t.close();
      }
    });
  });
}
