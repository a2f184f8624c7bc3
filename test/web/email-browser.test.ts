import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { createAccount } from '../../src/auth/auth.service.js';
import type { TestApp } from '../helpers.js';
import { linkIn, MailSink } from '../mail-sink.js';
import { ensureWebAssets, launchChromium, CHROMIUM_PATH } from './chromium.js';
import { startWebServer } from './web-server.js';
import { axeViolations } from './axe.js';

// The email pages in Chromium with a loopback SMTP sink: axe-core finds no serious or critical
// violation on any of them in light and dark mode, and none breaks the Content-Security-Policy.

const PASSWORD = 'correct horse battery';

let skip: string | false = false;
if (!existsSync(CHROMIUM_PATH)) {
  const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.log(`# SKIPPED browser tests: ${reason}`);
  skip = reason;
}

describe('email pages in Chromium', { skip, timeout: 300_000 }, () => {
  let sink: MailSink;
  let server: TestApp & { url: string };
  let browser: Browser;
  const url = (path: string) => server.url + path;

  before(async () => {
    await ensureWebAssets();
    sink = await MailSink.start();
    // Links are read from the sink as paths and opened on this server, so the public URL is nominal.
    server = await startWebServer({ mail: sink.config('http://localhost') });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await sink?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`every email page in ${scheme} mode: axe finds nothing serious, the CSP is never violated`, async () => {
      // axe is injected as a script tag, which the strict CSP would block: this context ignores CSP.
      const axeContext = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
      // A second context keeps the CSP and only watches for violations and script errors.
      const cspContext = await browser.newContext({ colorScheme: scheme });
      const failures: string[] = [];
      const violations: string[] = [];
      try {
        const page = await axeContext.newPage();
        const watcher = await cspContext.newPage();
        await watcher.addInitScript(() =>
          document.addEventListener('securitypolicyviolation', (event) =>
            console.error(`Content Security Policy: ${event.violatedDirective} blocked ${event.blockedURI}`),
          ),
        );
        watcher.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text()))
            violations.push(`${watcher.url()}: ${message.text()}`);
        });
        watcher.on('pageerror', (error) =>
          violations.push(`${watcher.url()}: script error ${error.message}`),
        );
        const visit = async (name: string, path: string, status = 200) => {
          const response = await page.goto(url(path));
          assert.equal(response?.status(), status, path);
          for (const failure of await axeViolations(page)) failures.push(`${name} [${scheme}]: ${failure}`);
          await watcher.goto(url(path));
          await watcher.waitForLoadState('networkidle');
        };

        const newcomer = `new-${scheme}@example.org`;
        await visit('sign up (email on)', '/signup');
        await page.fill('#signup-email', newcomer);
        await page.fill('#signup-password', PASSWORD);
        await Promise.all([
          page.waitForURL(url('/check-inbox')),
          page.click('form[action="/signup"] button[type="submit"]'),
        ]);
        for (const failure of await axeViolations(page))
          failures.push(`check your inbox (with message) [${scheme}]: ${failure}`);
        await visit('check your inbox', '/check-inbox');
        await server.app.mailer?.idle();
        const confirm = linkIn(sink.to(newcomer).at(-1), '/email/confirm/');
        await visit('finish creating your account', confirm);
        await Promise.all([
          page.waitForURL(url('/')),
          page.click('form[action^="/email/confirm/"] button[type="submit"]'),
        ]);
        assert.match(
          (await page.textContent('main')) ?? '',
          /Your account is ready.*new-(light|dark)@example\.org/,
        );
        await visit('used link', confirm, 410);

        await page.context().clearCookies();
        await visit('log in (forgot link)', '/login');
        await visit('forgot password', '/password/forgot');
        const owner = `owner-${scheme}@example.org`;
        await createAccount(server.app.authDeps, { email: owner, password: PASSWORD, admin: false });
        await page.fill('#forgot-email', owner);
        await Promise.all([
          page.waitForURL(url('/check-inbox')),
          page.click('form[action="/password/forgot"] button[type="submit"]'),
        ]);
        await server.app.mailer?.idle();
        const reset = linkIn(sink.to(owner).at(-1), '/password/reset/');
        await visit('choose a new password', reset);
        await page.fill('#reset-password', 'short');
        await page.click('form[action^="/password/reset/"] button[type="submit"]');
        await page.waitForSelector('#reset-password-error');
        for (const failure of await axeViolations(page))
          failures.push(`reset with an error [${scheme}]: ${failure}`);

        // Settings of an account whose address is not verified yet (log in on both contexts).
        for (const p of [page, watcher]) {
          await p.goto(url('/login?return=/settings'));
          await p.fill('#login-email', owner);
          await p.fill('#login-password', PASSWORD);
          await Promise.all([
            p.waitForURL(url('/settings')),
            p.click('form[action="/login"] button[type="submit"]'),
          ]);
        }
        assert.match((await page.textContent('#account')) ?? '', /not verified/);
        await visit('settings (address not verified)', '/settings');
        assert.deepEqual(failures, []);
        assert.deepEqual(violations, []);
      } finally {
        await axeContext.close();
        await cspContext.close();
      }
    });
  }
});
