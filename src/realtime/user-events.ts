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

/** How long one slice of a fan-out may hold the event loop before letting requests in. */
const SLICE_MS = 4;

interface Delivery {
  subscribers: SetIterator<Subscriber>;
  batch: EventBatch;
}

/** One event as a server-sent-events frame. */
export function frameOf(event: UserEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The fan-out point for per-user changes: to the live views (event streams) of this instance and,
 * with Redis, through a channel every instance subscribes to. Delivery is never on the request
 * path: events are queued and handed to the views after the current turn of the event loop
 * (`setImmediate`, once the response of the write that caused them has been written), all of a
 * user's events of that turn together, serialised once and shared by every stream of that user,
 * and written in slices of a few milliseconds so other requests are served meanwhile.
 */
export class UserEvents {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly ownWriteListeners: Array<(userId: string, event: UserEvent) => void> = [];
  private pending = new Map<string, UserEvent[]>();
  private scheduled = false;
  /** Batches being handed out, oldest first (see {@link pump}). */
  private readonly deliveries: Delivery[] = [];
  private delivering = false;
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
    this.deliveries.length = 0;
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
      this.deliveries.push({ subscribers: set.values(), batch });
    }
    if (!this.delivering && this.deliveries.length > 0) {
      this.delivering = true;
      this.pump();
    }
  }

  /**
   * Hands batches to their subscribers, oldest batch first, for at most {@link SLICE_MS}; the rest
   * waits for a later turn (`setImmediate`). Requests that arrive while thousands of streams are
   * written thus wait for one slice, not the whole fan-out, and since one batch is finished before
   * the next starts, every stream gets a user's batches in order. A view that closes meanwhile is
   * removed from its set, and the iterator skips it.
   */
  private pump(): void {
    const until = performance.now() + SLICE_MS;
    let delivery = this.deliveries[0];
    while (delivery) {
      // The clock is read every 64 streams: a write takes microseconds.
      let finished = false;
      for (let i = 0; i < 64 && !finished; i++) {
        const next = delivery.subscribers.next();
        if (next.done) finished = true;
        else {
          try {
            next.value(delivery.batch);
          } catch {
            // One broken stream must not keep the event from the others.
          }
        }
      }
      if (finished) {
        this.deliveries.shift();
        delivery = this.deliveries[0];
      }
      if (performance.now() >= until) break;
    }
    if (this.deliveries.length > 0) setImmediate(() => this.pump());
    else this.delivering = false;
  }
}
