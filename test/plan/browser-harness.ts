import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, dialects, type Client, type TestApp } from '../helpers.js';
import { CHROMIUM_PATH, ensureWebAssets, launchChromium } from '../web/chromium.js';

// Browser harness for the plan and dashboard pages, on top of the web tests' Chromium launcher (Debian's
// Chromium driven by playwright-core, never a downloaded browser): a listening Waymark on SQLite with a
// clock the test controls, and axe-core.

export const CHROMIUM = CHROMIUM_PATH;

/** Why browser tests cannot run here, or null. With CI=true a missing Chromium fails instead. */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  console.log(`# SKIPPED browser tests: ${reason}`);
  return reason;
}

/** Chromium, after making sure the client assets are built and current. */
export async function launchBrowser(): Promise<Browser> {
  await ensureWebAssets();
  return launchChromium();
}

/** A listening app (port chosen by the OS) whose clock starts at `now`. */
export async function startPlanServer(now: string): Promise<TestApp & { url: string }> {
  const sqlite = (await dialects()).find((d) => d.name === 'sqlite');
  if (!sqlite) throw new Error('SQLite dialect missing');
  const t = await createTestApp(sqlite, { now });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...t, url: `http://localhost:${new URL(address).port}` };
}

/** A browser context signed in with the session of an API `Client` (a guest or an account). */
export async function contextFor(
  browser: Browser,
  url: string,
  client: Client,
  options: { dark?: boolean; mobile?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    colorScheme: options.dark ? 'dark' : 'light',
    viewport: options.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    timezoneId: 'Europe/Berlin',
  });
  if (client.cookie) await context.addCookies([{ name: 'waymark_session', value: client.cookie, url }]);
  return context;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Serious and critical axe-core violations on the page (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') rightly blocks an inline <script>.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n  ')}`,
    )
    .join('\n');
}
