import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { CheckView, RunView } from './projects.presenter.js';

/** What a live run view hears: each check as it completes, and the run's state changes. */
export type RunEvent =
  { type: 'check'; runId: string; check: CheckView } | { type: 'state'; runId: string; run: RunView };

/**
 * Fan-out of run progress. The worker executing a run may be another instance or a separate
 * `waymark worker` process, so with Redis every event goes through one pub/sub channel that every
 * instance subscribes to; without Redis it is an in-process EventEmitter.
 */
export class RunEvents {
  private readonly local = new EventEmitter();
  private subscriber: Redis | null = null;
  private readonly channel: string;

  /** `namespace` keeps instances of separate deployments (or test runs) sharing one Redis apart. */
  constructor(
    private readonly redis: Redis | null,
    namespace = '',
  ) {
    this.local.setMaxListeners(0);
    this.channel = `${namespace}waymark:run-events`;
  }

  /** Starts hearing other processes' events (no-op without Redis). */
  async start(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate();
    // While Redis is away ioredis reports each reconnection attempt; it resubscribes by itself.
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        const event = JSON.parse(message) as RunEvent;
        this.local.emit(event.runId, event);
      } catch {
        // Not ours; ignore.
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  async stop(): Promise<void> {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.local.removeAllListeners();
  }

  publish(event: RunEvent): void {
    if (!this.redis) {
      this.local.emit(event.runId, event);
      return;
    }
    // Through Redis only (our own subscriber delivers it here too), so every listener sees events in one order.
    this.redis.publish(this.channel, JSON.stringify(event)).catch(() => {
      this.local.emit(event.runId, event);
    });
  }

  /** Events of one run; returns the unsubscribe function. */
  onRun(runId: string, listener: (event: RunEvent) => void): () => void {
    this.local.on(runId, listener);
    return () => this.local.off(runId, listener);
  }
}
