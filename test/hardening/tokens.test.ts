import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, ORIGIN, type TestApp } from '../helpers.js';
import { FormBrowser } from '../web/web-helpers.js';

async function withToken(
  t: TestApp,
  token: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  url: string,
  body?: unknown,
) {
  return t.app.inject({
    method,
    url,
    headers: {
      host: new URL(ORIGIN).host,
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

for (const dialect of await dialects()) {
  describe(`API token scopes (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('never lets a token manage credentials, whatever its scope', async () => {
      const owner = new Client(t.app);
      await owner.signup('scopes@example.org');
      const { secret } = json<{ secret: string }>(await owner.post('/api/v1/me/tokens', { name: 'full' }));
      const attempts = [
        await withToken(t, secret, 'POST', '/api/v1/me/tokens', { name: 'child' }),
        await withToken(t, secret, 'GET', '/api/v1/me/tokens'),
        await withToken(t, secret, 'GET', '/api/v1/me/sessions'),
        await withToken(t, secret, 'POST', '/api/v1/auth/logout', {}),
        await withToken(t, secret, 'POST', '/api/v1/me/password', {
          currentPassword: 'correct horse battery',
          newPassword: 'a whole new passphrase',
        }),
        await withToken(t, secret, 'DELETE', '/api/v1/me', { password: 'correct horse battery' }),
      ];
      for (const res of attempts) {
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(json(res).code, 'token_not_allowed');
      }
      assert.equal(
        (await owner.get('/api/v1/me/sessions')).statusCode,
        200,
        'the browser is still signed in',
      );
      const tokens = json<{ tokens: unknown[] }>(await owner.get('/api/v1/me/tokens')).tokens;
      assert.equal(tokens.length, 1, 'no token was created by the token');
      // Learning data is what a read-write token is for.
      const put = await withToken(t, secret, 'PUT', '/api/v1/topics/dns/progress', { status: 'done' });
      assert.equal(put.statusCode, 200);
    });

    it('a read-only token reads but cannot change anything', async () => {
      const owner = new Client(t.app);
      await owner.signup('reader@example.org');
      const created = json<{ secret: string; token: { scope: string } }>(
        await owner.post('/api/v1/me/tokens', { name: 'dashboard', scope: 'read' }),
      );
      assert.equal(created.token.scope, 'read');
      assert.equal(
        (await withToken(t, created.secret, 'GET', '/api/v1/roadmaps/backend/progress')).statusCode,
        200,
      );
      const put = await withToken(t, created.secret, 'PUT', '/api/v1/topics/dns/progress', {
        status: 'done',
      });
      assert.equal(put.statusCode, 403);
      assert.equal(json(put).code, 'token_read_only');
      const still = json<{ progress: { status: string } }>(await owner.get('/api/v1/topics/dns'));
      assert.equal(still.progress.status, 'pending');
    });

    it('a password change revokes tokens and calendar feeds by default, or keeps them when asked', async () => {
      const owner = new Client(t.app);
      await owner.signup('rotate@example.org');
      await owner.put('/api/v1/roadmaps/backend/plan', {});
      const token = json<{ secret: string }>(await owner.post('/api/v1/me/tokens', { name: 'a' })).secret;
      const feed = new URL(json<{ url: string }>(await owner.post('/api/v1/roadmaps/backend/plan/feed')).url)
        .pathname;
      assert.equal((await t.app.inject(feed)).statusCode, 200);
      const kept = await owner.post('/api/v1/me/password', {
        currentPassword: 'correct horse battery',
        newPassword: 'second passphrase here',
        keepApiTokens: true,
      });
      assert.equal(kept.statusCode, 204);
      assert.equal((await withToken(t, token, 'GET', '/api/v1/me')).statusCode, 200);
      assert.equal((await t.app.inject(feed)).statusCode, 200);
      const changed = await owner.post('/api/v1/me/password', {
        currentPassword: 'second passphrase here',
        newPassword: 'third passphrase here',
      });
      assert.equal(changed.statusCode, 204);
      assert.equal((await withToken(t, token, 'GET', '/api/v1/me')).statusCode, 401);
      assert.equal((await t.app.inject(feed)).statusCode, 404);
    });

    it('revoking a token revokes the tokens it created before tokens lost that power', async () => {
      const owner = new Client(t.app);
      await owner.signup('family@example.org');
      const parent = json<{ token: { id: string } }>(
        await owner.post('/api/v1/me/tokens', { name: 'parent' }),
      );
      const child = json<{ token: { id: string }; secret: string }>(
        await owner.post('/api/v1/me/tokens', { name: 'child' }),
      );
      // As an older release would have recorded a token made with the parent token:
      await t.db.kysely
        .updateTable('api_tokens')
        .set({ created_by_token: parent.token.id })
        .where('id', '=', child.token.id)
        .execute();
      assert.equal((await owner.delete(`/api/v1/me/tokens/${parent.token.id}`)).statusCode, 204);
      assert.equal((await withToken(t, child.secret, 'GET', '/api/v1/me')).statusCode, 401);
    });

    it('the settings page offers the scope choice', async () => {
      const browser = new FormBrowser(t.app);
      await browser.post('/signup', { email: 'ui-scope@example.org', password: 'correct horse battery' });
      const page = await browser.get('/settings');
      assert.match(page.body, /<select id="token-scope" name="scope"/);
      const created = await browser.post('/settings/tokens', { name: 'from the form', scope: 'read' });
      assert.equal(created.statusCode, 200);
      const cookie = browser.cookies.get('waymark_session')!;
      const list = await t.app.inject({
        url: '/api/v1/me/tokens',
        headers: { cookie: `waymark_session=${cookie}` },
      });
      assert.equal(json<{ tokens: { scope: string }[] }>(list).tokens[0]?.scope, 'read');
    });
  });
}

describe('the settings password form', () => {
  it('revokes API tokens by default and keeps them when the box is ticked', async () => {
    const [sqlite] = await dialects();
    const t = await createTestApp(sqlite!);
    try {
      const browser = new FormBrowser(t.app);
      await browser.post('/signup', { email: 'form-pw@example.org', password: 'correct horse battery' });
      assert.match((await browser.get('/settings')).body, /name="keepApiTokens"/);
      const session = () => ({ cookie: `waymark_session=${browser.cookies.get('waymark_session')}` });
      const mint = async () =>
        json<{ secret: string }>(
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/me/tokens',
            headers: {
              ...session(),
              origin: ORIGIN,
              host: new URL(ORIGIN).host,
              'content-type': 'application/json',
            },
            payload: JSON.stringify({ name: 'x' }),
          }),
        ).secret;
      const kept = await mint();
      await browser.post('/settings/password', {
        currentPassword: 'correct horse battery',
        newPassword: 'another long passphrase',
        keepApiTokens: 'true',
      });
      assert.equal((await withToken(t, kept, 'GET', '/api/v1/me')).statusCode, 200);
      await browser.post('/settings/password', {
        currentPassword: 'another long passphrase',
        newPassword: 'yet another passphrase',
      });
      assert.equal((await withToken(t, kept, 'GET', '/api/v1/me')).statusCode, 401);
    } finally {
      await t.close();
    }
  });
});
