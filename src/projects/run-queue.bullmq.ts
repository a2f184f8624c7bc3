import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunExecutor, RunQueue } from './run-queue.js';

// BullMQ behind the run-queue interface. Jobs carry only the run id (the run lives in the database);
// the job id is the run id, so enqueueing twice is harmless. A worker that dies mid-run stops
// renewing its lock: BullMQ's stalled-job check hands the job to another worker (retried, at most twice), and
// a third stall fails it, which the caller turns into an `errored` run.

const QUEUE_NAME = 'waymark-check-runs';

export interface BullRunQueueOptions {
  /** Key prefix shared by every process consuming this queue. */
  namespace: string;
  /** Consume jobs here too (false: only enqueue; a `waymark worker` process consumes). */
  consume: boolean;
  concurrency: number;
  /** Lock duration and stalled-check interval: how long a dead worker's job waits before retry. */
  stallMs: number;
  /** A job failed for good (stalled twice, or the executor threw). */
  onFailed(runId: string, reason: string): void;
}

/**
 * BullMQ refuses ioredis' keyPrefix (it uses its own `prefix`), so its connections are duplicates of
 * the app's client without it. The queue's keeps the app's bounded commands (src/lib/redis.ts): a run
 * is enqueued during a request, which must fail (503) rather than wait while Redis is away. The
 * worker's blocks on purpose (BullMQ waits for jobs with blocking commands) and must retry for ever.
 */
function queueConnection(redis: Redis): Redis {
  return redis.duplicate({ keyPrefix: '' });
}
function workerConnection(redis: Redis): Redis {
  return redis.duplicate({
    keyPrefix: '',
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    commandTimeout: undefined,
  });
}

/** How long closing waits for BullMQ to stop its worker before cutting its connections. */
const CLOSE_WAIT_MS = 5000;

/** True if the promise settled within `ms`; false (and no longer waited for) otherwise. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Disconnects the ioredis clients BullMQ made for a queue or worker, at once. Its own `disconnect()`
 * first waits for each client to have connected, which a client reconnecting to a restarted Redis
 * may never do (and its reconnection timer then keeps the process alive), so this reaches the raw
 * clients (`RedisConnection._client`, BullMQ 5–6) and leaves them no choice.
 */
function cutClients(owner: object): void {
  type Raw = { _client?: { disconnect(): void } } | undefined;
  const backend = (owner as { backend?: { connection?: Raw; blockingConnection?: Raw } }).backend;
  for (const connection of [backend?.connection, backend?.blockingConnection]) {
    try {
      connection?._client?.disconnect();
    } catch {
      // already gone
    }
  }
}

export class BullRunQueue implements RunQueue {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue;
  private readonly worker: Worker | null = null;
  private readonly connections: Redis[] = [];
  private readonly active = new Map<string, AbortController>();

  constructor(redis: Redis, execute: RunExecutor, options: BullRunQueueOptions) {
    const prefix = `${options.namespace}bull`;
    const forQueue = queueConnection(redis);
    this.connections.push(forQueue);
    this.queue = new Queue(QUEUE_NAME, { connection: forQueue, prefix });
    if (options.consume) {
      const forWorker = workerConnection(redis);
      this.connections.push(forWorker);
      const worker = new Worker(
        QUEUE_NAME,
        async (job: Job<{ runId: string }>) => {
          const controller = new AbortController();
          this.active.set(job.data.runId, controller);
          try {
            await execute(job.data.runId, controller.signal);
          } finally {
            this.active.delete(job.data.runId);
          }
        },
        {
          connection: forWorker,
          prefix,
          concurrency: options.concurrency,
          lockDuration: options.stallMs,
          stalledInterval: options.stallMs,
          maxStalledCount: 2,
        },
      );
      worker.on('failed', (job, error) => {
        if (job) options.onFailed(String((job.data as { runId?: string }).runId ?? job.id), error.message);
      });
      // Redis hiccups are retried by BullMQ; without a listener an 'error' event would crash the process.
      worker.on('error', () => {});
      this.worker = worker;
    }
    this.queue.on('error', () => {});
  }

  async enqueue(runId: string): Promise<void> {
    await this.queue.add(
      'run',
      { runId },
      { jobId: runId, attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 },
    );
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async locate(runId: string): Promise<'waiting' | 'active' | 'gone'> {
    const state = await this.queue.getJobState(runId);
    if (state === 'active') return 'active';
    if (
      state === 'waiting' ||
      state === 'delayed' ||
      state === 'prioritized' ||
      state === 'waiting-children'
    ) {
      return 'waiting';
    }
    return 'gone';
  }

  async close(): Promise<void> {
    for (const controller of this.active.values()) controller.abort(new Error('Waymark is shutting down'));
    // BullMQ's worker can wait for ever to stop after Redis restarted under it (its loop never
    // returns from the lost blocking connection), which would hang the server's shutdown: give it a
    // few seconds, then cut its connections (the runs in flight were aborted above).
    const closed = Promise.allSettled([this.worker?.close(), this.queue.close()]);
    if (!(await settlesWithin(closed, CLOSE_WAIT_MS))) {
      for (const owner of [this.worker, this.queue]) if (owner) cutClients(owner);
    }
    for (const connection of this.connections) connection.disconnect();
  }
}
