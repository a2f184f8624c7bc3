import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount } from '../../src/auth/auth.service.js';
import { createTestApp, dialects, ORIGIN, type TestApp } from '../helpers.js';
import { linkIn, MailSink } from '../mail-sink.js';
import { FormBrowser, textOf } from './web-helpers.js';

// The pages of emailed links without JavaScript (plain forms, 303 and flash messages), with a loopback
// SMTP sink. The browser test (axe in light and dark, the CSP) is in email-browser.test.ts.

const PASSWORD = 'correct horse battery';

for (const dialect of await dialects()) {
  describe(`email pages (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let sink: MailSink;
    let t: TestApp;
    before(async () => {
      sink = await MailSink.start();
      t = await createTestApp(dialect, { config: { mail: sink.config(ORIGIN) } });
    });
    after(async () => {
      await t?.close();
      await sink?.close();
    });

    it('the sign-up form says "check your inbox"; the link page asks first, then creates the account once', async () => {
      const browser = new FormBrowser(t.app);
      await browser.post('/roadmaps/backend/topics/dns/status', { status: 'done' });
      const signupPage = await browser.get('/signup');
      assert.doesNotMatch(signupPage.body, /data-api="POST \/api\/v1\/auth\/signup"/, 'a plain form post');
      const posted = await browser.post('/signup', {
        email: 'form@example.org',
        password: PASSWORD,
        return: '/',
      });
      assert.equal(posted.statusCode, 303);
      assert.equal(posted.headers.location, '/check-inbox');
      const inbox = await browser.get('/check-inbox');
      assert.match(textOf(inbox.body), /We sent a message to form@example\.org/);
      await t.app.mailer?.idle();
      const link = linkIn(sink.to('form@example.org').at(-1), '/email/confirm/');

      const opened = await browser.get(link);
      assert.equal(opened.statusCode, 200);
      assert.equal(opened.headers['cache-control'], 'no-store');
      assert.match(textOf(opened.body), /Create the account form@example\.org/);
      const openedTwice = await browser.get(link);
      assert.equal(openedTwice.statusCode, 200, 'opening the page (as a mail scanner does) uses nothing up');

      const confirmed = await browser.post(link, {});
      assert.equal(confirmed.statusCode, 303);
      assert.equal(confirmed.headers.location, '/');
      const home = await browser.get('/');
      assert.match(textOf(home.body), /Your account form@example\.org is ready/);
      const me = (await browser.api('GET', '/api/v1/me')).json() as { email: string; isGuest: boolean };
      assert.equal(me.email, 'form@example.org');
      const topic = (await browser.api('GET', '/api/v1/topics/dns')).json() as {
        progress: { status: string };
      };
      assert.equal(topic.progress.status, 'done', 'the guest progress came along');

      const gone = await new FormBrowser(t.app).get(link);
      assert.equal(gone.statusCode, 410);
      assert.match(textOf(gone.body), /does not work any more/);
      const goneAgain = await new FormBrowser(t.app).post(link, {});
      assert.equal(goneAgain.statusCode, 410);
    });

    it('forgot password and the reset page, with the message by the field for a weak password', async () => {
      await createAccount(t.app.authDeps, { email: 'pages@example.org', password: PASSWORD, admin: false });
      const login = await new FormBrowser(t.app).get('/login');
      assert.match(login.body, /href="\/password\/forgot"/);
      const browser = new FormBrowser(t.app);
      assert.equal((await browser.get('/password/forgot')).statusCode, 200);
      const asked = await browser.post('/password/forgot', { email: 'pages@example.org' });
      assert.equal(asked.statusCode, 303);
      assert.equal(asked.headers.location, '/check-inbox');
      assert.match(textOf((await browser.get('/check-inbox')).body), /If an account uses pages@example\.org/);
      const unknown = await new FormBrowser(t.app).post('/password/forgot', { email: 'ghost@example.org' });
      assert.equal(unknown.headers.location, '/check-inbox', 'the same answer for an unknown address');
      const bad = await new FormBrowser(t.app).post('/password/forgot', { email: 'not an address' });
      assert.equal(bad.statusCode, 400);
      await t.app.mailer?.idle();
      const link = linkIn(sink.to('pages@example.org').at(-1), '/password/reset/');
      assert.equal(sink.to('ghost@example.org').length, 0);

      const form = await browser.get(link);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="newPassword"/);
      const weak = await browser.post(link, { newPassword: 'short' });
      assert.equal(weak.statusCode, 400);
      assert.match(textOf(weak.body), /Choose a password of 8 to 256 characters/);
      const done = await browser.post(link, { newPassword: 'a new long passphrase' });
      assert.equal(done.statusCode, 303);
      assert.match(textOf((await browser.get('/')).body), /Your password is changed and you are signed in/);
      assert.equal(
        ((await browser.api('GET', '/api/v1/me')).json() as { email: string }).email,
        'pages@example.org',
      );
      assert.equal((await new FormBrowser(t.app).get(link)).statusCode, 410);
    });

    it('settings show an unverified address with a button that mails a link; the link verifies it', async () => {
      await createAccount(t.app.authDeps, {
        email: 'settings@example.org',
        password: PASSWORD,
        admin: false,
      });
      const browser = new FormBrowser(t.app);
      await browser.post('/login', {
        email: 'settings@example.org',
        password: PASSWORD,
        return: '/settings',
      });
      const before = await browser.get('/settings');
      assert.match(textOf(before.body), /Your email address is not verified yet/);
      const sent = await browser.post('/settings/email/verify', {});
      assert.equal(sent.statusCode, 303);
      assert.match(
        textOf((await browser.get('/settings')).body),
        /A link to verify settings@example\.org is on its way/,
      );
      await t.app.mailer?.idle();
      const link = linkIn(sink.to('settings@example.org').at(-1), '/email/confirm/');
      assert.match(
        textOf((await browser.get(link)).body),
        /Confirm that settings@example\.org is the address/,
      );
      const confirmed = await browser.post(link, {});
      assert.equal(confirmed.headers.location, '/settings#account');
      const after = await browser.get('/settings');
      assert.match(textOf(after.body), /settings@example\.org is verified/);
      assert.match(textOf(after.body), /Your email address is verified/);
    });
  });

  describe(`email pages without email (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('sign-up and log-in pages are as before; the forgot page says to ask the admin', async () => {
      const signup = await new FormBrowser(t.app).get('/signup');
      assert.match(signup.body, /data-api="POST \/api\/v1\/auth\/signup"/);
      const login = await new FormBrowser(t.app).get('/login');
      assert.doesNotMatch(login.body, /password\/forgot/);
      const forgot = await new FormBrowser(t.app).get('/password/forgot');
      assert.match(textOf(forgot.body), /waymark user reset-password/);
      const posted = await new FormBrowser(t.app).post('/password/forgot', { email: 'a@example.org' });
      assert.equal(posted.statusCode, 404);
    });
  });
}
