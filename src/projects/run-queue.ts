// The one job interface for check runs. Without Redis the runs execute in this process (state in the
// database, so a restart turns unfinished runs into `interrupted`); with REDIS_URL they go through
// BullMQ (run-queue.bullmq.ts), consumed by any instance or a separate `waymark worker` process.

/** Executes one run to its end; resolves when the run's final state is stored. */
export type RunExecutor = (runId: string, signal: AbortSignal) => Promise<void>;

export interface RunQueue {
  readonly kind: 'in-process' | 'bullmq';
  /** Hands a queued run to a worker. Resolves once it is accepted (not when it finishes). */
  enqueue(runId: string): Promise<void>;
  /** Runs waiting or executing (the `queue depth` metric). */
  depth(): Promise<number>;
  /**
   * Where the queue has a run: `waiting` (incl. delayed, or handed back after a worker died),
   * `active`, or `gone` (finished, failed or never there). Lets the sweep tell a dead worker's run
   * that the queue will retry from one nobody will ever finish.
   */
  locate(runId: string): Promise<'waiting' | 'active' | 'gone'>;
  /** Stops consuming; runs in progress here are aborted (they end `interrupted`). */
  close(): Promise<void>;
}

/**
 * Runs jobs in this process, at most `concurrency` at once, first come first served.
 *
 * @example const queue = new InProcessRunQueue(executeRun, 2); await queue.enqueue(run.id);
 */
export class InProcessRunQueue implements RunQueue {
  readonly kind = 'in-process' as const;
  private readonly waiting: string[] = [];
  private readonly active = new Map<string, AbortController>();
  private readonly settled = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly execute: RunExecutor,
    private readonly concurrency: number,
    private readonly onError: (runId: string, error: unknown) => void = () => {},
  ) {}

  async enqueue(runId: string): Promise<void> {
    if (this.closed) throw new Error('the run queue is closed');
    if (this.waiting.includes(runId) || this.active.has(runId)) return;
    this.waiting.push(runId);
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.active.size;
  }

  async locate(runId: string): Promise<'waiting' | 'active' | 'gone'> {
    if (this.active.has(runId)) return 'active';
    return this.waiting.includes(runId) ? 'waiting' : 'gone';
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    for (const controller of this.active.values()) controller.abort(new Error('Waymark is shutting down'));
    await Promise.allSettled([...this.settled]);
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.waiting.length > 0) {
      const runId = this.waiting.shift()!;
      const controller = new AbortController();
      this.active.set(runId, controller);
      const done: Promise<void> = this.execute(runId, controller.signal)
        .catch((error: unknown) => this.onError(runId, error))
        .finally(() => {
          this.active.delete(runId);
          this.settled.delete(done);
          this.pump();
        });
      this.settled.add(done);
    }
  }
}
