import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, type TestApp } from '../helpers.js';
import { FormBrowser, textOf } from './web-helpers.js';

// The no-JavaScript path: plain HTML forms post here, get a 303 back to a page with a flash message,
// or the same form again with the API's message next to the field.

const PASSWORD = 'correct horse battery';

async function signUp(browser: FormBrowser, email: string): Promise<void> {
  const response = await browser.post('/signup', { email, password: PASSWORD, return: '/' });
  assert.equal(response.statusCode, 303, response.body);
}

for (const dialect of await dialects()) {
  describe(`no-JS forms (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('a status button marks a topic, creates the guest, and comes back with a message', async () => {
      const browser = new FormBrowser(t.app);
      const response = await browser.post('/roadmaps/backend/topics/dns/status', { status: 'done' });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/roadmaps/backend/topics/dns');
      assert.ok(browser.cookies.has('waymark_session'), 'the first action created a guest session');
      const page = await browser.get('/roadmaps/backend/topics/dns');
      assert.match(textOf(page.body), /“DNS and domain names” is now marked done\./);
      assert.match(page.body, /value="done" class="status-button s-done" aria-pressed="true"/);
      assert.equal(browser.cookies.has('waymark_flash'), false, 'the message is shown once');
      const again = await browser.get('/roadmaps/backend/topics/dns');
      assert.doesNotMatch(textOf(again.body), /is now marked done/);
      const api = await browser.api('GET', '/api/v1/topics/dns');
      assert.equal((api.json() as { progress: { status: string } }).progress.status, 'done');
      const back = await browser.post('/roadmaps/backend/topics/http-basics/status', {
        status: 'learning',
        return: '/roadmaps/backend?view=list',
      });
      assert.equal(back.headers.location, '/roadmaps/backend?view=list');
      const evil = await browser.post('/roadmaps/backend/topics/http-basics/status', {
        status: 'learning',
        return: '//evil.example/',
      });
      assert.equal(evil.headers.location, '/roadmaps/backend/topics/http-basics', 'never redirects off-site');
    });

    it('the flash cookie follows the session cookie: HttpOnly, SameSite=Lax and Secure', async () => {
      const browser = new FormBrowser(t.app);
      const response = await browser.post('/roadmaps/backend/topics/dns/status', { status: 'learning' });
      const flash = response.cookies.find((c) => c.name === 'waymark_flash');
      const session = response.cookies.find((c) => c.name === 'waymark_session');
      assert.ok(flash && session, 'both cookies set');
      assert.deepEqual(
        { secure: flash.secure, httpOnly: flash.httpOnly, sameSite: flash.sameSite },
        { secure: true, httpOnly: true, sameSite: 'Lax' },
      );
      assert.equal(flash.secure, session.secure);
      const shown = await browser.get('/roadmaps/backend/topics/dns');
      const cleared = shown.cookies.find((c) => c.name === 'waymark_flash');
      assert.equal(cleared?.secure, true, 'the cookie is cleared with the same attributes');
    });

    it('a form posted from another site is refused by the Origin check (HTML page for browsers)', async () => {
      const evil = new FormBrowser(t.app, 'https://evil.example');
      const response = await evil.post('/roadmaps/backend/topics/dns/status', { status: 'done' });
      assert.equal(response.statusCode, 403);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(textOf(response.body), /Not allowed .*did not come from a Waymark page/);
      assert.equal(evil.cookies.has('waymark_session'), false, 'no guest was created');
      const noOrigin = new FormBrowser(t.app, null);
      assert.equal((await noOrigin.post('/login', { email: 'a@b.org', password: 'x' })).statusCode, 403);
      const invalid = await new FormBrowser(t.app).post('/roadmaps/backend/topics/dns/status', {
        status: 'finished',
      });
      assert.equal(invalid.statusCode, 400);
    });

    it('notes and key concepts save without JavaScript; a too-long note comes back with the message next to it', async () => {
      const browser = new FormBrowser(t.app);
      const saved = await browser.post('/roadmaps/backend/topics/dns/note', { note: 'TTL **matters**' });
      assert.equal(saved.statusCode, 303);
      const page = await browser.get('/roadmaps/backend/topics/dns');
      assert.match(page.body, /<strong>matters<\/strong>/);
      const item = t.content.topics.get('dns')?.checklist[0];
      assert.ok(item);
      const ticked = await browser.post('/roadmaps/backend/topics/dns/checklist', {
        item: item.id,
        done: '1',
      });
      assert.equal(ticked.statusCode, 303);
      const after = (await browser.get('/roadmaps/backend/topics/dns')).body;
      assert.match(after, new RegExp(`aria-pressed="true" data-item="${item.id}"`));
      assert.match(
        after,
        /value="learning" class="status-button s-learning" aria-pressed="true"/,
        'ticking moves a pending topic to learning',
      );
      const long = await browser.post('/roadmaps/backend/topics/dns/note', { note: 'x'.repeat(20_001) });
      assert.equal(long.statusCode, 400);
      assert.match(
        long.body,
        /<textarea id="note-text"[^>]*aria-invalid="true" aria-describedby="note-text-error[^"]*"/,
      );
      assert.match(
        long.body,
        /<p class="field-error" id="note-text-error">The note is 20001 characters long; the limit is 20000\.<\/p>/,
      );
    });

    it('sign-up shows problems next to the fields, keeps the email, never echoes the password, and keeps guest progress', async () => {
      const browser = new FormBrowser(t.app);
      await browser.post('/roadmaps/backend/topics/sql-basics/status', { status: 'done' });
      const bad = await browser.post('/signup', {
        email: 'not-an-email',
        password: 'secret-password-1',
        return: '/roadmaps/backend',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(
        bad.body,
        /<input id="signup-email" name="email" type="email" value="not-an-email"[^>]*aria-invalid="true" aria-describedby="signup-email-error"/,
      );
      assert.match(bad.body, /id="signup-email-error">Enter an email address such as ada@example.org\.</);
      assert.doesNotMatch(bad.body, /secret-password-1/);
      const short = await browser.post('/signup', {
        email: 'forms-signup@example.org',
        password: 'short',
        return: '/',
      });
      assert.match(short.body, /id="signup-password-error">Choose a password of 8 to 256 characters\.</);
      // Every mistake at once: an empty email and a short password are both shown.
      const both = await browser.post('/signup', { email: '', password: 'short', return: '/' });
      assert.equal(both.statusCode, 400);
      assert.match(both.body, /id="signup-email-error">Email must be an email address\.</);
      assert.match(both.body, /id="signup-password-error">Password must be 8–256 characters\.</);
      const ok = await browser.post('/signup', {
        email: 'forms-signup@example.org',
        password: PASSWORD,
        return: '/roadmaps/backend',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/roadmaps/backend');
      const me = (await browser.api('GET', '/api/v1/me')).json() as { email: string; isGuest: boolean };
      assert.deepEqual([me.email, me.isGuest], ['forms-signup@example.org', false]);
      const topic = (await browser.api('GET', '/api/v1/topics/sql-basics')).json() as {
        progress: { status: string };
      };
      assert.equal(topic.progress.status, 'done', 'guest progress kept');
      const taken = await new FormBrowser(t.app).post('/signup', {
        email: 'forms-signup@example.org',
        password: PASSWORD,
      });
      assert.equal(taken.statusCode, 409);
      assert.match(textOf(taken.body), /An account cannot be created with this email/);
    });

    it('after sign-up the home page confirms the new account (not "Welcome back", no "no sign-up needed")', async () => {
      const browser = new FormBrowser(t.app);
      await browser.post('/roadmaps/backend/topics/dns/status', { status: 'done' });
      const guestHome = textOf((await browser.get('/')).body);
      assert.match(guestHome, /no sign-up needed/);
      const created = await browser.post('/signup', {
        email: 'forms-welcome@example.org',
        password: PASSWORD,
        return: '/',
      });
      assert.equal(created.statusCode, 303);
      const home = textOf((await browser.get('/')).body);
      assert.match(home, /Your account is ready/);
      assert.match(home, /forms-welcome@example\.org/);
      assert.doesNotMatch(home, /Welcome back/);
      assert.doesNotMatch(home, /no sign-up needed/i);
      // Later visits welcome the learner back, still without inviting them to sign up.
      const later = textOf((await browser.get('/')).body);
      assert.match(later, /Welcome back/);
      assert.doesNotMatch(later, /no sign-up needed/i);
    });

    it('log-in merges a guest, log-out ends the session', async () => {
      const owner = new FormBrowser(t.app);
      await signUp(owner, 'forms-login@example.org');
      const other = new FormBrowser(t.app);
      await other.post('/roadmaps/backend/topics/redis/status', { status: 'learning' });
      const wrong = await other.post('/login', {
        email: 'forms-login@example.org',
        password: 'wrong password!',
        return: '/',
      });
      assert.equal(wrong.statusCode, 401);
      assert.match(
        wrong.body,
        /<p class="form-error" role="alert">The email or password is incorrect\.<\/p>/,
      );
      assert.match(wrong.body, /value="forms-login@example.org"/);
      const ok = await other.post('/login', {
        email: 'forms-login@example.org',
        password: PASSWORD,
        return: '/roadmaps/backend',
      });
      assert.equal(ok.statusCode, 303);
      assert.match(
        textOf((await other.get('/roadmaps/backend')).body),
        /Logged in\. What you did as a guest was added to your account\./,
      );
      const redis = (await owner.api('GET', '/api/v1/topics/redis')).json() as {
        progress: { status: string };
      };
      assert.equal(redis.progress.status, 'learning', 'the account sees what the guest did');
      const out = await other.post('/logout', {});
      assert.equal(out.statusCode, 303);
      assert.equal(other.cookies.has('waymark_session'), false);
      assert.equal((await other.api('GET', '/api/v1/me')).statusCode, 401);
    });

    it('the theme toggle works without JavaScript and is remembered', async () => {
      const browser = new FormBrowser(t.app);
      const response = await browser.post('/preferences/theme', { theme: 'dark', return: '/roadmaps' });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/roadmaps');
      assert.equal(browser.cookies.get('waymark_theme'), 'dark');
      assert.match((await browser.get('/roadmaps')).body, /<html lang="en" class="theme-dark">/);
      await browser.post('/preferences/theme', { theme: 'light' });
      assert.match((await browser.get('/')).body, /<html lang="en" class="theme-light">/);
      // Back to following the system: no cookie, no class, and the page says which choice is on.
      await browser.post('/preferences/theme', { theme: 'system' });
      assert.equal(browser.cookies.get('waymark_theme') ?? '', '');
      const system = (await browser.get('/')).body;
      assert.match(system, /<html lang="en">/);
      assert.match(
        system,
        /<button type="submit" name="theme" value="system" class="menu-item" aria-pressed="true">/,
      );
    });

    it('settings: password, tokens, sessions, import, reset and delete all work as forms', async () => {
      const browser = new FormBrowser(t.app);
      await signUp(browser, 'forms-settings@example.org');
      const page = await browser.get('/settings');
      assert.equal(page.statusCode, 200);
      for (const section of ['password', 'sessions', 'tokens', 'data', 'delete'])
        assert.match(page.body, new RegExp(`id="${section}"`), section);

      const wrongPassword = await browser.post('/settings/password', {
        currentPassword: 'nope nope nope',
        newPassword: 'another good password',
      });
      assert.equal(wrongPassword.statusCode, 400);
      assert.match(wrongPassword.body, /id="current-password-error">Your current password is not correct\.</);
      const changed = await browser.post('/settings/password', {
        currentPassword: PASSWORD,
        newPassword: 'another good password',
      });
      assert.equal(changed.statusCode, 303);

      const noName = await browser.post('/settings/tokens', { name: ' ', expiresInDays: '' });
      assert.equal(noName.statusCode, 400);
      assert.match(noName.body, /id="token-name-error">Give the token a name of 1 to 80 characters\.</);
      const created = await browser.post('/settings/tokens', { name: 'CI script', expiresInDays: '30' });
      assert.equal(created.statusCode, 200);
      assert.equal(created.headers['cache-control'], 'no-store');
      const secret = /<code id="token-secret-value">(wm_[^<]+)<\/code>/.exec(created.body)?.[1];
      assert.ok(secret, 'the secret is shown once');
      const viaToken = await t.app.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${secret}` },
      });
      assert.equal(viaToken.statusCode, 200);
      const tokenId = /data-token="([0-9a-f-]{36})"/.exec(created.body)?.[1];
      assert.ok(tokenId);
      assert.doesNotMatch((await browser.get('/settings')).body, new RegExp(secret), 'never shown again');
      assert.equal((await browser.post(`/settings/tokens/${tokenId}/revoke`, {})).statusCode, 303);
      assert.equal(
        (await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } }))
          .statusCode,
        401,
      );

      const laptop = new FormBrowser(t.app);
      await laptop.post('/login', { email: 'forms-settings@example.org', password: 'another good password' });
      const sessionId = [...(await browser.get('/settings')).body.matchAll(/data-session="([0-9a-f-]{36})"/g)]
        .map((m) => m[1])
        .find((id) => id);
      const sessions = [
        ...(await browser.get('/settings')).body.matchAll(
          /action="\/settings\/sessions\/([0-9a-f-]{36})\/revoke"/g,
        ),
      ].map((m) => m[1]);
      assert.ok(sessionId);
      assert.equal(sessions.length, 1, 'the other session can be revoked, this one is not offered');
      assert.equal((await browser.post(`/settings/sessions/${sessions[0]}/revoke`, {})).statusCode, 303);
      assert.equal((await laptop.api('GET', '/api/v1/me')).statusCode, 401, 'the laptop is signed out');

      await browser.post('/roadmaps/backend/topics/kafka/status', { status: 'done' });
      const exported = (await browser.api('GET', '/api/v1/me/export')).body;
      const notJson = await browser.post('/settings/import', { document: '{oops' });
      assert.equal(notJson.statusCode, 400);
      assert.match(
        notJson.body,
        /id="import-document-error">This is not a Waymark export: it is not valid JSON/,
      );
      const empty = await browser.post('/settings/import', { document: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(textOf(empty.body), /Choose the file you downloaded from “Download my data”/);
      const importer = new FormBrowser(t.app);
      const imported = await importer.post('/settings/import', { document: exported });
      assert.equal(imported.statusCode, 303, imported.body);
      const told = textOf((await importer.get('/settings')).body);
      assert.match(told, /Imported progress on \d+ topics?/, 'the result in words');
      assert.doesNotMatch(told, /\d+ progress, \d+ review/);

      const unconfirmed = await browser.post('/settings/reset', { roadmapId: 'backend' });
      assert.equal(unconfirmed.statusCode, 400);
      assert.match(textOf(unconfirmed.body), /Tick the box to confirm the reset/);
      assert.equal(
        (await browser.post('/settings/reset', { roadmapId: 'backend', confirm: 'yes' })).statusCode,
        303,
      );
      const kafka = (await browser.api('GET', '/api/v1/topics/kafka')).json() as {
        progress: { status: string };
      };
      assert.equal(kafka.progress.status, 'pending');

      const noPassword = await browser.post('/settings/delete', { confirm: 'yes', password: 'wrong' });
      assert.equal(noPassword.statusCode, 400);
      assert.match(
        noPassword.body,
        /id="delete-password-error">Enter your current password to confirm deleting your account\.</,
      );
      const deleted = await browser.post('/settings/delete', {
        confirm: 'yes',
        password: 'another good password',
      });
      assert.equal(deleted.statusCode, 303);
      assert.equal(deleted.headers.location, '/');
      assert.match(textOf((await browser.get('/')).body), /Your account and all of its data were deleted/);
      const gone = await new FormBrowser(t.app).post('/login', {
        email: 'forms-settings@example.org',
        password: 'another good password',
      });
      assert.equal(gone.statusCode, 401);
    });

    it('settings forms need a session: a visitor without one gets the log-in page prompt', async () => {
      const response = await new FormBrowser(t.app).post('/settings/password', {
        currentPassword: 'a',
        newPassword: 'b',
      });
      assert.equal(response.statusCode, 401);
      assert.match(textOf(response.body), /Please log in/);
    });
  });
}

describe('no-JS forms with WAYMARK_INSECURE_COOKIES (plain-HTTP development)', () => {
  it('drops Secure from the flash cookie exactly as from the session cookie', async () => {
    const [sqlite] = await dialects();
    const t = await createTestApp(sqlite!, { config: { secureCookies: false } });
    try {
      const response = await new FormBrowser(t.app).post('/roadmaps/backend/topics/dns/status', {
        status: 'learning',
      });
      const flash = response.cookies.find((c) => c.name === 'waymark_flash');
      const session = response.cookies.find((c) => c.name === 'waymark_session');
      assert.equal(session?.secure, undefined);
      assert.equal(flash?.secure, undefined);
    } finally {
      await t.close();
    }
  });
});
