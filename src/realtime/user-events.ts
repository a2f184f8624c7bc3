import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

import type { UserEvent } from '../db/changes.js';

export type { ChangeScope, UserEvent } from '../db/changes.js';

interface Envelope {
  userId: string;
  event: UserEvent;
  origin: string;
}

const CHANNEL = 'waymark:user-events';
/** Local emitter key of events published by this instance (no user id contains a NUL). */
const ORIGIN = '\u0000own';

/**
 * The fan-out point for per-user changes. In one process it is an EventEmitter; with Redis it
 * publishes to a channel every instance subscribes to, so caches are invalidated and live views
 * updated on all instances behind the load balancer.
 */
export class UserEvents {
  private readonly local = new EventEmitter();
  private subscriber: Redis | null = null;
  private readonly instanceId = Math.random().toString(36).slice(2);

  constructor(private readonly redis: Redis | null) {
    this.local.setMaxListeners(0);
  }

  /** Starts listening to other instances (no-op without Redis). */
  async start(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => {
      let envelope: Envelope;
      try {
        envelope = JSON.parse(message) as Envelope;
      } catch {
        return;
      }
      // Our own messages were already delivered locally when published.
      if (envelope.origin !== this.instanceId) this.deliver(envelope.userId, envelope.event);
    });
    await this.subscriber.subscribe(CHANNEL);
  }

  async stop(): Promise<void> {
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
    }
    this.local.removeAllListeners();
  }

  /** Delivers locally at once, then to other instances through Redis. */
  publish(userId: string, event: UserEvent): void {
    this.deliver(userId, event);
    this.local.emit(ORIGIN, userId, event);
    if (this.redis) {
      const envelope: Envelope = { userId, event, origin: this.instanceId };
      this.redis.publish(CHANNEL, JSON.stringify(envelope)).catch(() => {
        // Redis down: other instances fall back to their cache expiry.
      });
    }
  }

  /** Every event for every user (caches). */
  onAny(listener: (userId: string, event: UserEvent) => void): void {
    this.local.on('*', listener);
  }

  /**
   * Events of writes made by this instance only (not those relayed from others): for work that must
   * happen once per write, such as recomputing a derived summary.
   */
  onOwnWrite(listener: (userId: string, event: UserEvent) => void): void {
    this.local.on(ORIGIN, listener);
  }

  /** Events for one user (live views); returns the unsubscribe function. */
  onUser(userId: string, listener: (event: UserEvent) => void): () => void {
    this.local.on(userId, listener);
    return () => this.local.off(userId, listener);
  }

  private deliver(userId: string, event: UserEvent): void {
    this.local.emit('*', userId, event);
    this.local.emit(userId, event);
  }
}
