// Pages and plan/dashboard answers come from a per-user response cache (src/http/response-cache.ts).
// Whatever changes — a progress write through the API or a no-JavaScript form, a plan setting, the time
// zone, the day, the theme — the next request must show it at once, and ETags must follow the body.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { DAY_MS } from '../../src/lib/clock.js';
import { localDateOf } from '../../src/plan/dates.js';
import { createTestApp, dialects, type TestApp } from '../helpers.js';
import { FormBrowser } from './web-helpers.js';

const statusOn = (html: string, topic: string) =>
  new RegExp(`<li class="s-(\\w+)" data-topic="${topic}"`).exec(html)?.[1] ?? null;

interface PlanBody {
  today: string;
  settings: { hoursPerWeek: number; timeZone: string };
}
interface DashboardBody {
  today: string;
  timeZone: string;
  progress: { done: number; learning: number };
}

const body = <T>(response: LightMyRequestResponse): T => {
  assert.equal(response.statusCode, 200, response.body);
  return JSON.parse(response.body) as T;
};

for (const dialect of await dialects()) {
  describe(`cached pages and answers (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('the roadmap page shows every progress write at once, through the API and the no-JavaScript form', async () => {
      const browser = new FormBrowser(t.app);
      await browser.api('PUT', '/api/v1/topics/http-basics/progress', { status: 'learning' });
      const first = await browser.get('/roadmaps/backend?view=list');
      assert.equal(first.statusCode, 200);
      assert.equal(statusOn(first.body, 'dns'), 'pending');
      const again = await browser.get('/roadmaps/backend?view=list');
      assert.equal(again.body, first.body, 'the same page while nothing changed');
      assert.equal(again.headers.etag, first.headers.etag);
      if (dialect.name === 'sqlite') assert.ok(t.app.responses.size().entries > 0, 'kept in the cache');

      await browser.api('PUT', '/api/v1/topics/dns/progress', { status: 'done' });
      const afterApi = await browser.get('/roadmaps/backend?view=list');
      assert.equal(statusOn(afterApi.body, 'dns'), 'done', 'an API write shows at once');
      assert.notEqual(afterApi.headers.etag, first.headers.etag);

      const posted = await browser.post('/roadmaps/backend/topics/dns/status', {
        status: 'skipped',
        return: '/roadmaps/backend?view=list',
      });
      assert.equal(posted.statusCode, 303, 'the form saved');
      const afterForm = await browser.get('/roadmaps/backend?view=list');
      assert.equal(statusOn(afterForm.body, 'dns'), 'skipped', 'a form write shows at once');
      // The page after the flash message has been shown once is the cached one again, and still right.
      const plain = await browser.get('/roadmaps/backend?view=list');
      assert.equal(statusOn(plain.body, 'dns'), 'skipped');
    });

    it('answers If-None-Match with 304 until the page changes, and serves br and gzip of the same page', async () => {
      const browser = new FormBrowser(t.app);
      await browser.api('PUT', '/api/v1/topics/dns/progress', { status: 'learning' });
      const page = await browser.get('/roadmaps/backend');
      const etag = page.headers.etag as string;
      assert.match(etag, /^"[\w-]+"$/);
      const unchanged = await browser.get('/roadmaps/backend', { 'if-none-match': etag });
      assert.equal(unchanged.statusCode, 304);
      assert.equal(unchanged.body, '');

      const br = await browser.get('/roadmaps/backend', { 'accept-encoding': 'gzip, br' });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), page.body);
      assert.match(String(br.headers.vary), /Accept-Encoding/);
      const gzip = await browser.get('/roadmaps/backend', { 'accept-encoding': 'gzip' });
      assert.equal(gzip.headers['content-encoding'], 'gzip');
      assert.equal(gunzipSync(gzip.rawPayload).toString(), page.body);
      assert.equal(
        (await browser.get('/roadmaps/backend', { 'if-none-match': br.headers.etag as string })).statusCode,
        304,
        'the compressed tag matches too',
      );

      await browser.api('PUT', '/api/v1/topics/dns/progress', { status: 'done' });
      const changed = await browser.get('/roadmaps/backend', { 'if-none-match': etag });
      assert.equal(changed.statusCode, 200, 'a write makes the old tag stale');
      assert.notEqual(changed.headers.etag, etag);
    });

    it('each visitor sees their own page, in their own theme', async () => {
      const a = new FormBrowser(t.app);
      const b = new FormBrowser(t.app);
      await a.api('PUT', '/api/v1/topics/dns/progress', { status: 'done' });
      await b.api('PUT', '/api/v1/topics/dns/progress', { status: 'learning' });
      assert.equal(statusOn((await a.get('/roadmaps/backend?view=list')).body, 'dns'), 'done');
      assert.equal(statusOn((await b.get('/roadmaps/backend?view=list')).body, 'dns'), 'learning');
      assert.doesNotMatch((await a.get('/roadmaps/backend')).body, /<html lang="en" class="theme-dark"/);
      a.cookies.set('waymark_theme', 'dark');
      assert.match((await a.get('/roadmaps/backend')).body, /<html lang="en" class="theme-dark"/);
    });

    it('the plan (API and page) and the dashboard follow writes, settings, the time zone and the day', async () => {
      const browser = new FormBrowser(t.app);
      await browser.api('PUT', '/api/v1/roadmaps/backend/plan', { hoursPerWeek: 6 });
      const plan = body<PlanBody>(await browser.api('GET', '/api/v1/roadmaps/backend/plan'));
      assert.equal(plan.settings.hoursPerWeek, 6);
      const dashboard = body<DashboardBody>(await browser.api('GET', '/api/v1/dashboard?roadmapId=backend'));
      assert.equal(dashboard.progress.done, 0);
      await browser.get('/roadmaps/backend/plan');
      await browser.get('/dashboard');

      // A progress write.
      await browser.api('PUT', '/api/v1/topics/dns/progress', { status: 'done' });
      assert.equal(
        body<DashboardBody>(await browser.api('GET', '/api/v1/dashboard?roadmapId=backend')).progress.done,
        1,
      );
      assert.match((await browser.get('/dashboard')).body, /1 of \d+ topics|1\/\d+|>1</);

      // A setting, through the API and through the no-JavaScript form.
      await browser.api('PUT', '/api/v1/roadmaps/backend/plan', { hoursPerWeek: 9 });
      assert.equal(
        body<PlanBody>(await browser.api('GET', '/api/v1/roadmaps/backend/plan')).settings.hoursPerWeek,
        9,
      );
      assert.match((await browser.get('/roadmaps/backend/plan')).body, /name="hoursPerWeek"[^>]*value="9"/);
      const saved = await browser.post('/roadmaps/backend/plan/settings', {
        startDate: '2026-03-02',
        hoursPerWeek: '11',
        targetWeeks: '26',
        timeZone: 'UTC',
        studyDays: 'mon',
      });
      assert.equal(saved.statusCode, 303, 'the form saved');
      assert.match((await browser.get('/roadmaps/backend/plan')).body, /name="hoursPerWeek"[^>]*value="11"/);
      assert.equal(
        body<PlanBody>(await browser.api('GET', '/api/v1/roadmaps/backend/plan')).settings.hoursPerWeek,
        11,
      );

      // The time zone: "today" is computed in the new zone at once.
      const zone = 'Pacific/Kiritimati';
      await browser.api('PUT', '/api/v1/roadmaps/backend/plan', { timeZone: zone });
      const zoned = body<DashboardBody>(await browser.api('GET', '/api/v1/dashboard?roadmapId=backend'));
      assert.equal(zoned.timeZone, zone);
      assert.equal(zoned.today, localDateOf(t.clock.now(), zone));

      // A new day, with no write at all.
      const before = body<PlanBody>(await browser.api('GET', '/api/v1/roadmaps/backend/plan')).today;
      assert.match((await browser.get('/roadmaps/backend/plan')).body, /Week 1\./);
      t.clock.advance(DAY_MS);
      const nextPlan = body<PlanBody>(await browser.api('GET', '/api/v1/roadmaps/backend/plan'));
      assert.equal(nextPlan.today, localDateOf(t.clock.now(), zone));
      assert.notEqual(nextPlan.today, before);
      const nextDashboard = body<DashboardBody>(
        await browser.api('GET', '/api/v1/dashboard?roadmapId=backend'),
      );
      assert.equal(nextDashboard.today, nextPlan.today);
      // A new week: the page's "where you stand" moves on.
      t.clock.advance(7 * DAY_MS);
      assert.match((await browser.get('/roadmaps/backend/plan')).body, /Week 2\./);
    });
  });
}
