import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemClock } from '../../src/lib/clock.js';
import { startProjectsRuntime } from '../../src/projects/projects.runtime.js';
import { runChecks } from '../../src/projects/runner.js';
import { Client, json, realContent, REDIS_URL, redisSkip } from '../helpers.js';
import { contentWithProjects, fixtureProject, startFixtureApi, type FixtureApi } from './fixture.js';

// Workers that die mid-run and instances sharing the BullMQ queue. A run must never stay `running`:
// BullMQ retries a dead worker's run on another worker; without Redis a restart marks it
// `interrupted`. The "worker" killed here is a child process running the real runtime.

const FINAL = ['passed', 'failed', 'errored', 'interrupted'];
const project = fixtureProject();

function env(config: Record<string, string>): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    WAYMARK_SCRYPT_COST: '10',
    WAYMARK_CHECKS_ALLOW_PRIVATE: 'false',
    WAYMARK_CHECKS_ALLOW_ADDRESSES: '127.0.0.1',
    WAYMARK_CHECK_STALL_MS: '2000',
    WAYMARK_CHECK_RUNS_PER_MINUTE: '100',
    ...config,
  };
}

function startChild(variables: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/projects/worker-child.ts'], {
    env: { ...process.env, ...variables },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const runState = (db: Db, id: string) =>
  db.kysely
    .selectFrom('project_runs')
    .select(['state', 'attempts', 'error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('check runs survive dying workers', () => {
  let api: FixtureApi;
  let dir: string;
  before(async () => {
    api = await startFixtureApi();
    dir = mkdtempSync(join(tmpdir(), 'waymark-worker-'));
  });
  after(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function appOn(databaseUrl: string, variables: Record<string, string>, redis: Redis | null) {
    const config: Config = loadConfig(env({ DATABASE_URL: databaseUrl, ...variables }));
    const db = openDatabase(config.databaseUrl);
    await migrateToLatest(db);
    const content = contentWithProjects(await realContent(), [project]);
    const app = await buildApp({ config, db, content, redis, logger: false });
    await app.ready();
    return { app, db, config, content };
  }

  it('without Redis: a run whose process was killed becomes interrupted after restart, and can be retried', async () => {
    const databaseUrl = `sqlite:${join(dir, 'inprocess.db')}`;
    const first = await appOn(databaseUrl, {}, null);
    const client = new Client(first.app);
    await client.signup('killed@example.org');
    // The app in this process must not run it: close it, leaving the row queued for the child.
    const run = await first.db.write(async (trx) => {
      const { createRun } = await import('../../src/projects/projects.service.js');
      const user = await trx.selectFrom('users').select('id').executeTakeFirstOrThrow();
      return createRun(trx, { userId: user.id, project, baseUrl: api.url, now: new Date(), perMinute: 100 });
    }, null);
    await first.app.close();

    api.mode.slowMs = 400;
    const child = await startChild(env({ DATABASE_URL: databaseUrl }));
    await waitFor(
      () => runState(first.db, run.id),
      (r) => r.state === 'running',
      'the child to start the run',
    );
    await waitFor(
      async () => api.hits.length,
      (n) => n >= 1,
      'a first request',
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    api.mode.slowMs = 0;
    assert.equal((await runState(first.db, run.id)).state, 'running', 'the dead process left it running');

    // "Restart": a new app on the same database sweeps runs without a heartbeat.
    const second = await appOn(databaseUrl, {}, null);
    const ended = await waitFor(
      () => runState(second.db, run.id),
      (r) => FINAL.includes(r.state),
      'the sweep',
    );
    assert.equal(ended.state, 'interrupted');
    assert.match(ended.error ?? '', /stopped while this run was in progress/);

    const again = new Client(second.app);
    again.cookie = client.cookie;
    const retried = await again.post(`/api/v1/projects/${project.id}/runs/${run.id}/retry`);
    assert.equal(retried.statusCode, 202, retried.body);
    const next = json<{ id: string }>(retried);
    const finished = await waitFor(
      () => runState(second.db, next.id),
      (r) => FINAL.includes(r.state),
      'the retry',
    );
    assert.equal(finished.state, 'passed');
    await second.app.close();
    await second.db.close();
    await first.db.close();
  });

  describe('with Redis (BullMQ)', async () => {
    const skip = await redisSkip();
    const namespace = `test-${Date.now()}-${Math.random().toString(36).slice(2, 8)}:`;
    const clients: Redis[] = [];
    const redis = () => {
      const client = new Redis(REDIS_URL, { keyPrefix: namespace, maxRetriesPerRequest: 2 });
      clients.push(client);
      return client;
    };
    after(async () => {
      if (skip) return;
      const cleaner = new Redis(REDIS_URL);
      const keys = await cleaner.keys(`${namespace}*`);
      if (keys.length > 0) await cleaner.del(...keys);
      cleaner.disconnect();
      for (const client of clients) client.disconnect();
    });

    it(
      'two instances share one queue: a run started on one is executed by the other',
      { skip: skip ?? false },
      async () => {
        const databaseUrl = `sqlite:${join(dir, 'shared.db')}`;
        const producer = await appOn(databaseUrl, { WAYMARK_CHECK_INLINE_WORKER: 'false' }, redis());
        const consumer = await appOn(databaseUrl, {}, redis());
        try {
          const client = new Client(producer.app);
          await client.signup('shared@example.org');
          const started = await client.post(`/api/v1/projects/${project.id}/runs`, { baseUrl: api.url });
          assert.equal(started.statusCode, 202, started.body);
          const { id } = json<{ id: string }>(started);
          const done = await waitFor(
            () => runState(producer.db, id),
            (r) => FINAL.includes(r.state),
            'the run',
          );
          assert.equal(done.state, 'passed');
          // The producer's live stream heard the consumer's events through Redis.
          const detail = json<{ checks: unknown[]; verified: boolean }>(
            await client.get(`/api/v1/projects/${project.id}/runs/${id}`),
          );
          assert.equal(detail.checks.length, 3);
          assert.equal(detail.verified, true);
        } finally {
          await producer.app.close();
          await consumer.app.close();
          await producer.db.close();
          await consumer.db.close();
        }
      },
    );

    it(
      'a worker killed mid-run: BullMQ hands the run to another worker, which finishes it',
      { skip: skip ?? false },
      async () => {
        const databaseUrl = `sqlite:${join(dir, 'bullmq.db')}`;
        const producer = await appOn(databaseUrl, { WAYMARK_CHECK_INLINE_WORKER: 'false' }, redis());
        const child = await startChild(
          env({ DATABASE_URL: databaseUrl, REDIS_URL, WAYMARK_CHECK_QUEUE_NAMESPACE: namespace }),
        );
        let rescuer: Awaited<ReturnType<typeof startProjectsRuntime>> | null = null;
        try {
          const client = new Client(producer.app);
          await client.signup('bullmq-killed@example.org');
          api.mode.slowMs = 400;
          api.hits.length = 0;
          const started = await client.post(`/api/v1/projects/${project.id}/runs`, { baseUrl: api.url });
          const { id } = json<{ id: string }>(started);
          await waitFor(
            () => runState(producer.db, id),
            (r) => r.state === 'running',
            'the worker to take the run',
          );
          await waitFor(
            async () => api.hits.length,
            (n) => n >= 1,
            'a first request',
          );
          child.kill('SIGKILL');
          await new Promise((resolve) => child.once('exit', resolve));
          api.mode.slowMs = 0;

          rescuer = await startProjectsRuntime({
            db: producer.db,
            config: producer.config,
            clock: systemClock,
            content: () => producer.content,
            redis: redis(),
            consume: true,
            runChecks,
          });
          const done = await waitFor(
            () => runState(producer.db, id),
            (r) => FINAL.includes(r.state),
            'the retried run',
          );
          assert.equal(done.state, 'passed', `ended ${done.state}: ${done.error}`);
          assert.equal(done.attempts, 2, 'taken twice: the dead worker, then the rescuer');
        } finally {
          child.kill('SIGKILL');
          await rescuer?.close();
          await producer.app.close();
          await producer.db.close();
        }
      },
    );
  });
});
