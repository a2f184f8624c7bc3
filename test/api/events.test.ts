import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStream } from './event-stream.js';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

const cookieOf = (client: Client) => ({ cookie: `waymark_session=${client.cookie}` });

for (const dialect of await dialects()) {
  describe(`live event stream (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    let base: string;
    before(async () => {
      t = await createTestApp(dialect);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
    });
    after(async () => {
      await t?.close();
    });

    /** One account signed in twice: two sessions, as two devices would be. */
    async function twoSessions(email: string): Promise<[Client, Client]> {
      const first = new Client(t.app);
      await first.signup(email);
      const second = new Client(t.app);
      await second.login(email);
      return [first, second];
    }

    it(
      'a change in one session reaches the stream of another session, with the data version',
      { timeout: 20_000 },
      async () => {
        const [laptop, phone] = await twoSessions('events-change@example.org');
        const stream = await openStream(base, cookieOf(laptop));
        assert.equal((await phone.put('/api/v1/topics/dns/progress', { status: 'done' })).statusCode, 200);
        const changed = await stream.next('changed');
        assert.equal(changed.scope, 'data');
        // SQLite (and any dialect with Redis) keeps shared versions; PostgreSQL without Redis has none to report.
        assert.equal(typeof changed.version, dialect.name === 'sqlite' ? 'number' : 'object');
        assert.equal(
          (await phone.put('/api/v1/topics/dns/progress', { status: 'learning' })).statusCode,
          200,
        );
        await stream.cancel();
      },
    );

    it('logging out closes the stream the session opened', { timeout: 20_000 }, async () => {
      const [laptop] = await twoSessions('events-logout@example.org');
      const stream = await openStream(base, cookieOf(laptop));
      assert.equal((await laptop.post('/api/v1/auth/logout')).statusCode, 204);
      assert.equal(await stream.ended, 'session ended');
    });

    it(
      'revoking the session from another device closes its stream, and only its stream',
      { timeout: 20_000 },
      async () => {
        const [laptop, phone] = await twoSessions('events-revoke@example.org');
        const laptopStream = await openStream(base, cookieOf(laptop));
        const phoneStream = await openStream(base, cookieOf(phone));
        const sessions = json<{ sessions: { id: string; current: boolean }[] }>(
          await phone.get('/api/v1/me/sessions'),
        );
        const laptopSession = sessions.sessions.find((s) => !s.current)!;
        assert.equal((await phone.delete(`/api/v1/me/sessions/${laptopSession.id}`)).statusCode, 204);
        assert.equal(await laptopStream.ended, 'session ended');
        // The phone's stream is still open and still receives changes.
        await phone.put('/api/v1/topics/dns/progress', { status: 'done' });
        assert.equal((await phoneStream.next('changed')).scope, 'data');
        await phoneStream.cancel();
      },
    );

    it('changing the password closes the streams', { timeout: 20_000 }, async () => {
      const [laptop, phone] = await twoSessions('events-password@example.org');
      const stream = await openStream(base, cookieOf(laptop));
      const changed = await phone.post('/api/v1/me/password', {
        currentPassword: 'correct horse battery',
        newPassword: 'a brand new passphrase',
      });
      assert.equal(changed.statusCode, 204);
      assert.equal(await stream.ended, 'password changed');
    });

    it('revoking the API token that opened a stream closes it', { timeout: 20_000 }, async () => {
      const [laptop] = await twoSessions('events-token@example.org');
      const created = json<{ token: { id: string }; secret: string }>(
        await laptop.post('/api/v1/me/tokens', { name: 'dashboard script' }),
      );
      const stream = await openStream(base, { authorization: `Bearer ${created.secret}` });
      assert.equal((await laptop.delete(`/api/v1/me/tokens/${created.token.id}`)).statusCode, 204);
      assert.equal(await stream.ended, 'API token revoked');
      const refused = await fetch(`${base}/api/v1/events`, {
        headers: { authorization: `Bearer ${created.secret}` },
      });
      assert.equal(refused.status, 401);
    });

    it('deleting the account closes its streams', { timeout: 20_000 }, async () => {
      const [laptop, phone] = await twoSessions('events-delete@example.org');
      const stream = await openStream(base, cookieOf(laptop));
      const deleted = await phone.delete('/api/v1/me', { password: 'correct horse battery' });
      assert.equal(deleted.statusCode, 204);
      assert.equal(await stream.ended, 'account deleted');
    });
  });
}
