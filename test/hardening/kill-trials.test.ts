import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { dialects } from '../helpers.js';
import { startServer } from '../resilience/server-process.js';

/**
 * Issue 14, resilience: `kill -9` of a server taking concurrent writes loses no acknowledged write,
 * on both dialects. Each trial runs eight writers (each on its own topic, writing numbered notes one
 * after another) and kills the server once a trial-specific number of writes was acknowledged, so
 * writes are in flight at that moment. Afterwards every topic must hold its last acknowledged note
 * or a later one. Bounded (each trial starts a server): two trials on SQLite, one on PostgreSQL.
 */
const WRITERS = [
  'dns',
  'git-basics',
  'backend-role',
  'cors',
  'http-basics',
  'json',
  'api-keys',
  'sql-basics',
];

for (const dialect of await dialects()) {
  describe(`kill -9 trials (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    const trials = dialect.name === 'sqlite' ? 2 : 1;
    for (let trial = 0; trial < trials; trial += 1) {
      it(`trial ${trial + 1}: every acknowledged write survives`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'waymark-kill-trial-'));
        const database =
          dialect.name === 'sqlite'
            ? { url: `sqlite:${join(dir, 'waymark.db')}`, drop: async () => {} }
            : await dialect.create();
        const { child, origin } = await startServer({ DATABASE_URL: database.url });
        try {
          const put = (topic: string, note: string, cookie?: string) =>
            fetch(`${origin}/api/v1/topics/${topic}/progress`, {
              method: 'PUT',
              headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
              body: JSON.stringify({ status: 'learning', note }),
            });
          const first = await put('dns', '0');
          assert.equal(first.status, 200);
          const cookie = /waymark_session=[^;]+/.exec(first.headers.get('set-cookie') ?? '')![0];
          const acknowledged = new Map<string, number>([['dns', 0]]);
          const killAfter = 30 + trial * 17;
          let count = 0;
          let killed = false;
          const exited = once(child, 'exit');
          const writer = async (topic: string) => {
            for (let n = 1; !killed; n += 1) {
              let response: Response;
              try {
                response = await put(topic, String(n), cookie);
                await response.arrayBuffer();
              } catch {
                return; // the server is gone
              }
              assert.equal(response.status, 200, `${topic} write ${n}`);
              acknowledged.set(topic, n);
              count += 1;
              if (count >= killAfter && !killed) {
                killed = true;
                child.kill('SIGKILL');
              }
            }
          };
          await Promise.all(WRITERS.map(writer));
          await exited;

          const db = openDatabase(database.url);
          try {
            const rows = await db.kysely.selectFrom('progress').select(['topic_id', 'note']).execute();
            const stored = new Map(rows.map((row) => [row.topic_id, Number(row.note)]));
            for (const [topic, n] of acknowledged)
              assert.ok(
                (stored.get(topic) ?? -1) >= n,
                `${topic}: write ${n} was acknowledged, ${stored.get(topic)} is stored`,
              );
          } finally {
            await db.close();
          }
        } finally {
          if (child.exitCode === null) child.kill('SIGKILL');
          await database.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
