// Change events reach live views after the current turn of the event loop (so after the response of
// the write that caused them), a user's events of one turn together, serialised once for all streams.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserEvents, type EventBatch } from '../../src/realtime/user-events.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('event fan-out', () => {
  it('delivers after the current turn, one batch per user with frames and an HTTP chunk shared by every stream', async () => {
    const events = new UserEvents(null);
    const seenA: EventBatch[] = [];
    const seenB: EventBatch[] = [];
    const seenOther: EventBatch[] = [];
    events.onUserBatch('ann', (batch) => seenA.push(batch));
    events.onUserBatch('ann', (batch) => seenB.push(batch));
    events.onUserBatch('bob', (batch) => seenOther.push(batch));
    events.publish('ann', { type: 'changed', scope: 'data', version: 1 });
    events.publish('ann', { type: 'changed', scope: 'data', version: 2 });
    assert.equal(seenA.length, 0, 'nothing is written while the publishing request is still running');
    await nextTurn();
    assert.equal(seenA.length, 1);
    assert.equal(seenOther.length, 0, 'other users hear nothing');
    const [batch] = seenA;
    assert.equal(seenB[0], batch, 'every stream of the user gets the same batch object');
    assert.equal(batch!.events.length, 2);
    assert.equal(batch!.plain, true);
    const text =
      'event: changed\ndata: {"type":"changed","scope":"data","version":1}\n\n' +
      'event: changed\ndata: {"type":"changed","scope":"data","version":2}\n\n';
    assert.equal(batch!.frames.toString(), text);
    assert.equal(batch!.chunk.toString(), `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
    await events.stop();
  });

  it(
    'writes thousands of streams in slices, letting other work in between, each stream still getting every batch in order',
    { timeout: 60_000 },
    async () => {
      const events = new UserEvents(null);
      const STREAMS = 3000;
      const seen: number[][] = Array.from({ length: STREAMS }, () => []);
      let delivered = 0;
      let deliveredWhenOtherWorkRan = -1;
      for (let i = 0; i < STREAMS; i++)
        events.onUserBatch('ann', ({ events: batch }) => {
          if (delivered === 0) setImmediate(() => (deliveredWhenOtherWorkRan = delivered));
          // A slow stream (20 µs): the whole fan-out is far longer than one slice.
          const until = performance.now() + 0.02;
          while (performance.now() < until);
          for (const event of batch) seen[i]!.push(event.type === 'changed' ? (event.version ?? 0) : -1);
          delivered++;
        });
      events.publish('ann', { type: 'changed', scope: 'data', version: 1 });
      await nextTurn();
      // The next write comes while the first event is still being handed out.
      events.publish('ann', { type: 'changed', scope: 'data', version: 2 });
      while (delivered < 2 * STREAMS) await nextTurn();
      assert.ok(
        deliveredWhenOtherWorkRan > 0 && deliveredWhenOtherWorkRan < STREAMS,
        `other work ran after ${deliveredWhenOtherWorkRan} of ${STREAMS} streams`,
      );
      assert.ok(
        seen.every((versions) => versions.join() === '1,2'),
        'every stream got both events, in order',
      );
      await events.stop();
    },
  );

  it('marks batches with revocations so each stream checks them, and stops delivering after unsubscribe', async () => {
    const events = new UserEvents(null);
    const seen: EventBatch[] = [];
    const perEvent: string[] = [];
    const off = events.onUserBatch('ann', (batch) => seen.push(batch));
    events.onUser('ann', (event) => perEvent.push(event.type));
    events.publish('ann', { type: 'changed', scope: 'data' });
    events.publish('ann', { type: 'sessions-revoked', sessionIds: ['s1'] });
    await nextTurn();
    assert.equal(seen[0]!.plain, false);
    assert.deepEqual(perEvent, ['changed', 'sessions-revoked']);
    off();
    events.publish('ann', { type: 'changed', scope: 'data' });
    await nextTurn();
    assert.equal(seen.length, 1);
    assert.deepEqual(perEvent, ['changed', 'sessions-revoked', 'changed']);
    await events.stop();
  });
});
