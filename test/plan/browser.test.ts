import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { Client } from '../helpers.js';
import { type TestApp } from '../helpers.js';
import {
  browserSkipReason,
  contextFor,
  describeViolations,
  launchBrowser,
  seriousViolations,
  startPlanServer,
} from './browser-harness.js';
import { seedBusyLearner } from './seed.js';

// The plan and dashboard pages in real Chromium: accessible (axe-core, light and dark), usable without
// JavaScript, enhanced with it, printable on A4 and laid out for a phone.

const skip = browserSkipReason();

describe('plan and dashboard in Chromium', { skip: skip ?? false }, () => {
  let server: TestApp & { url: string };
  let browser: Browser;
  let learner: Client;

  before(async () => {
    server = await startPlanServer('2026-03-02T08:00:00Z');
    learner = await seedBusyLearner(server);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const dark of [false, true]) {
    const mode = dark ? 'dark' : 'light';
    it(`has no serious or critical axe violations on the plan, dashboard, print and preview pages (${mode})`, async () => {
      const context = await contextFor(browser, server.url, learner, { dark });
      const page = await context.newPage();
      for (const path of [
        '/roadmaps/backend/plan',
        '/dashboard',
        '/roadmaps/backend/plan/print',
        '/roadmaps/backend/plan/versions/1',
      ]) {
        await page.goto(server.url + path);
        // Open every disclosure so the hidden tables and forms are checked too.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        const violations = await seriousViolations(page);
        assert.deepEqual(violations, [], `${path} (${mode}):\n${describeViolations(violations)}`);
      }
      const visitor = await browser.newContext({ colorScheme: dark ? 'dark' : 'light' });
      const preview = await visitor.newPage();
      await preview.goto(`${server.url}/roadmaps/backend/plan`);
      const violations = await seriousViolations(preview);
      assert.deepEqual(violations, [], `preview (${mode}):\n${describeViolations(violations)}`);
      await visitor.close();
      await context.close();
    });
  }

  it('draws the charts with colours that follow the colour scheme', async () => {
    const strokes: string[] = [];
    for (const dark of [false, true]) {
      const context = await contextFor(browser, server.url, learner, { dark });
      const page = await context.newPage();
      await page.goto(`${server.url}/dashboard`);
      const chart = page.locator('#burnup-hours-title').locator('..');
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 300 && box.height > 120, 'the burn-up has a real size');
      strokes.push(
        await page
          .locator('.chart-actual')
          .first()
          .evaluate((el) => getComputedStyle(el).stroke),
      );
      assert.equal(
        await page.locator('rect.heat').count(),
        26 * 7 - 5,
        'one cell per day up to today (Tuesday)',
      );
      await context.close();
    }
    assert.notEqual(strokes[0], strokes[1]);
  });

  it('saves settings without JavaScript through the plain form', async () => {
    const context = await contextFor(browser, server.url, learner);
    await context.close();
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(`${server.url}/roadmaps/backend/plan`);
    await page.getByLabel('Hours a week').fill('9');
    await page.getByLabel('Time zone').fill('Europe/Lisbon');
    await page.getByRole('button', { name: 'Save this plan' }).click();
    await page.waitForURL(`${server.url}/roadmaps/backend/plan#settings`);
    await assert.doesNotReject(page.getByText(/Plan saved \(version 1\)/).waitFor());
    assert.match((await page.locator('.lead').first().textContent()) ?? '', /9 hours a week on 5 days/);
    await page.getByLabel('Hours a week').fill('0');
    await page.getByRole('button', { name: 'Save and re-plan' }).click();
    await page.locator('#hoursPerWeek-error').waitFor();
    assert.equal(await page.locator('#hoursPerWeek').getAttribute('aria-invalid'), 'true');
    assert.match((await page.locator('#hoursPerWeek-error').textContent()) ?? '', /from 1 to 60/);
    assert.equal(await page.locator('#hoursPerWeek').inputValue(), '0', 'what was typed is kept');
    // Post/Redirect/Get: the page's own address, the refused field focused without any script, and a
    // reload that sends nothing.
    assert.equal(page.url(), `${server.url}/roadmaps/backend/plan`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'hoursPerWeek');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    await page.reload();
    assert.deepEqual(posts, [], 'a reload does not send the form again');
    await noJs.close();
  });

  it('a refused setting (0, 1000, 2.5 hours) is shown beside the field, focused, in view, at the page’s own address', async () => {
    const context = await contextFor(browser, server.url, learner);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${server.url}/roadmaps/backend/plan`);
    for (const hours of ['0', '1000', '2.5']) {
      await page.locator('#hoursPerWeek').fill(hours);
      // The server's answer is what is tested (a browser's own checks may differ).
      await page.$eval('#settings form', (form) => ((form as HTMLFormElement).noValidate = true));
      await Promise.all([
        page.waitForLoadState('load'),
        page.locator('#settings button[type="submit"]').first().click(),
      ]);
      await page.locator('#hoursPerWeek-error').waitFor();
      assert.match(
        (await page.locator('#hoursPerWeek-error').textContent()) ?? '',
        /\S/,
        `a message for ${hours}`,
      );
      // The island runs once the page has loaded.
      await page.waitForFunction(() => document.activeElement?.id === 'hoursPerWeek', undefined, {
        timeout: 5000,
      });
      const box = await page.locator('#hoursPerWeek').boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 900, `the field is on screen for ${hours}`);
      assert.equal(new URL(page.url()).pathname, '/roadmaps/backend/plan', 'not the POST address');
    }
    // A good value saves and the field stays where the visitor was working.
    await page.locator('#hoursPerWeek').fill('8');
    await Promise.all([
      page.waitForURL(/\/plan#settings$/),
      page.locator('#settings button[type="submit"]').first().click(),
    ]);
    const after = await page.locator('#hoursPerWeek').boundingBox();
    assert.ok(after && after.y < 900, `after saving, the hours field is on the first screen (${after?.y})`);
    assert.equal(await page.locator('#hoursPerWeek').inputValue(), '8');
    await context.close();
  });

  it('with JavaScript: fills in the browser’s time zone for a new plan and saves a reflection without reloading', async () => {
    const visitor = await browser.newContext({ timezoneId: 'America/Chicago' });
    const fresh = await visitor.newPage();
    await fresh.goto(`${server.url}/roadmaps/backend/plan`);
    assert.equal(await fresh.getByLabel('Time zone').inputValue(), 'America/Chicago');
    await visitor.close();

    const context = await contextFor(browser, server.url, learner);
    const page = await context.newPage();
    await page.goto(`${server.url}/roadmaps/backend/plan#week-5`);
    const week = page.locator('#week-5');
    await week.locator('summary').click();
    await week.getByLabel(/What went well/).fill('Easter week: family first.');
    let navigated = false;
    page.on('framenavigated', () => (navigated = true));
    await week.getByRole('button', { name: /Save reflection/ }).click();
    await page.getByText('Reflection saved.').first().waitFor();
    assert.equal(navigated, false, 'saved through the API, no page load');
    const check = await learner.get('/api/v1/roadmaps/backend/plan/weeks/4/checkin');
    assert.equal(JSON.parse(check.body).note, 'Easter week: family first.');
    await context.close();
  });

  it('prints the plan on A4 without the navigation, each week in one piece', async () => {
    const context = await contextFor(browser, server.url, learner);
    const page = await context.newPage();
    await page.goto(`${server.url}/roadmaps/backend/plan/print`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).display), 'none');
    assert.equal(
      await page
        .locator('.print-week')
        .first()
        .evaluate((el) => getComputedStyle(el).breakInside),
      'avoid',
    );
    const weeks = await page.locator('.print-week').count();
    assert.ok(weeks >= 20, `${weeks} weeks printed`);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 3 && pages <= 30, `${pages} A4 pages`);
    await context.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const context = await contextFor(browser, server.url, learner, { mobile: true });
    const page = await context.newPage();
    for (const path of ['/roadmaps/backend/plan', '/dashboard']) {
      await page.goto(server.url + path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${path} is ${overflow}px wider than the screen`);
      const header = await page.locator('.site-header').boundingBox();
      assert.ok(header && header.height <= 64, `${path}: the header is one row (${header?.height} px)`);
    }
    // The dashboard: the heatmap opens at today, and the burn-up's axis text is readable.
    const phone = await page.evaluate(() => {
      const scroller = document.querySelector('.heatmap-scroll')!.getBoundingClientRect();
      const cells = Array.from(document.querySelectorAll('.heatmap-svg rect.heat'));
      const today = cells.at(-1)!.getBoundingClientRect();
      const sizes = Array.from(document.querySelectorAll<SVGTextElement>('.burnup .chart-label'))
        .filter((label) => getComputedStyle(label).display !== 'none')
        .map((label) => parseFloat(getComputedStyle(label).fontSize) * label.getScreenCTM()!.a);
      return {
        scrolls: document.querySelector('.heatmap-scroll')!.scrollWidth > scroller.width,
        todayShown: today.left >= scroller.left - 1 && today.right <= scroller.right + 1,
        smallest: Math.min(...sizes),
      };
    });
    assert.ok(phone.scrolls, 'the heatmap is wider than a phone');
    assert.ok(phone.todayShown, 'the heatmap opens scrolled to today');
    assert.ok(phone.smallest >= 11, `burn-up axis text is ${phone.smallest.toFixed(1)} px`);
    await context.close();
  });
});
