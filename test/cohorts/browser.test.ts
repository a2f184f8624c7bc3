import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mentorsNeverSee, mentorsSee } from '../../src/cohorts/consent.js';
import { ensureWebAssets, launchChromium, CHROMIUM_PATH } from '../web/chromium.js';
import { startWebServer } from '../web/web-server.js';
import { axeBothSchemes } from '../web/axe.js';
import type { TestApp } from '../helpers.js';
import { admin, appoint, createCohort, invite, join, person, setStatus, type Person } from './fixture.js';

// The cohort pages in real Chromium, as a learner and a mentor use them: joining by invite through the
// consent screen, the mentor's table (filters, sort, drill-down, a comment the learner sees and
// answers), the table updating live in the mentor's browser while the learner works in another, the
// public profile, and leaving. Every page visited is checked with axe in light and dark colours.
// Waits are on conditions (generous, for a loaded machine), never fixed sleeps.

const WAIT = { timeout: 60_000 };

let skip: string | false = false;
if (!existsSync(CHROMIUM_PATH)) {
  const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.log(`# SKIPPED cohort browser tests: ${reason}`);
  skip = reason;
}

describe('cohorts in Chromium', { skip, timeout: 900_000 }, () => {
  let server: TestApp & { url: string };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeFailures: string[] = [];
  const scriptErrors: string[] = [];
  let boss: Person;
  let mentor: Person;
  let ada: Person;
  let bo: Person;
  let cohortId: string;
  let token: string;
  let mentorPage: Page;
  let adaPage: Page;
  const topics = () => server.content.roadmaps.get('backend')!.topicIds;
  const url = (path: string) => server.url + path;

  async function newPage(): Promise<Page> {
    // axe is injected as a script tag, which the strict CSP would block: these contexts ignore the CSP
    // (test/web/browser.test.ts checks every page under it).
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    page.on('pageerror', (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  async function logIn(page: Page, email: string, then = '/'): Promise<void> {
    await page.goto(url(`/login?return=${encodeURIComponent(then)}`));
    await page.fill('#login-email', email);
    await page.fill('#login-password', 'correct horse battery');
    await Promise.all([
      page.waitForURL(url(then)),
      page.click('form[action="/login"] button[type="submit"]'),
    ]);
  }

  const axe = async (page: Page, name: string) => axeFailures.push(...(await axeBothSchemes(page, name)));
  const rowOf = (name: string) => mentorPage.locator('table.cohort-table tbody tr', { hasText: name });
  const names = async (page: Page) =>
    (await page.locator('table.cohort-table tbody th[scope="row"] a').allTextContents()).map((s) => s.trim());

  before(async () => {
    await ensureWebAssets();
    server = await startWebServer();
    browser = await launchChromium();
    boss = await admin(server, 'boss@school.test');
    mentor = await person(server, 'mentor@school.test');
    ada = await person(server, 'ada@school.test');
    bo = await person(server, 'bo@school.test');
    cohortId = await createCohort(boss, { name: 'Spring backend' });
    await appoint(boss, cohortId, mentor);
    token = await invite(boss, cohortId);
    assert.equal((await join(bo, await invite(boss, cohortId), 'Bo Z.')).statusCode, 201);
    mentorPage = await newPage();
    adaPage = await newPage();
    await logIn(mentorPage, mentor.email);
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('joins by invite: sign in from the consent screen, read what mentors see and never see, join, land in the cohort', async () => {
    await adaPage.goto(url(`/join/${token}`));
    await axe(adaPage, 'consent screen (signed out)');
    await Promise.all([adaPage.waitForURL(/\/login\?return=/), adaPage.click('main a:text("Sign in")')]);
    await adaPage.fill('#login-email', ada.email);
    await adaPage.fill('#login-password', 'correct horse battery');
    await Promise.all([
      adaPage.waitForURL(url(`/join/${token}`)),
      adaPage.click('form[action="/login"] button[type="submit"]'),
    ]);
    const list = (heading: string) => adaPage.locator(`h2:text("${heading}") + ul li`).allTextContents();
    assert.deepEqual(await list('What the cohort’s mentors will see'), mentorsSee());
    assert.deepEqual(await list('What they never see'), mentorsNeverSee({ requires_email: 0 }));
    assert.match(
      (await adaPage.textContent('main')) ?? '',
      /You can leave the cohort at any time; its mentors lose access at once\./,
    );
    await axe(adaPage, 'consent screen');
    await adaPage.fill('#displayName', 'Ada L.');
    // Without the consent box the browser does not send the form (it is required).
    await adaPage.click('form[action^="/join/"] button[type="submit"]');
    assert.match(adaPage.url(), /\/join\//);
    await adaPage.check('input[name="consent"]');
    await Promise.all([
      adaPage.waitForURL(url('/cohorts')),
      adaPage.click('form[action^="/join/"] button[type="submit"]'),
    ]);
    assert.match((await adaPage.textContent('.flash')) ?? '', /You joined Spring backend\./);
    assert.match(
      (await adaPage.textContent('main')) ?? '',
      /Spring backend — you are a learner \(as “Ada L\.”\)/,
    );
    await axe(adaPage, 'cohorts (learner)');
  });

  it('updates the mentor’s table live while the learner works in another browser, also after a dropped connection', async () => {
    await mentorPage.goto(url(`/cohorts/${cohortId}?sort=name`));
    await mentorPage.waitForSelector('table.cohort-table[data-live="connected"]', WAIT);
    await axe(mentorPage, 'cohort table');
    assert.deepEqual(await names(mentorPage), ['Ada L.', 'Bo Z.']);
    // A mark on the page that a reload would wipe out.
    await mentorPage.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const progressOf = (name: string) => rowOf(name).locator('td[data-col="progress"]').textContent();
    assert.match((await progressOf('Ada L.')) ?? '', /^0% \(0\/\d+\)/);

    const topic = topics()[0]!;
    await adaPage.goto(url(`/roadmaps/backend/topics/${topic}`));
    await Promise.all([
      adaPage.waitForResponse((r) => r.url().endsWith(`/api/v1/topics/${topic}/progress`)),
      adaPage.click('button.status-button[value="done"]'),
    ]);
    await mentorPage.waitForFunction(
      () =>
        /\(1\/\d+\)/.test(
          document.querySelector('tr[data-learner] td[data-col="progress"]')?.textContent ?? '',
        ),
      undefined,
      WAIT,
    );
    assert.match((await progressOf('Ada L.')) ?? '', /\(1\/\d+\)/);
    assert.match(
      (await rowOf('Ada L.').locator('td[data-col="last-active"]').textContent()) ?? '',
      /2026-03-02/,
    );
    assert.equal((await rowOf('Ada L.').locator('td[data-col="streak"]').textContent())?.trim(), '1 d');
    await mentorPage.waitForFunction(
      () => document.getElementById('announcer')?.textContent === 'Rows updated: Ada L.',
      undefined,
      WAIT,
    );
    assert.equal(
      await mentorPage.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      true,
      'no reload',
    );
    assert.deepEqual(await names(mentorPage), ['Ada L.', 'Bo Z.'], 'sort kept');

    // Every open connection is cut; a change made before the table reconnects shows once it has.
    const reconnected = mentorPage.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/cohorts/${cohortId}/events`) && r.status() === 200,
      WAIT,
    );
    server.app.server.closeAllConnections();
    await setStatus(ada, topics()[1]!, 'done');
    await server.app.cohortSummaries.idle();
    await reconnected;
    await mentorPage.waitForFunction(
      () =>
        /\(2\/\d+\)/.test(
          document.querySelector('tr[data-learner] td[data-col="progress"]')?.textContent ?? '',
        ),
      undefined,
      WAIT,
    );
    assert.equal(
      await mentorPage.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      true,
    );

    // Progress that would reorder the table does not move rows under the mentor's eyes: Bo's row
    // changes where it is, and a button offers the new order.
    await mentorPage.goto(url(`/cohorts/${cohortId}?sort=progress&order=desc`));
    await mentorPage.waitForSelector('table.cohort-table[data-live="connected"]', WAIT);
    assert.deepEqual(await names(mentorPage), ['Ada L.', 'Bo Z.']);
    for (const topic of topics().slice(10, 18)) await setStatus(bo, topic, 'done');
    await server.app.cohortSummaries.idle();
    const table = await mentor.client.get(`/api/v1/cohorts/${cohortId}/learners?sort=name`);
    const boDone = (
      JSON.parse(table.body) as { learners: { displayName: string; progress: { done: number } }[] }
    ).learners.find((l) => l.displayName === 'Bo Z.')!.progress.done;
    await mentorPage.waitForFunction(
      (done) =>
        document
          .querySelector('tr[data-learner]:nth-child(2) td[data-col="progress"]')
          ?.textContent?.includes(`(${done}/`) === true,
      boDone,
      WAIT,
    );
    assert.deepEqual(await names(mentorPage), ['Ada L.', 'Bo Z.'], 'rows stay where they were');
    await mentorPage.waitForSelector('[data-live-reorder]:not([hidden])', WAIT);
    await mentorPage.click('[data-live-reorder] button');
    assert.deepEqual(await names(mentorPage), ['Bo Z.', 'Ada L.']);
  });

  it('filters behind, inactive and stuck learners, sorts, drills down and leaves a comment the learner reads and answers', async () => {
    // Ada keeps a topic in learning; two weeks and a day later Cy joins and works; Ada and Bo have gone quiet.
    await setStatus(ada, topics()[2]!, 'learning');
    await server.app.cohortSummaries.idle();
    server.clock.set('2026-03-17T09:00:00Z');
    const cy = await person(server, 'cy@school.test');
    assert.equal((await join(cy, await invite(boss, cohortId), 'Cy A.')).statusCode, 201);
    await setStatus(cy, topics()[3]!, 'done');
    await server.app.cohortSummaries.idle();

    await mentorPage.goto(url(`/cohorts/${cohortId}`));
    await server.app.cohortSummaries.idle(); // rows computed on an earlier day are refreshed on reading
    await mentorPage.reload();
    assert.deepEqual(await names(mentorPage), ['Ada L.', 'Bo Z.', 'Cy A.']);
    const filter = async (value: string) => {
      await mentorPage.goto(url(`/cohorts/${cohortId}`));
      await mentorPage.check(`input[name="f"][value="${value}"]`);
      await Promise.all([
        mentorPage.waitForURL(new RegExp(`f=${value}`)),
        mentorPage.click('form.cohort-filters button[type="submit"]'),
      ]);
      assert.equal(await mentorPage.isChecked(`input[name="f"][value="${value}"]`), true);
      return names(mentorPage);
    };
    assert.deepEqual(await filter('stuck'), ['Ada L.']);
    assert.match((await rowOf('Ada L.').locator('td[data-col="flags"]').textContent()) ?? '', /stuck on/);
    assert.deepEqual(await filter('inactive'), ['Ada L.', 'Bo Z.']);
    await axe(mentorPage, 'cohort table (filtered)');
    const behind = await filter('behind');
    assert.ok(behind.length > 0);
    for (const plan of await mentorPage.locator('td[data-col="plan"]').allTextContents())
      assert.match(plan, /^Behind by/);

    await mentorPage.goto(url(`/cohorts/${cohortId}`));
    await Promise.all([
      mentorPage.waitForURL(/sort=progress&order=asc/),
      mentorPage.click('th a:text("Progress")'),
    ]);
    assert.equal(await mentorPage.getAttribute('th[aria-sort]', 'aria-sort'), 'ascending');
    await Promise.all([
      mentorPage.waitForURL(/sort=progress&order=desc/),
      mentorPage.click('th a:text("Progress")'),
    ]);
    assert.equal(await mentorPage.getAttribute('th[aria-sort]', 'aria-sort'), 'descending');
    assert.equal((await names(mentorPage))[0], 'Bo Z.', 'Bo has done the most');

    await Promise.all([
      mentorPage.waitForURL(/\/learners\//),
      mentorPage.click('table.cohort-table a:text("Ada L.")'),
    ]);
    assert.equal(await mentorPage.textContent('h1'), 'Ada L.');
    assert.match((await mentorPage.textContent('main')) ?? '', /learning/);
    await axe(mentorPage, 'learner drill-down');
    await Promise.all([
      mentorPage.waitForURL(/\/feedback$/),
      mentorPage.click('main a:text("Feedback for Ada L.")'),
    ]);
    const topicTitle = server.content.topics.get(topics()[2]!)!.title;
    await mentorPage.selectOption('#mentor-topic', `backend/${topics()[2]}`);
    await mentorPage.fill('#mentor-body', 'Stuck here? Try **one small example** first.');
    await Promise.all([
      mentorPage.waitForURL(/\/feedback$/),
      mentorPage.click('form.feedback-form button[type="submit"]'),
    ]);
    assert.match((await mentorPage.textContent('.flash')) ?? '', /Comment sent\./);
    await axe(mentorPage, 'mentor feedback page');

    await adaPage.goto(url('/'));
    assert.match(
      (await adaPage.textContent('#feedback-widget-title + p')) ?? '',
      /1 new comment from your mentors/,
    );
    await axe(adaPage, 'home with a feedback count');
    await adaPage.goto(url(`/roadmaps/backend/topics/${topics()[2]}`));
    const section = adaPage.locator('#feedback');
    assert.equal(await section.locator('.prose strong').textContent(), 'one small example');
    await axe(adaPage, 'topic with feedback');
    await section.locator('textarea').fill('Thanks — I will try that today.');
    await Promise.all([
      adaPage.waitForURL(/#feedback$/),
      section.locator('button[type="submit"]:text("Send")').click(),
    ]);
    assert.match((await section.textContent()) ?? '', /Thanks — I will try that today\./);
    await mentorPage.reload();
    assert.match(
      (await mentorPage.textContent('main')) ?? '',
      new RegExp(`${topicTitle}[\\s\\S]*I will try that today`),
    );
  });

  it('publishes a public profile with its badge, and turning it off makes it 404 at once', async () => {
    await adaPage.goto(url('/settings#profile'));
    await adaPage.fill('#profile-handle', 'AdaLearns');
    await adaPage.fill('#profile-display-name', 'Ada L.');
    await adaPage.check('#profile input[name="public"]');
    await Promise.all([
      adaPage.waitForURL(/\/settings#profile$/),
      adaPage.click('form[action="/settings/profile"] button[type="submit"]'),
    ]);
    await axe(adaPage, 'settings with a public profile');
    const visitor = await newPage();
    const shown = await visitor.goto(url('/u/adalearns'));
    assert.equal(shown?.status(), 200);
    assert.match((await visitor.textContent('h1')) ?? '', /Ada L\./);
    await visitor.waitForFunction(
      () => {
        const img = document.querySelector<HTMLImageElement>('img[src$="/badge.svg"]');
        return img !== null && img.complete && img.naturalWidth > 0;
      },
      undefined,
      WAIT,
    );
    await axe(visitor, 'public profile');
    await adaPage.goto(url('/settings#profile'));
    await adaPage.uncheck('#profile input[name="public"]');
    await Promise.all([
      adaPage.waitForURL(/\/settings#profile$/),
      adaPage.click('form[action="/settings/profile"] button[type="submit"]'),
    ]);
    assert.equal((await visitor.goto(url('/u/AdaLearns')))?.status(), 404);
    assert.equal((await visitor.goto(url('/u/AdaLearns/badge.svg')))?.status(), 404);
  });

  it('leaving ends the mentor’s access at once: the row leaves the open table and the drill-down is 404', async () => {
    await mentorPage.goto(url(`/cohorts/${cohortId}?sort=name`));
    await mentorPage.waitForSelector('table.cohort-table[data-live="connected"]', WAIT);
    const drillDown = (await rowOf('Ada L.').locator('th a').getAttribute('href'))!;
    await adaPage.goto(url('/cohorts'));
    await Promise.all([
      adaPage.waitForURL(url('/cohorts')),
      adaPage.click('button:text("Leave Spring backend")'),
    ]);
    assert.match(
      (await adaPage.textContent('.flash')) ?? '',
      /You left the cohort; its mentors no longer see your data\./,
    );
    await mentorPage.waitForFunction(
      () => !/Ada L\./.test(document.querySelector('table.cohort-table tbody')?.textContent ?? ''),
      undefined,
      WAIT,
    );
    const response = await mentorPage.goto(url(drillDown));
    assert.equal(response?.status(), 404);
    assert.deepEqual(scriptErrors, []);
    assert.deepEqual(axeFailures, []);
  });
});
