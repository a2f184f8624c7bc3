import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../web/chromium.js';
import { createTestApp, dialects, type TestApp } from '../helpers.js';

// The review page in real Chromium (Debian's, never a downloaded one): keyboard flow with the
// island, the same steps with JavaScript off, and axe-core in light and dark mode.

const CHROMIUM = CHROMIUM_PATH;
const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`;
if (missing && process.env.CI === 'true') throw new Error(`CI=true but ${missing}`);
if (missing) console.log(`# SKIPPED review browser tests: ${missing}`);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page and returns the serious and critical violations, described. */
async function seriousViolations(page: Page): Promise<string[]> {
  // page.evaluate is not subject to the page's CSP (which rightly forbids inline scripts).
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Marks a topic learning as the visitor (which makes them a guest), from inside the page. */
async function markLearning(page: Page, topicId: string): Promise<void> {
  const status = await page.evaluate(async (id) => {
    const response = await fetch(`/api/v1/topics/${id}/progress`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'learning' }),
    });
    return response.status;
  }, topicId);
  assert.equal(status, 200);
}

describe('review page in Chromium', { skip: missing ?? false }, () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;

  before(async () => {
    const sqlite = (await dialects()).find((d) => d.name === 'sqlite')!;
    t = await createTestApp(sqlite);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://localhost:${new URL(address).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`keyboard review flow with no serious accessibility violations (${scheme})`, async () => {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 1000, height: 900 },
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(`${url}/review`);
        assert.deepEqual(await seriousViolations(page), [], 'empty state');
        await markLearning(page, 'dns');
        const cards = t.content.topics.get('dns')!.cards;
        const choice = cards[0]!;
        assert.equal(choice.type, 'choice');

        await page.goto(`${url}/review`);
        assert.ok(
          await page.locator('script[src*="/assets/review/"]').count(),
          'the review island is loaded (run npm run build:web)',
        );
        assert.equal(await page.locator('#review-question').textContent(), choice.question);
        assert.deepEqual(await seriousViolations(page), [], 'question with choices');

        // Pick the right option by its letter; the answer appears in place, focused.
        await page.keyboard.press('ABCDEF'[choice.correct!]!);
        await page.locator('.review-verdict').waitFor();
        assert.match((await page.locator('.review-verdict').textContent()) ?? '', /Right!/);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'review-answer');
        assert.match(page.url(), /reveal=/, 'the address matches what is shown');
        assert.deepEqual(await seriousViolations(page), [], 'revealed answer with ratings');

        // 3 = Good: the next card comes without a page load.
        await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
        await page.keyboard.press('3');
        await page.locator(`[data-card="${cards[1]!.key}"]`).waitFor();
        assert.equal(
          await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
          true,
          'no full reload',
        );
        assert.match((await page.locator('.review-counts').textContent()) ?? '', /1\s*done this session/);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'review-question');

        // Space reveals a basic card; 1 = Again.
        assert.equal(cards[1]!.type, 'basic');
        await page.keyboard.press(' ');
        await page.locator('.review-answer').waitFor();
        assert.equal((await page.locator('.review-answer p').textContent())?.trim(), cards[1]!.answer);
        await page.keyboard.press('1');
        await page.locator(`[data-card="${cards[2]!.key}"]`).waitFor();
        assert.match((await page.locator('.review-counts').textContent()) ?? '', /2\s*done this session/);

        const summary = await page.evaluate(async () => (await fetch('/api/v1/review/summary')).json());
        assert.deepEqual([summary.new, summary.learning, summary.total], [cards.length - 2, 2, cards.length]);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }

  it('? lists the review keys, the hint names the letters the card has, and new cards are limited per day', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${url}/review`);
      // Ten topics at once: far more cards than a day's share of new ones.
      const topics = [...t.content.topics.values()]
        .filter((topic) => topic.cards.length > 0 && topic.id !== 'dns' && topic.id !== 'kafka')
        .slice(0, 10);
      for (const topic of topics) await markLearning(page, topic.id);
      const cards = topics.reduce((sum, topic) => sum + topic.cards.length, 0);
      await page.goto(`${url}/review`);
      const counts = () => page.locator('.review-counts').textContent();
      assert.match((await counts()) ?? '', /20\s*new/, 'twenty new cards today, not all of them');
      assert.match((await counts()) ?? '', new RegExp(`${cards - 20}\\s*new waiting \\(daily limit\\)`));

      // The keys hint matches the card: A–D on a four-choice card, Space on a question card.
      const choices = await page.locator('.review-choices button[name="choice"]').count();
      const hint = (await page.locator('.review-keys').textContent()) ?? '';
      if (choices > 0) assert.match(hint, new RegExp(`A–${'ABCDEF'[choices - 1]} pick a choice`));
      else assert.match(hint, /Space show the answer/);
      assert.doesNotMatch(hint, choices === 4 ? /A–F/ : /^$/);

      // "?" lists this page's keys, not the roadmap's.
      await page.keyboard.press('?');
      const list = (await page.locator('#shortcuts').textContent()) ?? '';
      assert.match(list, /Space\s*Show the answer/);
      assert.match(list, /A B C D …\s*Pick that choice/);
      assert.match(list, /1\s*Rate: Again/);
      assert.match(list, /4\s*Rate: Easy/);
      assert.doesNotMatch(list, /diagram/i);
      await page.keyboard.press('Escape');

      // The limit is a setting.
      await page.fill('#review-new-cards', '5');
      await Promise.all([
        page.waitForURL(`${url}/review`),
        page.click('form[action="/review/settings/new-cards"] button'),
      ]);
      assert.match((await page.locator('.messages').textContent()) ?? '', /Up to 5 new cards a day/);
      assert.match((await counts()) ?? '', /5\s*new/);
      await page.fill('#review-new-cards', '1000');
      assert.equal(
        await page.$eval('#review-new-cards', (input) => (input as HTMLInputElement).validity.valid),
        false,
        'the browser refuses it first',
      );
      // The server refuses it too (a browser without validation), beside the field.
      await page.$eval('form[action="/review/settings/new-cards"]', (form) => {
        (form as HTMLFormElement).noValidate = true;
      });
      await page.click('form[action="/review/settings/new-cards"] button');
      await page.locator('#review-new-cards-error').waitFor();
      assert.match((await page.locator('#review-new-cards-error').textContent()) ?? '', /from 0 to 500/);
      assert.deepEqual(await seriousViolations(page), [], 'settings error state');
    } finally {
      await context.close();
    }
  });

  it('works with JavaScript turned off, at phone width', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 800 },
    });
    const page = await context.newPage();
    try {
      await page.goto(`${url}/review`);
      // Without JavaScript the visitor becomes a guest through a form: mark the topic on its page.
      await page.goto(`${url}/roadmaps/backend/topics/kafka`);
      const marked = page.waitForResponse((response) => response.url().endsWith('/topics/kafka/status'));
      await page.locator('form[action$="/status"] button[value="learning"]').first().click();
      assert.equal((await marked).status(), 303);
      await page.waitForLoadState();
      await page.goto(`${url}/review`);
      const cards = t.content.topics.get('kafka')!.cards;
      assert.equal(await page.locator('#review-question').textContent(), cards[0]!.question);
      if (cards[0]!.type === 'choice')
        await page.getByRole('button', { name: 'Just show the answer' }).click();
      else await page.getByRole('button', { name: 'Show answer' }).click();
      await page.locator('.review-answer').waitFor();
      assert.equal((await page.locator('.review-answer p').textContent())?.trim(), cards[0]!.answer);
      await page.getByRole('button', { name: /^Good/ }).click();
      await page.locator(`[data-card="${cards[1]!.key}"]`).waitFor();
      assert.match(page.url(), /\/review\?done=1&rated=3$/);
      assert.match((await page.locator('.review-counts').textContent()) ?? '', /1\s*done this session/);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow}px too wide)`);
    } finally {
      await context.close();
    }
  });
});
