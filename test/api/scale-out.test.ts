import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Client, json, redisSkip, twoInstances } from '../helpers.js';
import { openStream } from './event-stream.js';

const skip = await redisSkip();
if (skip && process.env.CI === 'true') throw new Error(`CI=true but ${skip}`);
if (skip) console.log(`# SKIPPED scale-out tests: ${skip}`);

describe(
  'two app instances behind a load balancer, sharing the database and Redis',
  { skip: skip ?? false },
  () => {
    const apps: FastifyInstance[] = [];
    let instances: Awaited<ReturnType<typeof twoInstances>> | undefined;

    before(async () => {
      instances = await twoInstances({ WAYMARK_AUTH_RATE_LIMIT: '4' });
      apps.push(...instances.apps);
    });

    after(async () => {
      await instances?.close();
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
