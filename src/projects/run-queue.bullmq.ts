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
 * BullMQ refuses ioredis' keyPrefix (it uses its own `prefix`), and its blocking worker connection
 * must retry forever; both come from duplicating the app's client with those options changed.
 */
function bullConnection(redis: Redis): Redis {
  return redis.duplicate({ keyPrefix: '', maxRetriesPerRequest: null, enableReadyCheck: false });
}

export class BullRunQueue implements RunQueue {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue;
  private readonly worker: Worker | null = null;
  private readonly connections: Redis[] = [];
  private readonly active = new Map<string, AbortController>();

  constructor(redis: Redis, execute: RunExecutor, options: BullRunQueueOptions) {
    const prefix = `${options.namespace}bull`;
    const queueConnection = bullConnection(redis);
    this.connections.push(queueConnection);
    this.queue = new Queue(QUEUE_NAME, { connection: queueConnection, prefix });
    if (options.consume) {
      const workerConnection = bullConnection(redis);
      this.connections.push(workerConnection);
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
          connection: workerConnection,
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
    await this.worker?.close();
    await this.queue.close();
    for (const connection of this.connections) connection.disconnect();
  }
}
