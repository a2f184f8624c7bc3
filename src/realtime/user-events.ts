import type { Redis } from 'ioredis';

import type { UserEvent } from '../db/changes.js';

export type { ChangeScope, UserEvent } from '../db/changes.js';

interface Envelope {
  userId: string;
  event: UserEvent;
  origin: string;
}

/** What one user's live views receive per turn of the event loop: the events, and their SSE frames. */
export interface EventBatch {
  readonly events: readonly UserEvent[];
  /** `event: …\ndata: …\n\n` of every event, in order: serialised once, the same buffer for every stream. */
  readonly frames: Buffer;
  /** The same frames as one HTTP/1.1 chunk (`<size>\r\n…\r\n`), for streams sent with chunked encoding. */
  readonly chunk: Buffer;
  /** Every event is a plain change (`changed`/`sync`): streams pass the frames on without looking at them. */
  readonly plain: boolean;
}

export type Subscriber = (batch: EventBatch) => void;

const CHANNEL = 'waymark:user-events';
const CRLF = Buffer.from('\r\n');

/** One event as a server-sent-events frame. */
export function frameOf(event: UserEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The fan-out point for per-user changes: to the live views (event streams) of this instance and,
 * with Redis, through a channel every instance subscribes to. Delivery is never on the request
 * path: events are queued and handed to the views after the current turn of the event loop
 * (`setImmediate`, once the response of the write that caused them has been written), all of a
 * user's events of that turn together, serialised once and shared by every stream of that user.
 */
export class UserEvents {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly ownWriteListeners: Array<(userId: string, event: UserEvent) => void> = [];
  private pending = new Map<string, UserEvent[]>();
  private scheduled = false;
  private subscriber: Redis | null = null;
  private readonly instanceId = Math.random().toString(36).slice(2);

  constructor(private readonly redis: Redis | null) {}

  /** Starts listening to other instances (no-op without Redis). */
  async start(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.duplicate();
    // While Redis is away ioredis reports each reconnection attempt; it resubscribes by itself.
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (_channel: string, message: string) => {
      let envelope: Envelope;
      try {
        envelope = JSON.parse(message) as Envelope;
      } catch {
        return;
      }
      // Our own messages were already queued locally when published.
      if (envelope.origin !== this.instanceId) this.queue(envelope.userId, envelope.event);
    });
    await this.subscriber.subscribe(CHANNEL);
  }

  async stop(): Promise<void> {
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
    }
    this.subscribers.clear();
    this.pending.clear();
    this.ownWriteListeners.length = 0;
  }

  /** Queues for this instance's views (delivered after this turn), and sends to other instances through Redis. */
  publish(userId: string, event: UserEvent): void {
    this.queue(userId, event);
    for (const listener of this.ownWriteListeners) listener(userId, event);
    if (this.redis) {
      const envelope: Envelope = { userId, event, origin: this.instanceId };
      this.redis.publish(CHANNEL, JSON.stringify(envelope)).catch(() => {
        // Redis down: other instances' views miss this event; their caches check versions anyway.
      });
    }
  }

  /**
   * Events of writes made by this instance only (not those relayed from others), told at once: for
   * work that must happen once per write, such as recomputing a derived summary. Keep it quick.
   */
  onOwnWrite(listener: (userId: string, event: UserEvent) => void): void {
    this.ownWriteListeners.push(listener);
  }

  /** Events for one user, one at a time (after the turn they were published in); returns the unsubscribe function. */
  onUser(userId: string, listener: (event: UserEvent) => void): () => void {
    return this.onUserBatch(userId, ({ events }) => {
      for (const event of events) listener(event);
    });
  }

  /** A user's events of each turn together, with their frames (event streams); returns the unsubscribe function. */
  onUserBatch(userId: string, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(userId);
    if (!set) this.subscribers.set(userId, (set = new Set()));
    set.add(subscriber);
    return () => {
      const current = this.subscribers.get(userId);
      if (!current) return;
      current.delete(subscriber);
      if (current.size === 0) this.subscribers.delete(userId);
    };
  }

  private queue(userId: string, event: UserEvent): void {
    // Nobody watches this user here: nothing to deliver.
    if (!this.subscribers.has(userId)) return;
    const list = this.pending.get(userId);
    if (list) list.push(event);
    else this.pending.set(userId, [event]);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const batches = this.pending;
    this.pending = new Map();
    for (const [userId, events] of batches) {
      const set = this.subscribers.get(userId);
      if (!set) continue;
      const frames = Buffer.from(events.length === 1 ? frameOf(events[0]!) : events.map(frameOf).join(''));
      const batch: EventBatch = {
        events,
        frames,
        chunk: Buffer.concat([Buffer.from(`${frames.length.toString(16)}\r\n`), frames, CRLF]),
        plain: events.every((e) => e.type === 'changed' || e.type === 'sync'),
      };
      // A view that closes while we deliver is removed from the set; iteration skips it.
      for (const subscriber of set) {
        try {
          subscriber(batch);
        } catch {
          // One broken stream must not keep the event from the others.
        }
      }
    }
  }
}
