import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../web/chromium.js';
import { createTestApp, dialects, realContent, type TestApp } from '../helpers.js';
import {
  checksConfig,
  contentWithProjects,
  fixtureProject,
  startFixtureApi,
  type FixtureApi,
} from './fixture.js';

// A learner starts a run from the project page in real Chromium and watches the results arrive (the
// fixture API holds its answers until the test releases them, so the page is seen before and after),
// then the page and the projects list are checked with axe-core in light and dark mode.

const missing = existsSync(CHROMIUM_PATH)
  ? null
  : `${CHROMIUM_PATH} is missing (apt-get install -y chromium)`;
if (missing && process.env.CI === 'true') throw new Error(`CI=true but ${missing}`);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations;
  })) as Array<{ id: string; impact: string | null; help: string; nodes: { target: string[] }[] }>;
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('project page in Chromium', { skip: missing ?? false }, () => {
  let t: TestApp;
  let api: FixtureApi;
  let url: string;
  let browser: Browser;
  const project = fixtureProject();

  before(async () => {
    api = await startFixtureApi();
    const sqlite = (await dialects()).find((d) => d.name === 'sqlite')!;
    const content = contentWithProjects(await realContent(), [project]);
    // Private targets allowed only for this test's fixture address.
    t = await createTestApp(sqlite, { content, config: { checks: checksConfig({ runsPerMinute: 100 }) } });
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://localhost:${new URL(address).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await api?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`a learner starts a run and watches each check arrive, accessible (${scheme})`, async () => {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 1100, height: 900 },
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(`${url}/projects`);
        const signup = await page.evaluate(async (email) => {
          const response = await fetch('/api/v1/auth/signup', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password: 'correct horse battery' }),
          });
          return response.status;
        }, `browser-${scheme}@example.org`);
        assert.equal(signup, 201);
        await page.goto(`${url}/projects`);
        assert.match(await page.locator('.project-card').first().innerText(), /Not started/);
        assert.deepEqual(await seriousViolations(page), [], 'projects list');

        await page.click(`a[href="/projects/${project.id}"]`);
        assert.deepEqual(await seriousViolations(page), [], 'project page before a run');
        api.mode.hold = true;
        await page.fill('#baseUrl', api.url);
        await page.click('button:has-text("Start a run")');
        await page.waitForURL(/\?run=/);
        // Nothing has answered yet: the page shows the run without results.
        assert.equal(await page.locator('#run-checks > li').count(), 0);
        assert.match(await page.locator('#run-panel h2').innerText(), /Queued|Running/);
        api.release();
        await page.locator('#run-checks > li').nth(2).waitFor();
        await page.locator('#run-panel[data-run-state="passed"]').waitFor();
        await page.locator('#evidence').waitFor();
        assert.match(await page.locator('#run-panel').innerText(), /3 of 3 checks passed/);
        assert.match(await page.locator('#evidence').innerText(), /Verified/);
        assert.deepEqual(await seriousViolations(page), [], 'project page after a passing run');

        await page.goto(`${url}/projects`);
        assert.match(await page.locator('.project-card').first().innerText(), /Verified/);
        assert.deepEqual(errors, []);
      } finally {
        api.release();
        await context.close();
      }
    });
  }

  it('without JavaScript the run form works and the Refresh button shows the results', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${url}/signup`);
      await page.fill('input[name="email"]', 'nojs@example.org');
      await page.fill('input[name="password"]', 'correct horse battery');
      await page.click('form[action="/signup"] button[type="submit"]');
      await page.goto(`${url}/projects/${project.id}`);
      await page.fill('#baseUrl', 'http://10.0.0.1:8080');
      await page.click('button:has-text("Start a run")');
      assert.match(await page.locator('#baseUrl-error').innerText(), /private network address/);
      await page.fill('#baseUrl', api.url);
      await page.click('button:has-text("Start a run")');
      await page.waitForURL(/\?run=/);
      // (A browser without JavaScript also refreshes by itself through <noscript><meta refresh>; Playwright's
      // switch leaves <noscript> unparsed, so press the button a person would press.)
      for (
        let i = 0;
        i < 100 && (await page.locator('#run-panel[data-run-state="passed"]').count()) === 0;
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const refresh = page.locator('#run-panel button:has-text("Refresh results")');
        if ((await refresh.count()) > 0) await refresh.click();
      }
      assert.match(await page.locator('#run-panel').innerText(), /3 of 3 checks passed/);
    } finally {
      await context.close();
    }
  });
});
