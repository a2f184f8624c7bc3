import { Client } from '../helpers.js';
import { contextFor, launchBrowser, startPlanServer } from './browser-harness.js';
import { seedBusyLearner } from './seed.js';
const t = await startPlanServer('2026-03-02T08:00:00Z');
const client = await seedBusyLearner(t, new Client(t.app));
if (process.argv.includes('--behind')) {
  t.clock.advance(10 * 86400000);
  await client.get('/api/v1/me');
}
const browser = await launchBrowser();
const targets: [string, string, string[]][] = [
  ['plan', '/roadmaps/backend/plan', ['.plan-weeks-section', '#settings', '#calendar', '#versions']],
  [
    'dash',
    '/dashboard',
    ['.dash-columns', 'section[aria-labelledby="activity-title"]', 'section[aria-labelledby="burnup-title"]'],
  ],
  ['print', '/roadmaps/backend/plan/print', []],
];
const which = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const [name, opts] of [
  ['light', {}],
  ['dark', { dark: true }],
  ['phone', { mobile: true }],
] as const) {
  const ctx = await contextFor(browser, t.url, client, opts);
  const page = await ctx.newPage();
  for (const [slug, path, selectors] of targets) {
    if (which.length && !which.includes(slug)) continue;
    await page.goto(t.url + path);
    if (slug === 'print') await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: `/tmp/wm-${slug}-${name}.png` });
    if (slug === 'print') await page.emulateMedia({ media: 'screen' });
    for (const [i, sel] of selectors.entries()) {
      const el = page.locator(sel).first();
      const box = await el.boundingBox();
      if (!box) continue;
      await page.screenshot({
        path: `/tmp/wm-${slug}-${name}-${i}.png`,
        clip: { x: 0, y: box.y, width: page.viewportSize()!.width, height: Math.min(box.height, 1400) },
        fullPage: true,
      });
    }
  }
  await ctx.close();
}
await browser.close();
await t.close();
