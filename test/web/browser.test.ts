import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { ensureWebAssets, launchChromium, CHROMIUM_PATH } from './chromium.js';
import { startWebServer } from './web-server.js';
import { axeViolations } from './axe.js';
import type { TestApp } from '../helpers.js';

// The browser scenarios in real Chromium (Debian's, never a downloaded one), plus axe-core on
// every page in light and dark mode. The server is a real listening Waymark on a fresh SQLite database.

let skip: string | false = false;
if (!existsSync(CHROMIUM_PATH)) {
  const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.log(`# SKIPPED browser tests: ${reason}`);
  skip = reason;
}

/** Polls a condition (up to 5 s), for browser events that arrive asynchronously. */
async function expectEventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`not seen within 5 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The roadmap page paints its overview first and inserts the diagram and list right after
 * (client/lib/detail.ts): once a navigation lands on it, wait until they are there, as a person would.
 */
function waitForDetailOnNavigation(page: Page): void {
  const detailShown = async () => {
    if (/^\/roadmaps\/[^/]+$/.test(new URL(page.url()).pathname))
      await page.waitForSelector('.roadmap-page[data-detail="shown"]', {
        state: 'attached',
        timeout: 30_000,
      });
  };
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  const waitForURL = page.waitForURL.bind(page);
  page.goto = async (...args) => {
    const response = await goto(...args);
    await detailShown();
    return response;
  };
  page.reload = async (...args) => {
    const response = await reload(...args);
    await detailShown();
    return response;
  };
  page.waitForURL = async (...args) => {
    await waitForURL(...args);
    await detailShown();
  };
}

describe('Waymark in Chromium', { skip, timeout: 300_000 }, () => {
  let server: TestApp & { url: string };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];

  async function newPage(
    options: BrowserContextOptions = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()))
        cspViolations.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => cspViolations.push(`${page.url()}: script error ${error.message}`));
    if (options.javaScriptEnabled !== false) waitForDetailOnNavigation(page);
    return { context, page };
  }

  const url = (path: string) => server.url + path;
  const backendTopics = () => server.content.roadmaps.get('backend')?.topicIds.length ?? 0;
  /** Topics as the progress counts them: a "choose one of" set once. */
  const backendUnits = () => {
    const backend = server.content.roadmaps.get('backend');
    return (
      (backend?.topicIds.length ?? 0) -
      (backend?.alternatives ?? []).reduce((n, s) => n + s.topicIds.length - 1, 0)
    );
  };
  const nodeClass = (page: Page, topicId: string) =>
    page.getAttribute(`a.node[data-topic="${topicId}"]`, 'class');

  before(async () => {
    await ensureWebAssets();
    server = await startWebServer();
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  it('a guest marks a topic done with the mouse; it is still done after a reload', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend'));
    await page.click('a.node[data-topic="http-basics"]');
    await page.waitForSelector('#panel article.topic[data-topic="http-basics"]');
    assert.equal(
      new URL(page.url()).pathname,
      '/roadmaps/backend/topics/http-basics',
      'the panel has its own URL',
    );
    const saved = page.waitForResponse((response) =>
      response.url().endsWith('/api/v1/topics/http-basics/progress'),
    );
    await page.click('#panel button.status-button[value="done"]');
    assert.match((await nodeClass(page, 'http-basics')) ?? '', /s-done/, 'applied at once');
    assert.equal(
      (await page.locator('a.node[data-topic="http-basics"]').textContent())?.replace(/\s+/g, ' ').trim(),
      `${server.content.topics.get('http-basics')?.title} Done`,
      'the node reads its title and its new status',
    );
    assert.match(
      (await page.textContent('.roadmap-head .progress-text')) ?? '',
      new RegExp(`1 of ${backendUnits()} topics finished`),
      'the island counts as the server does (a "choose one of" set and the tools section once)',
    );
    await saved;
    await page.goto(url('/roadmaps/backend'));
    assert.match((await nodeClass(page, 'http-basics')) ?? '', /s-done/);
    assert.match(
      (await page.textContent('.roadmap-head .progress-text')) ?? '',
      new RegExp(`1 of ${backendUnits()} topics finished`),
    );
  });

  it("counts after clicks equal the server's counts after a reload (one definition of a count)", async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend'));
    const counts = () =>
      page.evaluate(() =>
        [
          document.querySelector('.roadmap-head .progress-text')?.textContent,
          ...Array.from(
            document.querySelectorAll('[data-step-count], [data-step-overview], .ov-group .ov-count'),
          ).map((element) => element.textContent),
        ].join(' | '),
      );
    // A member of a "choose one of" set that is not its default, then the default, then a plain topic.
    for (const topicId of ['python-basics', 'javascript-basics', 'http-basics']) {
      const saved = page.waitForResponse((response) =>
        response.url().endsWith(`/api/v1/topics/${topicId}/progress`),
      );
      await page.click(`a.node[data-topic="${topicId}"]`);
      await page.waitForSelector(`#panel article.topic[data-topic="${topicId}"]`);
      await page.click('#panel button.status-button[value="done"]');
      await saved;
      await page.keyboard.press('Escape');
    }
    const live = await counts();
    await page.reload();
    assert.equal(live, await counts());
    assert.match(live, new RegExp(`^2 of ${backendUnits()} topics finished`));
  });

  it('a guest marks a topic done with the keyboard only: Tab, arrows, Enter, d, Esc', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend'));
    await page.focus('#search');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-topic') ?? null);
    const nodeY = (topicId: string) =>
      page.evaluate(
        (id) =>
          Number(
            /translate\([\d.]+ ([\d.]+)\)/.exec(
              document.querySelector(`a.node[data-topic="${id}"]`)?.getAttribute('transform') ?? '',
            )?.[1],
          ),
        topicId,
      );
    // From the search box, Tab passes the overview's links and reaches the diagram's single tab stop.
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('node'))) break;
    }
    const first = server.content.roadmaps.get('backend')?.topicIds[0] ?? '';
    assert.equal(await focused(), first);
    await page.keyboard.press('ArrowDown');
    const below = (await focused()) ?? '';
    assert.notEqual(below, first, 'arrow keys move between nodes');
    assert.ok((await nodeY(below)) > (await nodeY(first)), 'ArrowDown goes to a node below');
    const title = server.content.topics.get(below)?.title ?? below;
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#panel article.topic[data-topic="${below}"]`);
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'topic-title',
      'focus moves into the panel',
    );
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/api/v1/topics/${below}/progress`)),
      page.keyboard.press('d'),
    ]);
    assert.equal(
      await page.getAttribute('#panel button.status-button[value="done"]', 'aria-pressed'),
      'true',
    );
    // The live region is filled a moment after it is cleared (so a repeated message is read again),
    // which may be after the response arrived.
    const announced = await page
      .waitForFunction(
        (expected) => document.getElementById('announcer')?.textContent?.includes(expected) ?? false,
        `“${title}”: Done.`,
        { timeout: 2000 },
      )
      .then(
        () => true,
        () => false,
      );
    assert.ok(announced, `the change is announced (announcer: ${await page.textContent('#announcer')})`);
    await page.keyboard.press('Escape');
    assert.equal(await page.isHidden('#panel'), true);
    assert.equal(await focused(), below, 'focus returns to the node');
    assert.equal(new URL(page.url()).pathname, '/roadmaps/backend');
    await page.keyboard.press('?');
    assert.equal(await page.isVisible('#shortcuts'), true, '? lists the shortcuts');
    await page.keyboard.press('Escape');
    await page.reload();
    assert.match((await nodeClass(page, below)) ?? '', /s-done/);
  });

  it('arrow keys move to the spatially nearest node: ArrowRight from HTTP goes to the node on its right', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend'));
    const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-topic') ?? '');
    const focusedBox = () =>
      page.evaluate(() => {
        const rect = document.activeElement?.getBoundingClientRect();
        return rect ? { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 } : { x: NaN, y: NaN };
      });
    await page.focus('a.node[data-topic="http-basics"]');
    await page.keyboard.press('ArrowRight');
    const right = await focusedId();
    const to = await focusedBox();
    await page.focus('a.node[data-topic="http-basics"]');
    const from = await focusedBox();
    await page.keyboard.press('ArrowRight');
    // The layout comes from ELK and the content grows, so the test checks geometry, not a name:
    // the node reached lies to the right, within 45° of straight right (not below-left, as it used to).
    assert.ok(to.x > from.x, `${right} is to the right of HTTP`);
    assert.ok(Math.abs(to.y - from.y) <= to.x - from.x, `${right} is rightwards, not mostly up or down`);
    await page.keyboard.press('ArrowLeft');
    const back = await focusedBox();
    assert.ok(back.x < to.x, 'ArrowLeft moves left again');
    await page.keyboard.press('ArrowDown');
    const down = await focusedBox();
    assert.ok(down.y > back.y, 'ArrowDown moves down');
  });

  it('the overview shows every step and group; a group leads to its topics and back', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend'));
    const roadmap = server.content.roadmaps.get('backend');
    assert.ok(roadmap);
    const overview = page.locator('#overview');
    assert.equal(await overview.locator('.ov-step').count(), roadmap.steps.length + 1, 'steps and tools');
    const last = roadmap.steps.length - 1;
    // The whole structure is on the first two screens of a laptop.
    const lastChip = await overview.locator(`a[href="#group-${roadmap.steps[last]?.id}-0"]`).boundingBox();
    assert.ok(lastChip && lastChip.y + lastChip.height < 1800, 'the last step is within two screens');
    await overview.getByRole('link', { name: /Web security/ }).click();
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-topic'));
    const webSecurity = roadmap.steps.flatMap((step) => step.groups).find((g) => g.title === 'Web security');
    assert.equal(focused, webSecurity?.topicIds[0], 'focus lands on the group’s first topic');
    assert.ok(await page.locator(`a.node[data-topic="${focused}"]`).isVisible());
    await page.locator('#d-api-development a.d-back').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'overview');
  });

  it('live sync: two browsers on one account see each other’s changes without a reload, also after a dropped connection', async () => {
    const first = await newPage();
    await first.page.goto(url('/roadmaps/backend'));
    // The first click makes the visitor a guest (a session); both browsers then share it.
    await first.page.evaluate(() =>
      fetch('/api/v1/topics/backend-role/progress', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'learning' }),
      }),
    );
    const opened = (page: Page) =>
      page.waitForResponse((response) => response.url().endsWith('/api/v1/events'));
    await Promise.all([opened(first.page), first.page.reload()]);
    const second = await newPage();
    await second.context.addCookies(await first.context.cookies());
    await Promise.all([opened(second.page), second.page.goto(url('/roadmaps/backend'))]);
    assert.match((await nodeClass(second.page, 'backend-role')) ?? '', /s-learning/);

    await first.page.click('a.node[data-topic="dns"]');
    await first.page.click('#panel button.status-button[value="done"]');
    await second.page.waitForFunction(
      () => document.querySelector('a.node[data-topic="dns"]')?.classList.contains('s-done'),
      undefined,
      { timeout: 5000 },
    );
    assert.match(
      (await second.page.textContent('.roadmap-head .progress-text')) ?? '',
      /1 of \d+ topics finished/,
      'the counts follow',
    );

    // The second browser goes offline; a change made meanwhile shows once it is back online.
    await second.context.setOffline(true);
    await Promise.all([
      first.page.waitForResponse((response) => response.url().endsWith('/api/v1/topics/dns/progress')),
      first.page.keyboard.press('s'),
    ]);
    await second.page.waitForTimeout(500);
    await second.context.setOffline(false);
    await second.page.waitForFunction(
      () => document.querySelector('a.node[data-topic="dns"]')?.classList.contains('s-skipped'),
      undefined,
      { timeout: 20_000 },
    );
  });

  it('a failed save is rolled back with a visible message', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend/topics/dns'));
    await page.route('**/api/v1/topics/dns/progress', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 503,
          code: 'unavailable',
          title: 'Down',
          detail: 'The database is restarting.',
        }),
      }),
    );
    await page.click('button.status-button[value="skipped"]');
    await page.waitForSelector('#error-announcer:not([hidden])');
    assert.match(
      (await page.textContent('#error-announcer')) ?? '',
      /Could not save .*The database is restarting\..*back to not started/,
    );
    assert.equal(await page.getAttribute('button.status-button[value="pending"]', 'aria-pressed'), 'true');
  });

  it('the list view and the diagram agree on every topic, and the switch works without a reload', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend/topics/sql-basics'));
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/progress')),
      page.click('button.status-button[value="learning"]'),
    ]);
    await page.goto(url('/roadmaps/backend/topics/dns'));
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/progress')),
      page.click('button.status-button[value="skipped"]'),
    ]);
    await page.goto(url('/roadmaps/backend'));
    // A string, so the test runner's transpiler adds no helpers to code that runs in the page.
    const read = () =>
      page.evaluate<{ diagram: Record<string, string>; list: Record<string, string> }>(`(() => {
        const statuses = (selector) => Object.fromEntries(Array.from(document.querySelectorAll(selector)).map((element) =>
          [element.getAttribute('data-topic'), Array.from(element.classList).find((c) => c.startsWith('s-'))]));
        return { diagram: statuses('a.node'), list: statuses('#list-view li[data-topic]') };
      })()`);
    const { diagram, list } = await read();
    assert.equal(Object.keys(diagram).length, backendTopics());
    assert.deepEqual(list, diagram);
    assert.equal(diagram['sql-basics'], 's-learning');
    assert.equal(diagram['dns'], 's-skipped');
    assert.equal(await page.isVisible('svg.diagram'), true);
    await page.click('[data-view-link="list"]');
    assert.equal(await page.isVisible('svg.diagram'), false);
    assert.equal(await page.isVisible('#list-view'), true);
    assert.equal(new URL(page.url()).searchParams.get('view'), 'list');
    assert.match((await page.textContent('#list-view li[data-topic="dns"] .badge')) ?? '', /Skipped/);
    // The list opens the same panel, and a change there shows in both views.
    await page.click('#list-view a[data-topic-link="sql-joins-aggregation"]');
    await page.waitForSelector('#panel article.topic[data-topic="sql-joins-aggregation"]');
    await page.click('#panel button.status-button[value="done"]');
    const after = await read();
    assert.equal(after.list['sql-joins-aggregation'], 's-done');
    assert.deepEqual(after.list, after.diagram);
  });

  it('search finds a topic by a word from its description; / focuses the search box', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend'));
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search');
    await page.keyboard.type('idempotency');
    await page.waitForSelector('[data-search-results]:not([hidden]) li[data-topic="retries-timeouts"]');
    assert.match(
      (await page.textContent('#search-summary')) ?? '',
      new RegExp(`\\d+ of ${backendTopics()} topics match`),
    );
    assert.equal(
      await page.evaluate(() =>
        document.querySelector('a.node[data-topic="retries-timeouts"]')?.classList.contains('dim'),
      ),
      false,
    );
    assert.equal(
      await page.evaluate(() =>
        document.querySelector('a.node[data-topic="dns"]')?.classList.contains('dim'),
      ),
      true,
    );
    assert.equal(new URL(page.url()).searchParams.get('q'), 'idempotency');
    await page.selectOption('#status-filter', 'done');
    assert.equal(await page.locator('[data-results-list] li').count(), 0);
    await page.fill('#search', '');
    await page.selectOption('#status-filter', 'all');
    await page.waitForSelector('[data-search-results][hidden]', { state: 'attached' });
  });

  it('notes autosave with a saved indicator and render as safe Markdown', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend/topics/redis'));
    await page.fill('#note-text', 'Use **TTL**\n\n<img src=x onerror="window.hacked=1">');
    assert.match((await page.textContent('[data-note-status]')) ?? '', /Unsaved changes|Saving/);
    await page.waitForFunction(() => document.querySelector('[data-note-status]')?.textContent === 'Saved');
    await page.waitForSelector('[data-note-preview] strong');
    assert.equal(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked), undefined);
    await page.reload();
    assert.equal(await page.inputValue('#note-text'), 'Use **TTL**\n\n<img src=x onerror="window.hacked=1">');
  });

  it('a note over the limit is refused with a counter and a sentence, and nothing is cut', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend/topics/dns'));
    await page.fill('#note-text', 'First thoughts on DNS.');
    await page.waitForFunction(() => document.querySelector('[data-note-status]')?.textContent === 'Saved');
    assert.match((await page.textContent('[data-note-count]')) ?? '', /^22 of 20,000 characters$/);
    const long = 'x'.repeat(50_000);
    await page.fill('#note-text', long);
    assert.equal((await page.inputValue('#note-text')).length, 50_000, 'the field keeps every character');
    assert.match((await page.textContent('[data-note-count]')) ?? '', /50,000 of 20,000 characters/);
    const status = (await page.textContent('[data-note-status]')) ?? '';
    assert.match(status, /Not saved: Your note is 50,000 characters long .* Remove 30,000 characters/);
    assert.doesNotMatch(status, /must NOT/);
    assert.equal(await page.getAttribute('#note-text', 'aria-invalid'), 'true');
    await page.locator('#note-text').blur();
    await page.waitForTimeout(1500);
    assert.match((await page.textContent('[data-note-status]')) ?? '', /Not saved/, 'still not saved');
    // The API refuses it in words too.
    const refused = await page.evaluate(async (note) => {
      const response = await fetch('/api/v1/topics/dns/note', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ note }),
      });
      return { status: response.status, body: (await response.json()) as { detail: string } };
    }, long);
    assert.equal(refused.status, 400);
    assert.match(refused.body.detail, /note is too long: it can hold at most 20,000 characters/);
    await page.reload();
    assert.equal(
      await page.inputValue('#note-text'),
      'First thoughts on DNS.',
      'the saved note is untouched',
    );
  });

  it('sign-up keeps guest progress, and a second browser sees it after logging in', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend/topics/containers-docker'));
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/progress')),
      page.click('button.status-button[value="done"]'),
    ]);
    await page.goto(url('/signup?return=/roadmaps/backend'));
    await page.fill('#signup-email', 'not an email');
    await page.fill('#signup-password', 'correct horse battery');
    await page.click('form[action="/signup"] button[type="submit"]');
    await page.waitForSelector('#signup-email-error:not([hidden])');
    assert.match((await page.textContent('#signup-email-error')) ?? '', /Enter an email address/);
    assert.equal(await page.getAttribute('#signup-email', 'aria-invalid'), 'true');
    await page.fill('#signup-email', 'browser@example.org');
    await Promise.all([
      page.waitForURL(url('/roadmaps/backend')),
      page.click('form[action="/signup"] button[type="submit"]'),
    ]);
    assert.match((await nodeClass(page, 'containers-docker')) ?? '', /s-done/, 'kept after sign-up');
    assert.match((await page.textContent('.site-header')) ?? '', /browser@example\.org/);

    const second = await newPage();
    await second.page.goto(url('/login?return=/roadmaps/backend'));
    await second.page.fill('#login-email', 'browser@example.org');
    await second.page.fill('#login-password', 'correct horse battery');
    await Promise.all([
      second.page.waitForURL(url('/roadmaps/backend')),
      second.page.click('form[action="/login"] button[type="submit"]'),
    ]);
    assert.match(
      (await nodeClass(second.page, 'containers-docker')) ?? '',
      /s-done/,
      'the other browser sees it',
    );
    await Promise.all([
      second.page.waitForURL(url('/')),
      second.page.click('.site-header form[action="/logout"] button'),
    ]);
    assert.match((await second.page.textContent('.site-header')) ?? '', /Log in/);
  });

  it('the theme menu: dark applies at once and is remembered, and "follow the system" comes back', async () => {
    const { page } = await newPage({ colorScheme: 'light' });
    await page.goto(url('/'));
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const pick = async (theme: string) => {
      await page.click('details.theme-menu > summary');
      await page.click(`details.theme-menu button[value="${theme}"]`);
    };
    const light = await background();
    assert.equal(
      await page.getAttribute('details.theme-menu button[value="system"]', 'aria-pressed'),
      'true',
    );
    await pick('dark');
    assert.equal(await page.getAttribute('html', 'class'), 'theme-dark');
    assert.notEqual(await background(), light);
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('details.theme-menu') !== null),
      true,
      'focus stays on the theme menu',
    );
    await page.goto(url('/roadmaps/backend'));
    assert.equal(
      await page.getAttribute('html', 'class'),
      'theme-dark',
      'rendered dark by the server, no flash',
    );
    assert.notEqual(await background(), light);
    assert.equal(await page.getAttribute('details.theme-menu button[value="dark"]', 'aria-pressed'), 'true');
    await pick('light');
    await page.reload();
    assert.equal(await page.getAttribute('html', 'class'), 'theme-light');
    // Back to following the system: a dark system now gets dark colours, with no class and no cookie.
    await pick('system');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    assert.equal(await page.getAttribute('html', 'class'), null);
    assert.notEqual(await background(), light);
    assert.equal(
      await page.getAttribute('details.theme-menu button[value="system"]', 'aria-pressed'),
      'true',
    );
    const cookies = await page.context().cookies();
    assert.equal(
      cookies.find((c) => c.name === 'waymark_theme'),
      undefined,
    );
  });

  it('without JavaScript, the same buttons are forms that work (Origin check included)', async () => {
    const { page } = await newPage({ javaScriptEnabled: false });
    await page.goto(url('/roadmaps/backend'));
    await Promise.all([
      page.waitForURL(/\/topics\/backend-role$/),
      page.click('a.node[data-topic="backend-role"]'),
    ]);
    await Promise.all([page.waitForLoadState('load'), page.click('button.status-button[value="done"]')]);
    assert.match((await page.textContent('.flash')) ?? '', /is now marked done/);
    assert.equal(await page.getAttribute('button.status-button[value="done"]', 'aria-pressed'), 'true');
    await page.fill('#note-text', 'Written **without** JavaScript');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[data-island="note"] button[type="submit"]'),
    ]);
    assert.match(await page.innerHTML('[data-note-preview]'), /<strong>without<\/strong>/);
    await page.goto(url('/roadmaps/backend?q=idempotency&view=list'));
    assert.equal(await page.isVisible('[data-results-list] li[data-topic="retries-timeouts"]'), true);
    await page.goto(url('/roadmaps/backend'));
    assert.match((await nodeClass(page, 'backend-role')) ?? '', /s-done/);
    await page.click('details.theme-menu > summary');
    await Promise.all([page.waitForLoadState('load'), page.click('details.theme-menu button[value="dark"]')]);
    assert.equal(await page.getAttribute('html', 'class'), 'theme-dark');
    await page.click('details.theme-menu > summary');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('details.theme-menu button[value="system"]'),
    ]);
    assert.equal(await page.getAttribute('html', 'class'), null, 'following the system again');
  });

  it('the print page renders to an A4 PDF and lists every topic title', async () => {
    const { page } = await newPage();
    await page.goto(url('/roadmaps/backend/print'));
    const titles =
      server.content.roadmaps
        .get('backend')
        ?.topicIds.map((id) => server.content.topics.get(id)?.title ?? id) ?? [];
    const printed = await page.evaluate(() => document.querySelector('.print-roadmap')?.textContent ?? '');
    for (const title of titles) assert.ok(printed.includes(title), `print page lists “${title}”`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('.site-header'), false, 'the print stylesheet hides the navigation');
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 10, `a multi-page A4 document (${pages} pages)`);
    const normal = await newPage();
    await normal.page.goto(url('/roadmaps/backend'));
    await normal.page.emulateMedia({ media: 'print' });
    assert.equal(await normal.page.isVisible('#list-view'), true, 'the roadmap page prints its list');
    assert.equal(await normal.page.isVisible('svg.diagram'), false);
  });

  it('settings with JavaScript: password, token shown once, import, reset and delete through the API', async () => {
    const { page } = await newPage();
    await page.goto(url('/signup?return=/settings'));
    await page.fill('#signup-email', 'settings-js@example.org');
    await page.fill('#signup-password', 'correct horse battery');
    await Promise.all([
      page.waitForURL(url('/settings')),
      page.click('form[action="/signup"] button[type="submit"]'),
    ]);

    await page.fill('#current-password', 'not my password');
    await page.fill('#new-password', 'a brand new password');
    await page.click('form[action="/settings/password"] button[type="submit"]');
    await page.waitForSelector('#current-password-error:not([hidden])');
    assert.match(
      (await page.textContent('#current-password-error')) ?? '',
      /Your current password is not correct/,
    );
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'current-password',
      'focus goes to the field',
    );
    await page.fill('#current-password', 'correct horse battery');
    await page.click('form[action="/settings/password"] button[type="submit"]');
    await page.waitForSelector('form[action="/settings/password"] [data-form-success]:not([hidden])');
    assert.equal(await page.isHidden('#current-password-error'), true);

    await page.fill('#token-name', 'Browser token');
    await page.click('form[action="/settings/tokens"] button[type="submit"]');
    await page.waitForSelector('[data-token-secret]:not([hidden]) #token-secret-value');
    const secret = (await page.textContent('#token-secret-value')) ?? '';
    assert.match(secret, /^wm_/);
    const me = await fetch(url('/api/v1/me'), { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(me.status, 200, 'the token works');
    await page.reload();
    assert.equal((await page.content()).includes(secret), false, 'shown only once');
    await page.click('[data-token-table] tr[data-token] button');
    await page.waitForSelector('[data-token-table] tr[data-token]', { state: 'detached' });
    assert.equal(
      (await fetch(url('/api/v1/me'), { headers: { authorization: `Bearer ${secret}` } })).status,
      401,
    );

    await page.goto(url('/roadmaps/backend/topics/kafka'));
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/progress')),
      page.click('button.status-button[value="done"]'),
    ]);
    const exported = await page.evaluate(() =>
      fetch('/api/v1/me/export').then((response) => response.text()),
    );
    await page.goto(url('/settings'));
    await page.setInputFiles('#import-file', {
      name: 'waymark-export.json',
      mimeType: 'application/json',
      buffer: Buffer.from(exported),
    });
    await page.click('form[data-import-form] button[type="submit"]');
    await page.waitForSelector('form[data-import-form] [data-form-success]:not([hidden])');
    assert.match(
      (await page.textContent('form[data-import-form] [data-form-success]')) ?? '',
      /^(Imported progress on|Nothing new to import: everything in that file is already here)/,
      'the result is said in words',
    );
    // Sent with no file: it asks for one instead of calling nothing "not valid JSON".
    await page.setInputFiles('#import-file', []);
    await page.click('form[data-import-form] button[type="submit"]');
    await page.waitForSelector('form[data-import-form] .form-error');
    assert.match(
      (await page.textContent('form[data-import-form] .form-error')) ?? '',
      /Choose the file you downloaded/,
    );
    await page.setInputFiles('#import-file', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{nope'),
    });
    await page.click('form[data-import-form] button[type="submit"]');
    await page.waitForSelector('form[data-import-form] .form-error');

    await page.check('#reset-confirm');
    await page.click('form[action="/settings/reset"] button[type="submit"]');
    await page.waitForSelector('form[action="/settings/reset"] [data-form-success]:not([hidden])');
    const kafka = await page.evaluate(() =>
      fetch('/api/v1/topics/kafka').then((response) => response.json()),
    );
    assert.equal((kafka as { progress: { status: string } }).progress.status, 'pending');

    await page.fill('#delete-password', 'a brand new password');
    await page.check('#delete-confirm');
    await Promise.all([
      page.waitForURL(url('/')),
      page.click('form[action="/settings/delete"] button[type="submit"]'),
    ]);
    assert.match((await page.textContent('.site-header')) ?? '', /Log in/);
  });

  it('the API reference runs under its CSP without a violation and fits a phone', async () => {
    const { page } = await newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const violations: string[] = [];
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`Content Security Policy: ${event.violatedDirective} ${event.sourceFile}`),
      ),
    );
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(url('/api/docs'));
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor();
    await page.getByRole('button', { name: /Authorize/ }).click();
    await page.locator('.modal-ux').waitFor();
    assert.deepEqual(violations, []);
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(width[0]! <= width[1]! + 1, `no sideways scrolling at 390 px (${width.join(' vs ')})`);
  });

  it('sign-up shows it is busy and is not sent twice', async () => {
    const { page } = await newPage();
    await page.goto(url('/signup'));
    await page.fill('input[name="email"]', 'busy@example.org');
    await page.fill('input[name="password"]', 'correct horse battery');
    const posts: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/auth/signup', async (route) => {
      posts.push(route.request().url());
      await held;
      await route.continue();
    });
    await page.click('main form button[type="submit"]');
    await page.waitForSelector('main form[aria-busy="true"] button.is-busy');
    await page.press('input[name="password"]', 'Enter');
    release();
    await page.waitForURL((address) => address.pathname === '/');
    assert.equal(posts.length, 1, 'sent once');
  });

  it('on a phone-sized screen the list view is the default', async () => {
    const { page } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(url('/roadmaps/backend'));
    assert.equal(await page.isVisible('#list-view'), true);
    assert.equal(await page.isVisible('svg.diagram'), false);
    assert.equal(await page.getAttribute('[data-view-link="list"]', 'aria-current'), 'true');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
  });

  describe('axe-core: no serious or critical violations', () => {
    const pages: [string, string][] = [
      ['home', '/'],
      ['roadmap (diagram)', '/roadmaps/backend?view=diagram'],
      ['roadmap (list)', '/roadmaps/backend?view=list'],
      ['roadmap (search)', '/roadmaps/backend?q=cache'],
      ['topic', '/roadmaps/backend/topics/jwt'],
      ['print', '/roadmaps/backend/print'],
      ['sign up', '/signup'],
      ['log in', '/login'],
      ['settings', '/settings'],
      ['cohorts (learner)', '/cohorts'],
      ['feedback (learner)', '/feedback'],
      ['plan', '/roadmaps/backend/plan'],
      ['dashboard', '/dashboard'],
      ['not found', '/no-such-page'],
    ];
    for (const scheme of ['light', 'dark'] as const) {
      it(`every page in ${scheme} mode`, async () => {
        // axe is injected as a script tag, which the strict CSP would block: this context ignores CSP.
        const { page } = await newPage({ colorScheme: scheme, bypassCSP: true });
        await page.goto(url('/signup'));
        await page.fill('#signup-email', `axe-${scheme}@example.org`);
        await page.fill('#signup-password', 'correct horse battery');
        await Promise.all([
          page.waitForURL(url('/')),
          page.click('form[action="/signup"] button[type="submit"]'),
        ]);
        await page.goto(url('/roadmaps/backend/topics/jwt'));
        await Promise.all([
          page.waitForResponse((response) => response.url().endsWith('/progress')),
          page.click('button.status-button[value="learning"]'),
        ]);
        const failures: string[] = [];
        const check = async (name: string) => {
          for (const violation of await axeViolations(page))
            failures.push(`${name} [${scheme}]: ${violation}`);
        };
        for (const [name, path] of pages) {
          await page.goto(url(path));
          await check(name);
        }
        // The roadmap with its side panel open.
        await page.goto(url('/roadmaps/backend?view=diagram'));
        await page.click('a.node[data-topic="jwt"]');
        await page.waitForSelector('#panel article.topic');
        await check('roadmap with panel');
        // A mentor's pages: the account becomes an instance admin (as `waymark user promote` does),
        // logs in again, creates a cohort and appoints itself its mentor.
        const email = `axe-${scheme}@example.org`;
        const { id: userId } = await server.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow();
        await server.db.write(
          (trx) => trx.updateTable('users').set({ role: 'admin' }).where('id', '=', userId).execute(),
          {
            userId,
            scope: 'account',
          },
        );
        await page.context().clearCookies();
        if (scheme === 'dark')
          await page.context().addCookies([{ name: 'waymark_theme', value: 'dark', url: server.url }]);
        await page.goto(url('/login?return=/cohorts'));
        await page.fill('#login-email', email);
        await page.fill('#login-password', 'correct horse battery');
        await Promise.all([
          page.waitForURL(url('/cohorts')),
          page.click('form[action="/login"] button[type="submit"]'),
        ]);
        const api = (path: string, data: unknown) =>
          page.request.post(url(path), { data, headers: { origin: server.url } });
        const created = await api('/api/v1/cohorts', {
          name: `Axe cohort ${scheme}`,
          roadmapIds: ['backend'],
          startDate: '2026-03-02',
          targetWeeks: 26,
          hoursPerWeek: 10,
        });
        assert.equal(created.status(), 201, await created.text());
        const cohortId = ((await created.json()) as { id: string }).id;
        const mentor = await api(`/api/v1/cohorts/${cohortId}/mentors`, { email });
        assert.ok(mentor.ok(), await mentor.text());
        for (const [name, path] of [
          ['cohorts (admin and mentor)', '/cohorts'],
          ['cohort table', `/cohorts/${cohortId}`],
          ['cohort insights', `/cohorts/${cohortId}/insights`],
        ] as const) {
          const response = await page.goto(url(path));
          assert.equal(response?.status(), 200, path);
          await check(name);
        }
        // Logged out pages too (sign up and log in look different for a guest vs a visitor).
        await page.context().clearCookies();
        if (scheme === 'dark')
          await page.context().addCookies([{ name: 'waymark_theme', value: 'dark', url: server.url }]);
        const visitorPages: [string, string][] = [
          ['sign up (visitor)', '/signup'],
          ['settings (visitor)', '/settings'],
          ['home (visitor)', '/'],
          ['forgot password (no email)', '/password/forgot'],
          ['check your inbox', '/check-inbox'],
        ];
        for (const [name, path] of visitorPages) {
          await page.goto(url(path));
          await check(name);
        }
        assert.deepEqual(failures, []);
      });
    }
  });

  it('every page, opened by this test as a signed-in learner, runs under the CSP without a violation or script error', async () => {
    const { page } = await newPage();
    const seen: string[] = [];
    // The browser reports each blocked resource or inline code as a DOM event; the console line is a second witness.
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`Content Security Policy: ${event.violatedDirective} blocked ${event.blockedURI}`),
      ),
    );
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) seen.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => seen.push(`${page.url()}: script error ${error.message}`));

    await page.goto(url('/signup'));
    await page.fill('#signup-email', 'csp@example.org');
    await page.fill('#signup-password', 'correct horse battery');
    await Promise.all([
      page.waitForURL(url('/')),
      page.click('form[action="/signup"] button[type="submit"]'),
    ]);
    await page.goto(url('/roadmaps/backend/topics/jwt'));
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/progress')),
      page.click('button.status-button[value="learning"]'),
    ]);
    const pages = [
      '/',
      '/roadmaps',
      '/roadmaps/backend',
      '/roadmaps/backend?view=diagram',
      '/roadmaps/backend?view=list',
      '/roadmaps/backend/topics/jwt',
      '/roadmaps/backend/print',
      '/roadmaps/backend/plan',
      '/roadmaps/backend/plan/print',
      '/plan',
      '/dashboard',
      '/review',
      '/settings',
      '/projects',
      '/cohorts',
      '/feedback',
      '/check-inbox',
      '/password/forgot',
      '/no-such-page',
    ];
    for (const path of pages) {
      const response = await page.goto(url(path));
      assert.ok(response, path);
      assert.ok(response.status() < 500, `${path} answered ${response.status()}`);
      await page.waitForLoadState('networkidle');
    }
    // Keyboard help and the topic panel run island code on the roadmap page.
    await page.goto(url('/roadmaps/backend'));
    await page.keyboard.press('?');
    await page.keyboard.press('Escape');
    await page.click('a.node[data-topic="http-basics"]');
    await page.waitForSelector('#panel article.topic[data-topic="http-basics"]');
    assert.deepEqual(seen, [], 'no violation or script error on any page');
    assert.deepEqual(cspViolations, [], 'nor in any earlier test');

    // The watch above can see a violation: inline script is refused by the policy and reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
    });
    await page.waitForFunction(() => true);
    await expectEventually(() => seen.length > 0, 'the injected inline script is reported as a violation');
    assert.equal(
      await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan),
      undefined,
    );
  });
});
