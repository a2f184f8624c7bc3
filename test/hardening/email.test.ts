import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount } from '../../src/auth/auth.service.js';
import { purgeOnce } from '../../src/maintenance/purge.job.js';
import { createGuest } from '../../src/auth/session.service.js';
import { Client, createTestApp, dialects, json, ORIGIN, type TestApp } from '../helpers.js';
import { brokenSmtp, linkIn, MailSink } from '../mail-sink.js';

// Issue 14, item 10: email the way users expect it. Every test here talks to a local SMTP sink on
// loopback; `app.mailer.idle()` waits (bounded by the mailer's own timeouts) until queued mail went
// out, so nothing depends on timing.

const PASSWORD = 'correct horse battery';
const HOUR = 3_600_000;

async function idle(t: TestApp): Promise<void> {
  await t.app.mailer?.idle();
}

/** The secret at the end of a link path. */
function secretOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

for (const dialect of await dialects()) {
  describe(`email (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
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

    it('sign-up answers 202 and creates nothing until the emailed link is opened; the link works once and keeps guest progress', async () => {
      const browser = new Client(t.app);
      await browser.put('/api/v1/topics/git-basics/progress', { status: 'learning', note: 'branches next' });
      const res = await browser.signup('New@Example.org');
      assert.equal(res.statusCode, 202);
      assert.equal(json(res).status, 'check-inbox');
      assert.equal(json(res).email, 'new@example.org');
      assert.equal(json(await browser.get('/api/v1/me')).isGuest, true, 'still a guest until the link');
      assert.equal((await new Client(t.app).login('new@example.org')).statusCode, 401, 'no account yet');
      await idle(t);
      const mail = sink.to('new@example.org').at(-1);
      assert.equal(mail?.subject, 'Finish creating your Waymark account');
      const link = linkIn(mail, '/email/confirm/');
      assert.ok(mail?.body.includes(`${ORIGIN}${link}`), 'the link is built from the public URL');
      const stored = await t.db.kysely.selectFrom('email_tokens').select('token_hash').execute();
      assert.ok(
        stored.every((row) => row.token_hash !== secretOf(link)),
        'only a hash is stored',
      );

      // Opened on another device (a phone's mail app): the account is made from the guest, signed in there.
      const phone = new Client(t.app);
      const confirmed = await phone.post('/api/v1/auth/email/confirm', { token: secretOf(link) });
      assert.equal(confirmed.statusCode, 200);
      assert.equal(json(confirmed).outcome, 'account-created');
      const me = json(await phone.get('/api/v1/me'));
      assert.equal(me.email, 'new@example.org');
      assert.equal(me.isGuest, false);
      assert.equal(me.emailVerified, true);
      const topic = json<{ progress: { status: string; note: string } }>(
        await phone.get('/api/v1/topics/git-basics'),
      );
      assert.equal(topic.progress.status, 'learning');
      assert.equal(topic.progress.note, 'branches next');
      assert.equal(
        (await new Client(t.app).login('new@example.org')).statusCode,
        200,
        'the chosen password works',
      );

      const again = await new Client(t.app).post('/api/v1/auth/email/confirm', { token: secretOf(link) });
      assert.equal(again.statusCode, 400);
      assert.equal(json(again).code, 'link_invalid');
    });

    it('sign-up gives the same answer for a registered address; its owner is told, nothing changes', async () => {
      await createAccount(t.app.authDeps, { email: 'taken@example.org', password: PASSWORD, admin: false });
      await idle(t);
      sink.clear();
      const forNew = await new Client(t.app).signup('free@example.org', 'another long password');
      const forTaken = await new Client(t.app).signup('taken@example.org', 'another long password');
      assert.equal(forTaken.statusCode, forNew.statusCode);
      assert.equal(forTaken.statusCode, 202);
      assert.deepEqual(Object.keys(json(forTaken)).sort(), Object.keys(json(forNew)).sort());
      assert.equal(
        json<{ detail: string }>(forTaken).detail.replace('taken@', 'x@'),
        json<{ detail: string }>(forNew).detail.replace('free@', 'x@'),
      );
      assert.equal(forTaken.headers['set-cookie'], forNew.headers['set-cookie']);
      await idle(t);
      const notice = sink.to('taken@example.org');
      assert.equal(notice.length, 1);
      assert.equal(notice[0]?.subject, 'Someone tried to sign up with your address');
      assert.ok(notice[0]?.body.includes(`${ORIGIN}/password/forgot`));
      assert.ok(!notice[0]?.body.includes('/email/confirm/'), 'no link that could change the account');
      assert.equal(
        (await new Client(t.app).login('taken@example.org')).statusCode,
        200,
        'old password still works',
      );
      assert.equal(
        (await new Client(t.app).login('taken@example.org', 'another long password')).statusCode,
        401,
      );
    });

    it('a verification link verifies once and expires after a day; resends are limited', async () => {
      await createAccount(t.app.authDeps, { email: 'verify@example.org', password: PASSWORD, admin: false });
      const user = new Client(t.app);
      await user.login('verify@example.org');
      assert.equal(json(await user.get('/api/v1/me')).emailVerified, false);
      await idle(t);
      sink.clear();
      assert.equal((await user.post('/api/v1/me/email/verification')).statusCode, 202);
      await idle(t);
      const expired = linkIn(sink.to('verify@example.org').at(-1), '/email/confirm/');
      t.clock.advance(25 * HOUR);
      const late = await new Client(t.app).post('/api/v1/auth/email/confirm', { token: secretOf(expired) });
      assert.equal(late.statusCode, 400);
      assert.equal(json(late).code, 'link_invalid');

      await user.login('verify@example.org');
      assert.equal((await user.post('/api/v1/me/email/verification')).statusCode, 202);
      await idle(t);
      const fresh = linkIn(sink.to('verify@example.org').at(-1), '/email/confirm/');
      const ok = await new Client(t.app).post('/api/v1/auth/email/confirm', { token: secretOf(fresh) });
      assert.equal(ok.statusCode, 200);
      assert.equal(json(ok).outcome, 'email-verified');
      assert.equal(json(await user.get('/api/v1/me')).emailVerified, true);
      const twice = await new Client(t.app).post('/api/v1/auth/email/confirm', { token: secretOf(fresh) });
      assert.equal(json(twice).code, 'link_invalid');
      const already = await user.post('/api/v1/me/email/verification');
      assert.equal(already.statusCode, 409);
      assert.equal(json(already).code, 'already_verified');

      await createAccount(t.app.authDeps, { email: 'often@example.org', password: PASSWORD, admin: false });
      const often = new Client(t.app);
      await often.login('often@example.org');
      for (let i = 0; i < 3; i++)
        assert.equal((await often.post('/api/v1/me/email/verification')).statusCode, 202);
      const limited = await often.post('/api/v1/me/email/verification');
      assert.equal(limited.statusCode, 429);
      assert.equal(json(limited).code, 'too_many_emails');
      assert.ok(Number(limited.headers['retry-after']) > 0);
    });

    it('forgot password: the same answer for a known and an unknown address, mail only to the known one', async () => {
      await createAccount(t.app.authDeps, { email: 'forgot@example.org', password: PASSWORD, admin: false });
      await idle(t);
      sink.clear();
      const known = await new Client(t.app).post('/api/v1/auth/password/forgot', {
        email: 'Forgot@example.org',
      });
      const unknown = await new Client(t.app).post('/api/v1/auth/password/forgot', {
        email: 'nobody@example.org',
      });
      assert.equal(known.statusCode, 202);
      assert.equal(unknown.statusCode, 202);
      assert.equal(
        json<{ detail: string }>(known).detail.replace('forgot@', 'x@'),
        json<{ detail: string }>(unknown).detail.replace('nobody@', 'x@'),
      );
      await idle(t);
      assert.equal(sink.to('nobody@example.org').length, 0);
      assert.deepEqual(
        sink.messages.map((mail) => [mail.to, mail.subject]),
        [[['forgot@example.org'], 'Reset your Waymark password']],
      );
    });

    it('a reset link sets the password once, signs every session out, revokes tokens and sends a notice; an expired one is refused', async () => {
      await createAccount(t.app.authDeps, { email: 'reset@example.org', password: PASSWORD, admin: false });
      const laptop = new Client(t.app);
      await laptop.login('reset@example.org');
      const created = await laptop.post('/api/v1/me/tokens', { name: 'script' });
      const apiToken = json<{ secret: string }>(created).secret;
      await idle(t);
      sink.clear();
      await new Client(t.app).post('/api/v1/auth/password/forgot', { email: 'reset@example.org' });
      await idle(t);
      const link = linkIn(sink.to('reset@example.org').at(-1), '/password/reset/');

      const short = await new Client(t.app).post('/api/v1/auth/password/reset', {
        token: secretOf(link),
        newPassword: 'short',
      });
      assert.equal(short.statusCode, 400);
      assert.equal(json(short).code, 'validation_failed', 'a weak password does not use the link up');

      const phone = new Client(t.app);
      const reset = await phone.post('/api/v1/auth/password/reset', {
        token: secretOf(link),
        newPassword: 'a brand new passphrase',
      });
      assert.equal(reset.statusCode, 200);
      assert.equal(
        json(await phone.get('/api/v1/me')).email,
        'reset@example.org',
        'this browser is signed in',
      );
      assert.equal((await laptop.get('/api/v1/me')).statusCode, 401, 'other sessions are signed out');
      const byToken = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${apiToken}` },
      });
      assert.equal(byToken.statusCode, 401, 'API tokens are revoked, as at a password change');
      assert.equal((await new Client(t.app).login('reset@example.org')).statusCode, 401);
      assert.equal(
        (await new Client(t.app).login('reset@example.org', 'a brand new passphrase')).statusCode,
        200,
      );
      const reused = await new Client(t.app).post('/api/v1/auth/password/reset', {
        token: secretOf(link),
        newPassword: 'yet another passphrase',
      });
      assert.equal(json(reused).code, 'link_invalid');
      await idle(t);
      assert.equal(sink.to('reset@example.org').at(-1)?.subject, 'Your Waymark password was changed');

      await new Client(t.app).post('/api/v1/auth/password/forgot', { email: 'reset@example.org' });
      await idle(t);
      const stale = linkIn(sink.to('reset@example.org').at(-1), '/password/reset/');
      t.clock.advance(HOUR + 60_000);
      const expired = await new Client(t.app).post('/api/v1/auth/password/reset', {
        token: secretOf(stale),
        newPassword: 'yet another passphrase',
      });
      assert.equal(expired.statusCode, 400);
      assert.equal(json(expired).code, 'link_invalid');
    });

    it('forgot password sends at most 3 links an hour to one account, with the same answer', async () => {
      await createAccount(t.app.authDeps, { email: 'many@example.org', password: PASSWORD, admin: false });
      await idle(t);
      sink.clear();
      for (let i = 0; i < 5; i++) {
        const res = await new Client(t.app).post('/api/v1/auth/password/forgot', {
          email: 'many@example.org',
        });
        assert.equal(res.statusCode, 202);
      }
      await idle(t);
      assert.equal(sink.to('many@example.org').length, 3);
    });

    it('a password change mails a notice to the account', async () => {
      await createAccount(t.app.authDeps, { email: 'change@example.org', password: PASSWORD, admin: false });
      const user = new Client(t.app);
      await user.login('change@example.org');
      await idle(t);
      sink.clear();
      const res = await user.post('/api/v1/me/password', {
        currentPassword: PASSWORD,
        newPassword: 'another long passphrase',
      });
      assert.equal(res.statusCode, 204);
      await idle(t);
      const notice = sink.to('change@example.org');
      assert.equal(notice.length, 1);
      assert.equal(notice[0]?.subject, 'Your Waymark password was changed');
      assert.ok(notice[0]?.body.includes(`${ORIGIN}/password/forgot`));
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /waymark_emails_total\{kind="password-changed",result="sent"\} [1-9]/);
    });

    it('the purge keeps a guest waiting for its sign-up link, and drops it and the link once the link expired', async () => {
      await idle(t);
      sink.clear();
      // A guest with nothing stored, last seen two days ago: the purge would take it now, but it asks to sign up.
      const guest = await createGuest(t.app.authDeps, { userAgent: 'test', ip: '127.0.0.1' });
      t.clock.advance(2 * 24 * HOUR);
      const browser = new Client(t.app);
      browser.cookie = guest.token;
      assert.equal((await browser.signup('waiting@example.org')).statusCode, 202);
      const exists = async () =>
        (await t.db.kysely.selectFrom('users').select('id').where('id', '=', guest.user.id).execute()).length;
      await purgeOnce(t.db, t.clock, { guestRetentionDays: 30 });
      assert.equal(await exists(), 1, 'kept while the link is valid');
      await idle(t);
      const link = linkIn(sink.to('waiting@example.org').at(-1), '/email/confirm/');
      t.clock.advance(25 * HOUR);
      await purgeOnce(t.db, t.clock, { guestRetentionDays: 30 });
      assert.equal(await exists(), 0, 'purged once the link expired');
      const late = await new Client(t.app).post('/api/v1/auth/email/confirm', { token: secretOf(link) });
      assert.equal(json(late).code, 'link_invalid');
    });

    it('account deletion removes its emailed links', async () => {
      await createAccount(t.app.authDeps, { email: 'gone@example.org', password: PASSWORD, admin: false });
      const user = new Client(t.app);
      await user.login('gone@example.org');
      await user.post('/api/v1/me/email/verification');
      const me = json<{ id: string }>(await user.get('/api/v1/me'));
      assert.equal((await user.delete('/api/v1/me', { password: PASSWORD })).statusCode, 204);
      const left = await t.db.kysely
        .selectFrom('email_tokens')
        .select('token_hash')
        .where('user_id', '=', me.id)
        .execute();
      assert.deepEqual(left, []);
      const exported = await t.db.kysely
        .selectFrom('email_tokens')
        .select('email')
        .where('email', '=', 'gone@example.org')
        .execute();
      assert.deepEqual(exported, []);
    });
  });

  describe(`email with a broken SMTP server (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    for (const kind of ['refused', 'silent'] as const) {
      it(`an SMTP server that is ${kind === 'refused' ? 'down' : 'hung'} fails no request; the link stays valid`, async () => {
        const smtp = await brokenSmtp(kind);
        const t = await createTestApp(dialect, {
          config: {
            mail: { smtpUrl: smtp.url, from: 'no-reply@waymark.test', publicUrl: ORIGIN, timeoutMs: 1000 },
          },
        });
        try {
          const browser = new Client(t.app);
          const res = await browser.signup('patient@example.org');
          assert.equal(res.statusCode, 202);
          const forgot = await new Client(t.app).post('/api/v1/auth/password/forgot', {
            email: 'patient@example.org',
          });
          assert.equal(forgot.statusCode, 202);
          await t.app.mailer?.idle();
          const pending = await t.db.kysely
            .selectFrom('email_tokens')
            .select(['purpose', 'used_at'])
            .where('email', '=', 'patient@example.org')
            .execute();
          assert.deepEqual(pending, [{ purpose: 'signup', used_at: null }]);
          assert.equal((await browser.get('/api/v1/roadmaps')).statusCode, 200, 'the server still answers');
          const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
          assert.match(metrics.body, /waymark_emails_total\{kind="signup",result="failed"\} 1/);
        } finally {
          await t.close();
          await smtp.close();
        }
      });
    }
  });

  describe(`without email (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('sign-up works as before and the email operations say email is not set up', async () => {
      const first = await new Client(t.app).signup('plain@example.org');
      assert.equal(first.statusCode, 201);
      assert.equal(json<{ user: { emailVerified: boolean } }>(first).user.emailVerified, false);
      const second = await new Client(t.app).signup('plain@example.org');
      assert.equal(second.statusCode, 409);
      assert.equal(json(second).code, 'email_unavailable');
      const forgot = await new Client(t.app).post('/api/v1/auth/password/forgot', {
        email: 'plain@example.org',
      });
      assert.equal(forgot.statusCode, 404);
      assert.equal(json(forgot).code, 'email_not_configured');
      assert.equal(t.app.mailer, null);
    });
  });
}
