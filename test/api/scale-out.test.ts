import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { Client, json, ORIGIN, realContent, REDIS_URL, redisSkip } from '../helpers.js';
import { openStream } from './event-stream.js';

const skip = await redisSkip();
if (skip && process.env.CI === 'true') throw new Error(`CI=true but ${skip}`);
if (skip) console.log(`# SKIPPED scale-out tests: ${skip}`);

describe(
  'two app instances behind a load balancer, sharing the database and Redis',
  { skip: skip ?? false },
  () => {
    let dir: string;
    let db: Db;
    const apps: FastifyInstance[] = [];
    const clients: Redis[] = [];

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'waymark-scale-'));
      const namespace = `test-${Date.now()}`;
      const config = loadConfig({
        DATABASE_URL: `sqlite:${join(dir, 'waymark.db')}`,
        REDIS_URL,
        LOG_LEVEL: 'silent',
        WAYMARK_SCRYPT_COST: '10',
        WAYMARK_AUTH_RATE_LIMIT: '4',
        // The clients send ORIGIN; an instance listening on a random port must not make it foreign.
        WAYMARK_PUBLIC_URL: ORIGIN,
      });
      db = openDatabase(config.databaseUrl);
      await migrateToLatest(db);
      const content = await realContent();
      for (let i = 0; i < 2; i++) {
        const redis = new Redis(REDIS_URL, { keyPrefix: `${namespace}:` });
        clients.push(redis);
        const app = await buildApp({ config, db, content, redis, logger: false });
        await app.ready();
        apps.push(app);
      }
    });

    after(async () => {
      for (const app of apps) await app.close();
      for (const redis of clients) redis.disconnect();
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a write on one instance is visible at once on the other (caches check the shared version in Redis)', async () => {
      const a = new Client(apps[0]!);
      await a.signup('scale@example.org');
      const b = new Client(apps[1]!);
      b.cookie = a.cookie;
      // Warm instance B's caches.
      assert.equal(
        json<{ summary: { done: number } }>(await b.get('/api/v1/roadmaps/backend/progress')).summary.done,
        0,
      );
      // No waiting: B checks the shared version in Redis, which the write bumped before acknowledging.
      await a.put('/api/v1/topics/dns/progress', { status: 'done' });
      assert.equal(
        json<{ summary: { done: number } }>(await b.get('/api/v1/roadmaps/backend/progress')).summary.done,
        1,
      );
    });

    it('a session revoked on one instance is refused on the other', async () => {
      const a = new Client(apps[0]!);
      await a.signup('revoke-across@example.org');
      const b = new Client(apps[1]!);
      b.cookie = a.cookie;
      assert.equal((await b.get('/api/v1/me')).statusCode, 200);
      assert.equal((await b.get('/api/v1/me')).statusCode, 200); // cached on B
      // Refused from the moment the log-out is acknowledged, with no pub/sub message awaited.
      assert.equal((await a.post('/api/v1/auth/logout')).statusCode, 204);
      assert.equal((await b.get('/api/v1/me')).statusCode, 401);
    });

    it('login rate limits are shared by all instances', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++)
        codes.push((await new Client(apps[i % 2]!).login('nobody@example.org', 'wrong password')).statusCode);
      assert.deepEqual(codes.slice(0, 4), [401, 401, 401, 401]);
      assert.equal(codes[5], 429);
    });

    it(
      'logging out on one instance closes the event stream open on the other',
      { timeout: 20_000 },
      async () => {
        const a = new Client(apps[0]!);
        await a.signup('stream-across@example.org');
        await apps[1]!.listen({ port: 0, host: '127.0.0.1' });
        const address = apps[1]!.server.address();
        const port = address && typeof address === 'object' ? address.port : 0;
        const stream = await openStream(`http://127.0.0.1:${port}`, {
          cookie: `waymark_session=${a.cookie}`,
        });
        await a.put('/api/v1/topics/dns/progress', { status: 'done' });
        assert.equal(
          (await stream.next('changed')).scope,
          'data',
          'a change made on A reaches the stream on B',
        );
        assert.equal((await a.post('/api/v1/auth/logout')).statusCode, 204);
        assert.equal(await stream.ended, 'session ended');
      },
    );

    it('readiness reports Redis', async () => {
      const ready = json(await apps[0]!.inject('/readyz'));
      assert.equal(ready.redis, 'up');
    });
  },
);
