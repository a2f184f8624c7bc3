import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, type CompiledQuery, type QueryResult, type UnknownRow } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { Db } from '../../src/db/database.js';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

/**
 * Holds the next read whose rows match a predicate until released — after its query finished and
 * gave back its connection — so a test can make a write land while a read is in flight: the race
 * in which a cache used to store what the read saw after the write had invalidated it.
 */
class ReadGate {
  private match: ((row: UnknownRow) => boolean) | null = null;
  private release: (() => void) | null = null;
  entered: Promise<void> = Promise.resolve();
  private signalEntered: () => void = () => {};

  arm(match: (row: UnknownRow) => boolean): void {
    this.match = match;
    this.entered = new Promise((resolve) => (this.signalEntered = resolve));
  }

  open(): void {
    this.release?.();
    this.release = null;
  }

  async pass(result: QueryResult<UnknownRow>): Promise<void> {
    const match = this.match;
    if (match && result.rows.some(match)) {
      this.match = null;
      this.signalEntered();
      await new Promise<void>((resolve) => (this.release = resolve));
    }
  }
}

/** The app's database with its reads (not its writes, which have their own transaction) passing through the gate. */
function gated(db: Db, gate: ReadGate): Db {
  const executor = db.kysely.getExecutor();
  const through = new Proxy(executor, {
    get(target, prop) {
      if (prop === 'executeQuery')
        return async (query: CompiledQuery) => {
          const result = await target.executeQuery<UnknownRow>(query);
          await gate.pass(result);
          return result;
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const kysely = new Kysely<Database>({
    // Only its executor is used: reads run through it; transactions go through db.write.
    config: {} as never,
    executor: through,
    driver: {} as never,
    dialect: {} as never,
  });
  return { ...db, kysely, withFeed: (feed) => ({ ...db.withFeed(feed), kysely }) };
}

for (const dialect of await dialects()) {
  describe(
    `no stale cache after a write or a revocation (${dialect.name})`,
    { skip: dialect.skip ?? false },
    () => {
      let t: TestApp;
      const gate = new ReadGate();
      before(async () => {
        t = await createTestApp(dialect, { wrapDb: (db) => gated(db, gate) });
      });
      after(async () => {
        gate.open();
        await t?.close();
      });

      it(
        'a progress read that started before a write never puts the older progress back',
        { timeout: 30_000 },
        async () => {
          const ann = new Client(t.app);
          await ann.signup('stale-progress@example.org');
          await ann.put('/api/v1/topics/dns/progress', { status: 'done' });
          gate.arm((row) => row.topic_id === 'dns' && row.status === 'done');
          const inFlight = ann.get('/api/v1/roadmaps/backend/progress');
          await gate.entered; // the read has its rows (dns: done) and has not cached them yet
          assert.equal((await ann.put('/api/v1/topics/dns/progress', { status: 'pending' })).statusCode, 200);
          gate.open();
          await inFlight;
          const after = json<{ summary: { done: number } }>(
            await ann.get('/api/v1/roadmaps/backend/progress'),
          );
          assert.equal(after.summary.done, 0, 'the progress page shows the change just acknowledged');
        },
      );

      for (const known of [false, true]) {
        it(
          `a session read that started before a log-out never lets the session back in (${known ? 'a cookie seen before' : 'its first request'})`,
          { timeout: 30_000 },
          async () => {
            const ann = new Client(t.app);
            await ann.signup(`stale-session-${known}@example.org`);
            const cookie = ann.cookie;
            if (known) await ann.get('/api/v1/me'); // the cache now knows whose cookie this is
            const elsewhere = new Client(t.app);
            elsewhere.cookie = cookie;
            gate.arm((row) => 's_token_hash' in row);
            const inFlight = elsewhere.get('/api/v1/me');
            await gate.entered; // the session was found and not cached yet
            assert.equal((await ann.post('/api/v1/auth/logout')).statusCode, 204);
            gate.open();
            await inFlight;
            for (let i = 0; i < 3; i++) {
              elsewhere.cookie = cookie;
              const me = await elsewhere.get('/api/v1/me');
              assert.equal(me.statusCode, 401, 'a logged-out session is refused on every later request');
            }
          },
        );
      }

      it('a revoked session is refused at once even when it was cached', async () => {
        const ann = new Client(t.app);
        await ann.signup('cached-revoke@example.org');
        const other = new Client(t.app);
        await other.login('cached-revoke@example.org');
        for (let i = 0; i < 3; i++) assert.equal((await other.get('/api/v1/me')).statusCode, 200);
        const sessions = json<{ sessions: { id: string; current: boolean }[] }>(
          await ann.get('/api/v1/me/sessions'),
        );
        const target = sessions.sessions.find((s) => !s.current)!;
        assert.equal((await ann.delete(`/api/v1/me/sessions/${target.id}`)).statusCode, 204);
        assert.equal((await other.get('/api/v1/me')).statusCode, 401);
      });
    },
  );
}
