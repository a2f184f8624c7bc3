import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

for (const dialect of await dialects()) {
  describe(`accounts and sessions (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('a first state-changing request creates a guest with an HttpOnly, Secure, SameSite=Lax session cookie', async () => {
      const browser = new Client(t.app);
      const res = await browser.put('/api/v1/topics/http-basics/progress', { status: 'done' });
      assert.equal(res.statusCode, 200);
      const cookie = res.cookies.find((c) => c.name === 'waymark_session');
      assert.ok(cookie, 'session cookie set');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.secure, true);
      assert.equal(cookie.sameSite, 'Lax');
      const me = json(await browser.get('/api/v1/me'));
      assert.equal(me.isGuest, true);
      assert.equal(me.email, null);
      // Only the token's hash is stored.
      const stored = await t.db.kysely.selectFrom('sessions').select('token_hash').execute();
      assert.ok(stored.every((s) => s.token_hash !== browser.cookie && /^[0-9a-f]{64}$/.test(s.token_hash)));
    });

    it('signing up from a guest session keeps the progress and issues a new session', async () => {
      const browser = new Client(t.app);
      await browser.put('/api/v1/topics/git-basics/progress', {
        status: 'learning',
        note: 'branching is next',
      });
      const guestCookie = browser.cookie;
      const res = await browser.signup('Ada@Example.org');
      assert.equal(res.statusCode, 201);
      assert.notEqual(browser.cookie, guestCookie, 'session rotated at sign-up');
      assert.equal(json<{ user: { email: string; isGuest: boolean } }>(res).user.email, 'ada@example.org');
      const topic = json<{ progress: { status: string; note: string } }>(
        await browser.get('/api/v1/topics/git-basics'),
      );
      assert.equal(topic.progress.status, 'learning');
      assert.equal(topic.progress.note, 'branching is next');
      // The old guest cookie no longer works once the handover window is over.
      t.clock.advance(11 * 60_000);
      const old = new Client(t.app);
      old.cookie = guestCookie;
      assert.equal((await old.get('/api/v1/me')).statusCode, 401);
    });

    it('a sign-up whose response is lost (the visitor navigated away) leaves the visitor signed in to the new account', async () => {
      const browser = new Client(t.app);
      await browser.put('/api/v1/topics/dns/progress', { status: 'done' });
      const guestCookie = browser.cookie;
      assert.ok(guestCookie);
      // The sign-up is sent with the guest cookie, but its answer (and its Set-Cookie) never arrives.
      const lost = new Client(t.app);
      lost.cookie = guestCookie;
      assert.equal((await lost.signup('lost.response@example.org')).statusCode, 201);
      // The browser still holds only the guest cookie: it signs in to the new account, not a guest or nobody.
      const me = await browser.get('/api/v1/me');
      assert.equal(me.statusCode, 200);
      const account = json<{ email: string | null; isGuest: boolean }>(me);
      assert.equal(account.email, 'lost.response@example.org');
      assert.equal(account.isGuest, false);
      assert.ok(browser.cookie && browser.cookie !== guestCookie, 'exchanged for a fresh session cookie');
      const topic = json<{ progress: { status: string } }>(await browser.get('/api/v1/topics/dns'));
      assert.equal(topic.progress.status, 'done', 'the guest progress is in the account');
      // The fresh cookie keeps working like any session; the replaced guest cookie was used up.
      t.clock.advance(60 * 60_000);
      assert.equal((await browser.get('/api/v1/me')).statusCode, 200);
      const replay = new Client(t.app);
      replay.cookie = guestCookie;
      assert.equal((await replay.get('/api/v1/me')).statusCode, 401);
      // The page route answers the same way as the API: the account's pages, not a guest's.
      const again = new Client(t.app);
      await again.put('/api/v1/topics/dns/progress', { status: 'learning' });
      const secondGuest = again.cookie;
      await Object.assign(new Client(t.app), { cookie: secondGuest }).signup('lost.page@example.org');
      const home = await again.get('/', { accept: 'text/html' });
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /lost\.page@example\.org/);
    });

    it('an unused replaced guest session stops signing in after the handover window, and is never renewed', async () => {
      const browser = new Client(t.app);
      await browser.put('/api/v1/topics/dns/progress', { status: 'done' });
      const guestCookie = browser.cookie;
      await Object.assign(new Client(t.app), { cookie: guestCookie }).signup('too.late@example.org');
      t.clock.advance(11 * 60_000);
      assert.equal((await browser.get('/api/v1/me')).statusCode, 401);
      // The account itself is intact: the password chosen at sign-up signs in.
      const login = await new Client(t.app).login('too.late@example.org');
      assert.equal(login.statusCode, 200);
    });

    it('logging in on another device shows the same progress; logout ends that session only', async () => {
      const laptop = new Client(t.app);
      await laptop.signup('grace@example.org');
      await laptop.put('/api/v1/topics/dns/progress', { status: 'done' });
      const phone = new Client(t.app);
      const login = await phone.login('GRACE@example.org');
      assert.equal(login.statusCode, 200);
      const progress = json<{ topics: { topicId: string; status: string }[] }>(
        await phone.get('/api/v1/roadmaps/backend/progress'),
      );
      assert.deepEqual(
        progress.topics.map((p) => [p.topicId, p.status]),
        [['dns', 'done']],
      );
      assert.equal((await phone.post('/api/v1/auth/logout')).statusCode, 204);
      assert.equal((await phone.get('/api/v1/me')).statusCode, 401);
      assert.equal((await laptop.get('/api/v1/me')).statusCode, 200);
    });

    it('logging in from a guest session merges its progress, newest change per topic winning', async () => {
      const owner = new Client(t.app);
      await owner.signup('merge@example.org');
      await owner.put('/api/v1/topics/sql-basics/progress', { status: 'learning' });
      t.clock.advance(60_000);
      await owner.put('/api/v1/topics/json/progress', { status: 'done' });
      t.clock.advance(60_000);
      const guest = new Client(t.app);
      await guest.put('/api/v1/topics/sql-basics/progress', { status: 'done' }); // newer than the account's
      await guest.put('/api/v1/topics/cookies/progress', { status: 'skipped' });
      const guestId = json<{ id: string }>(await guest.get('/api/v1/me')).id;
      t.clock.advance(60_000);
      await owner.put('/api/v1/topics/cookies/progress', { status: 'learning' }); // newer than the guest's
      const res = await guest.login('merge@example.org');
      assert.equal(json(res).merged, true);
      const rows = json<{ topics: { topicId: string; status: string }[] }>(
        await guest.get('/api/v1/roadmaps/backend/progress'),
      ).topics;
      const byId = Object.fromEntries(rows.map((r) => [r.topicId, r.status]));
      assert.deepEqual(byId, { 'sql-basics': 'done', json: 'done', cookies: 'learning' });
      const leftover = await t.db.kysely.selectFrom('users').select('id').where('id', '=', guestId).execute();
      assert.equal(leftover.length, 0, 'the merged guest is deleted');
    });

    it('wrong password and unknown email get the same answer', async () => {
      const c = new Client(t.app);
      await c.signup('same@example.org');
      const a = await new Client(t.app).login('same@example.org', 'wrong password!');
      const b = await new Client(t.app).login('nobody@example.org', 'wrong password!');
      assert.equal(a.statusCode, 401);
      assert.equal(b.statusCode, 401);
      assert.equal(json(a).detail, 'The email or password is incorrect.');
      assert.equal(
        a.cookies.find((c) => c.name === 'waymark_session'),
        undefined,
        'no session for a failed sign-in',
      );
      assert.deepEqual(
        { ...json<Record<string, unknown>>(a), instance: undefined },
        { ...json<Record<string, unknown>>(b), instance: undefined },
      );
      assert.match(a.headers['content-type'] as string, /application\/problem\+json/);
    });

    it('validates signup input with actionable problems', async () => {
      const bad = await new Client(t.app).signup('not-an-email');
      assert.equal(bad.statusCode, 400);
      assert.equal(json(bad).code, 'validation_failed');
      assert.match(String(json(bad).detail), /email/i);
      const short = await new Client(t.app).signup('short@example.org', '1234');
      assert.equal(short.statusCode, 400);
      assert.deepEqual(
        json<{ errors: { pointer: string }[] }>(short).errors.map((e) => e.pointer),
        ['/body/password'],
      );
      const missing = await new Client(t.app).post('/api/v1/auth/signup', { email: 'x@example.org' });
      assert.equal(missing.statusCode, 400);
      assert.equal(json<{ errors: { pointer: string }[] }>(missing).errors[0]?.pointer, '/body/password');
      const dup = await new Client(t.app).signup('grace@example.org');
      assert.equal(dup.statusCode, 409);
    });

    it('lists and revokes own sessions; cannot revoke someone else’s', async () => {
      const a1 = new Client(t.app);
      await a1.signup('sessions@example.org');
      const a2 = new Client(t.app);
      await a2.login('sessions@example.org');
      const list = json<{ sessions: { id: string; current: boolean }[] }>(
        await a1.get('/api/v1/me/sessions'),
      ).sessions;
      assert.equal(list.length, 2);
      assert.equal(list.filter((s) => s.current).length, 1);
      const other = list.find((s) => !s.current)!;
      const mallory = new Client(t.app);
      await mallory.signup('mallory@example.org');
      assert.equal((await mallory.delete(`/api/v1/me/sessions/${other.id}`)).statusCode, 404);
      assert.equal((await a2.get('/api/v1/me')).statusCode, 200);
      assert.equal((await a1.delete(`/api/v1/me/sessions/${other.id}`)).statusCode, 204);
      assert.equal((await a2.get('/api/v1/me')).statusCode, 401);
    });

    it('changing the password revokes the other sessions and needs the current one', async () => {
      const a = new Client(t.app);
      await a.signup('pw@example.org');
      const b = new Client(t.app);
      await b.login('pw@example.org');
      const wrong = await a.post('/api/v1/me/password', {
        currentPassword: 'nope nope',
        newPassword: 'a brand new secret',
      });
      assert.equal(wrong.statusCode, 400);
      assert.equal(json(wrong).detail, 'Your current password is not correct.');
      assert.equal(
        json<{ errors: { pointer: string }[] }>(wrong).errors[0]?.pointer,
        '/body/currentPassword',
      );
      // Nothing changed: the old password still works, the new one does not, and b is still signed in.
      assert.equal((await b.get('/api/v1/me')).statusCode, 200);
      assert.equal((await new Client(t.app).login('pw@example.org', 'a brand new secret')).statusCode, 401);
      assert.equal(
        (await new Client(t.app).login('pw@example.org', 'correct horse battery')).statusCode,
        200,
      );
      const ok = await a.post('/api/v1/me/password', {
        currentPassword: 'correct horse battery',
        newPassword: 'a brand new secret',
      });
      assert.equal(ok.statusCode, 204);
      assert.equal((await a.get('/api/v1/me')).statusCode, 200);
      assert.equal((await b.get('/api/v1/me')).statusCode, 401);
      assert.equal((await new Client(t.app).login('pw@example.org', 'a brand new secret')).statusCode, 200);
    });

    it('personal API tokens: shown once, stored hashed, usable as Bearer, revocable, private', async () => {
      const a = new Client(t.app);
      await a.signup('tokens@example.org');
      await a.put('/api/v1/topics/redis/progress', { status: 'done' });
      const created = await a.post('/api/v1/me/tokens', { name: 'my script' });
      assert.equal(created.statusCode, 201);
      const { secret, token } = json<{ secret: string; token: { id: string; prefix: string } }>(created);
      assert.match(secret, /^wm_/);
      assert.ok(secret.startsWith(token.prefix));
      const listed = json<{ tokens: Record<string, unknown>[] }>(await a.get('/api/v1/me/tokens')).tokens;
      assert.equal(listed.length, 1);
      assert.ok(!JSON.stringify(listed).includes(secret), 'the secret is never shown again');
      const stored = await t.db.kysely.selectFrom('api_tokens').select('token_hash').execute();
      assert.ok(stored.every((r) => r.token_hash !== secret));
      const viaToken = await t.app.inject({
        method: 'GET',
        url: '/api/v1/roadmaps/backend/progress',
        headers: { authorization: `Bearer ${secret}` },
      });
      assert.equal(viaToken.statusCode, 200);
      assert.equal(json<{ topics: unknown[] }>(viaToken).topics.length, 1);
      // Bearer requests need no Origin (no ambient credentials).
      const write = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/topics/nginx/progress',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ status: 'learning' }),
      });
      assert.equal(write.statusCode, 200);
      const other = new Client(t.app);
      await other.signup('tokens-other@example.org');
      assert.equal((await other.delete(`/api/v1/me/tokens/${token.id}`)).statusCode, 404);
      assert.equal((await a.delete(`/api/v1/me/tokens/${token.id}`)).statusCode, 204);
      const revoked = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${secret}` },
      });
      assert.equal(revoked.statusCode, 401);
    });

    it('guests cannot create API tokens', async () => {
      const guest = new Client(t.app);
      await guest.put('/api/v1/topics/dns/progress', { status: 'done' });
      const res = await guest.post('/api/v1/me/tokens', { name: 'x' });
      assert.equal(res.statusCode, 403);
      assert.equal(json(res).code, 'account_required');
    });

    it('deleting the account removes all of its data and needs the password', async () => {
      const a = new Client(t.app);
      await a.signup('delete-me@example.org');
      await a.put('/api/v1/topics/dns/progress', { status: 'done', note: 'secret note' });
      const me = json<{ id: string }>(await a.get('/api/v1/me'));
      const wrong = await a.delete('/api/v1/me', { password: 'wrong password' });
      assert.equal(wrong.statusCode, 400);
      assert.equal(json(wrong).detail, 'Enter your current password to confirm deleting your account.');
      // Nothing was deleted: the session still works and the note is still there.
      assert.equal(json<{ id: string }>(await a.get('/api/v1/me')).id, me.id);
      assert.equal(
        json<{ progress: { note: string } }>(await a.get('/api/v1/topics/dns')).progress.note,
        'secret note',
      );
      assert.equal((await a.delete('/api/v1/me', { password: 'correct horse battery' })).statusCode, 204);
      for (const table of ['progress', 'sessions', 'activity', 'api_tokens'] as const) {
        const rows = await t.db.kysely
          .selectFrom(table)
          .select('user_id')
          .where('user_id', '=', me.id)
          .execute();
        assert.equal(rows.length, 0, `${table} emptied`);
      }
      assert.equal((await new Client(t.app).login('delete-me@example.org')).statusCode, 401);
    });

    it('sessions slide: an active session is extended, an expired one is refused', async () => {
      const a = new Client(t.app);
      await a.signup('sliding@example.org');
      t.clock.advance(20 * 86_400_000);
      const res = await a.get('/api/v1/me');
      assert.equal(res.statusCode, 200);
      assert.ok(
        res.cookies.some((c) => c.name === 'waymark_session'),
        'cookie re-sent with a later expiry',
      );
      t.clock.advance(29 * 86_400_000);
      assert.equal((await a.get('/api/v1/me')).statusCode, 200);
      t.clock.advance(31 * 86_400_000);
      assert.equal((await a.get('/api/v1/me')).statusCode, 401);
    });
  });
}
