import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SessionCache } from '../../src/auth/session-cache.js';
import type { SessionWithUser } from '../../src/auth/auth.repository.js';
import { UserEvents, type UserEvent } from '../../src/realtime/user-events.js';

const NOW = '2026-03-02T09:00:00.000Z';
const cached = (userId: string): SessionWithUser =>
  ({
    user: { id: userId, email: null, password_hash: null, is_guest: 1, role: 'learner', time_zone: 'UTC' },
    session: { id: `s-${userId}`, expires_at: NOW },
  }) as unknown as SessionWithUser;

describe('session cache', () => {
  it('keeps a session across data-only writes and drops it on anything that may touch the account', () => {
    const events = new UserEvents(null);
    const cache = new SessionCache(events);
    const t = Date.now();
    const cases: [UserEvent, 'kept' | 'dropped'][] = [
      [{ type: 'changed', method: 'PUT', path: '/api/v1/topics/dns/progress', scope: 'data' }, 'kept'],
      [
        { type: 'changed', method: 'PUT', path: '/api/v1/roadmaps/backend/plan', scope: 'account' },
        'dropped',
      ],
      [{ type: 'sync', reason: 'import' }, 'dropped'],
      [{ type: 'sessions-revoked', sessionIds: 'all' }, 'dropped'],
      [{ type: 'deleted' }, 'dropped'],
    ];
    for (const [event, expected] of cases) {
      cache.set('hash-ann', cached('ann'), t);
      cache.set('hash-bob', cached('bob'), t);
      events.publish('ann', event);
      assert.equal(cache.get('hash-ann', t) ? 'kept' : 'dropped', expected, JSON.stringify(event));
      assert.ok(cache.get('hash-bob', t), "another user's session is never affected");
    }
  });

  it('forgets entries after a minute even without an event', () => {
    const cache = new SessionCache(null);
    const t = Date.now();
    cache.set('hash', cached('ann'), t);
    assert.ok(cache.get('hash', t + 59_000));
    assert.equal(cache.get('hash', t + 61_000), undefined);
  });
});
