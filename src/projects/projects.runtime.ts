import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import type { ProjectRunRow } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { loadSigningKey, type SigningKey } from './evidence.js';
import type { GuardPolicy } from './network-guard.js';
import { presentRun } from './projects.presenter.js';
import * as repo from './projects.repository.js';
import type { RunStartDeps } from './projects.service.js';
import { createExecutor, RUN_BOOKKEEPING, type RunChecks } from './run-executor.js';
import { RunEvents } from './run-events.js';
import { InProcessRunQueue, type RunQueue } from './run-queue.js';

// What runs need, wired once per process: the app (routes enqueue, SSE listens) and `waymark worker`
// (consumes) build the same runtime. It owns the queue, the run events, the signing key and the
// sweep that ends runs whose worker died.

export interface ProjectsRuntime {
  events: RunEvents;
  queue: RunQueue;
  policy: GuardPolicy;
  /** What `startRun`/`retryRun` in projects.service.ts take: the API and the pages pass this. */
  starts: RunStartDeps;
  signingKey(): Promise<SigningKey>;
  /** Ends abandoned runs (see {@link startProjectsRuntime}); runs periodically, exposed for tests. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** The projects API, verification and page plugins: each is given the one runtime. */
export type ProjectsPlugin = FastifyPluginAsync<{ runtime: ProjectsRuntime }>;

export interface ProjectsRuntimeOptions {
  db: Db;
  config: Config;
  clock: Clock;
  content(): Content;
  redis: Redis | null;
  /** Execute runs in this process (the app unless WAYMARK_CHECK_INLINE_WORKER=false; always the worker). */
  consume: boolean;
  runChecks: RunChecks;
  onFinished?(run: ProjectRunRow): void;
  log?(message: string, error?: unknown): void;
}

/** The network policy from configuration. */
export function policyFrom(config: Config): GuardPolicy {
  return { allowPrivate: config.checks.allowPrivate, allowAddresses: config.checks.allowAddresses };
}

/**
 * Starts the run machinery. Without Redis the queue is in this process; runs left `running` by a
 * process that died (no heartbeat for WAYMARK_CHECK_STALL_MS) become `interrupted`, and `queued`
 * ones are queued again. With Redis, BullMQ retries a dead worker's run once; the sweep turns a run
 * without a heartbeat for three stall periods into `errored`, so none stays `running` forever.
 */
export async function startProjectsRuntime(options: ProjectsRuntimeOptions): Promise<ProjectsRuntime> {
  const { db, config, clock, redis } = options;
  const log = options.log ?? (() => {});
  // The app's Redis client may carry a key prefix (tests use a random one); a worker process is told
  // the same namespace through WAYMARK_CHECK_QUEUE_NAMESPACE.
  const namespace = `${redis?.options.keyPrefix ?? ''}${config.checks.queueNamespace}`;
  const events = new RunEvents(redis, namespace);
  await events.start();
  let keyPromise: Promise<SigningKey> | null = null;
  const signingKey = () => {
    keyPromise ??= loadSigningKey(db, config.databaseUrl, clock.now().toISOString()).catch(
      (error: unknown) => {
        keyPromise = null;
        throw error;
      },
    );
    return keyPromise;
  };
  const policy = policyFrom(config);
  const execute = createExecutor({
    db,
    config,
    clock,
    content: options.content,
    signingKey,
    events,
    runChecks: options.runChecks,
    policy,
    insecureTls: config.checks.insecureTls,
    onFinished: options.onFinished,
  });
  const now = () => clock.now().toISOString();

  async function endRun(
    runId: string,
    from: ProjectRunRow['state'][],
    state: 'errored' | 'interrupted',
    error: string,
  ) {
    const at = now();
    const moved = await db.write(
      (trx) => repo.transitionRun(trx, runId, from, { state, finished_at: at, error }),
      RUN_BOOKKEEPING,
    );
    if (!moved) return;
    const run = await repo.findRun(db.kysely, runId);
    if (run) {
      options.onFinished?.(run);
      events.publish({ type: 'state', runId, run: presentRun(run) });
    }
  }

  // BullMQ (and its share of start-up time) is loaded only when Redis is configured.
  const queue: RunQueue = redis
    ? new (await import('./run-queue.bullmq.js')).BullRunQueue(redis, execute, {
        namespace,
        consume: options.consume,
        concurrency: config.checks.concurrency,
        stallMs: config.checks.stallMs,
        onFailed: (runId, reason) => {
          void endRun(
            runId,
            ['queued', 'running'],
            'errored',
            `The worker running this check failed (${reason}). Start it again.`,
          ).catch((error: unknown) => log('could not mark a failed run as errored', error));
        },
      })
    : new InProcessRunQueue(execute, config.checks.concurrency, (runId, error) =>
        log(`run ${runId} failed`, error),
      );

  async function sweep(): Promise<void> {
    const stallMs = config.checks.stallMs;
    if (!redis) {
      const staleBefore = new Date(clock.now().getTime() - stallMs).toISOString();
      for (const run of await repo.findRunsInState(db.kysely, ['running'], staleBefore)) {
        if ((await queue.locate(run.id)) === 'active') continue; // ours and alive, only slow to beat
        await endRun(
          run.id,
          ['running'],
          'interrupted',
          'Waymark stopped while this run was in progress. Start it again.',
        );
      }
      return;
    }
    // A run without a heartbeat for three stall periods lost its worker. BullMQ hands such a job to
    // another worker (then it is `queued` again until one takes it); a job the queue no longer has,
    // or one still "active" long after any run could have ended, will never finish: `errored`.
    const staleBefore = new Date(clock.now().getTime() - 3 * stallMs).toISOString();
    const hopeless = clock.now().getTime() - (config.checks.totalTimeoutMs + 6 * stallMs);
    for (const run of await repo.findRunsInState(db.kysely, ['running'], staleBefore)) {
      const where = await queue.locate(run.id);
      if (where === 'waiting') {
        await db.write(
          (trx) => repo.transitionRun(trx, run.id, ['running'], { state: 'queued' }),
          RUN_BOOKKEEPING,
        );
        continue;
      }
      const lastSign = Date.parse(run.heartbeat_at ?? run.started_at ?? run.created_at);
      if (where === 'gone' || lastSign < hopeless) {
        await endRun(
          run.id,
          ['running'],
          'errored',
          'The worker running this check stopped responding. Start it again.',
        );
      }
    }
  }

  if (!redis && options.consume) {
    // Queued runs lived in a queue in memory; a restart lost it, so queue them again.
    for (const run of await repo.findRunsInState(db.kysely, ['queued'])) await queue.enqueue(run.id);
  }
  const sweeping = setInterval(
    () => {
      sweep().catch((error: unknown) => log('run sweep failed', error));
    },
    Math.max(1000, config.checks.stallMs),
  );
  sweeping.unref();
  await sweep().catch((error: unknown) => log('run sweep failed', error));

  return {
    events,
    queue,
    policy,
    starts: { db, queue, policy, now: () => clock.now(), perMinute: config.checks.runsPerMinute },
    signingKey,
    sweep,
    async close() {
      clearInterval(sweeping);
      await queue.close();
      await events.stop();
    },
  };
}
