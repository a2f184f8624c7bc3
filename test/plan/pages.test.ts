import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client, ORIGIN, createTestApp, dialects, json, type TestApp } from '../helpers.js';

// The plan, dashboard and printable plan pages through app.inject: server-rendered, readable without
// JavaScript, every form a plain HTML form that works on its own (and passes the Origin check).

const PAGE = '/roadmaps/backend/plan';

/** Posts an HTML form the way a browser does (urlencoded, repeated names for checkboxes). */
async function submit(t: TestApp, client: Client, url: string, fields: [string, string][], origin = ORIGIN) {
  const response = await t.app.inject({
    method: 'POST',
    url,
    headers: {
      host: new URL(ORIGIN).host,
      origin,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...(client.cookie ? { cookie: `waymark_session=${client.cookie}` } : {}),
    },
    payload: new URLSearchParams(fields).toString(),
  });
  const session = response.cookies.find((c) => c.name === 'waymark_session');
  if (session?.value) client.cookie = session.value;
  return response;
}

const html = (client: Client, url: string) => client.get(url, { accept: 'text/html' });

/**
 * Submits a settings form that must be refused: Post/Redirect/Get back to the plan's own address, whose
 * page (read with the flash cookie, as a browser follows the redirect) is returned.
 */
async function refusedSettings(t: TestApp, client: Client, page: string, fields: [string, string][]) {
  const res = await submit(t, client, `${page}/settings`, fields);
  assert.equal(res.statusCode, 303, 'a refused form redirects: a reload must not send it again');
  assert.equal(res.headers.location, page);
  const flash = res.cookies.find((c) => c.name === 'waymark_flash');
  assert.ok(flash?.value, 'the messages ride in the flash');
  return client.get(page, {
    accept: 'text/html',
    cookie: `waymark_session=${client.cookie}; waymark_flash=${encodeURIComponent(flash.value)}`,
  });
}

/** The settings form as the page renders it, with every box as it is checked now. */
function formFields(page: string): [string, string][] {
  const form = /<form method="post" action="\/roadmaps\/backend\/plan\/settings"[\s\S]*?<\/form>/.exec(
    page,
  )![0];
  const fields: [string, string][] = [];
  for (const [input] of form.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    if (!name) continue;
    const value = /value="([^"]*)"/.exec(input)?.[1] ?? '';
    if (/type="checkbox"/.test(input) && !/ checked/.test(input)) continue;
    fields.push([
      name,
      /type="checkbox"/.test(input) && !/value=/.test(input) ? 'on' : value.replace(/&amp;/g, '&'),
    ]);
  }
  return fields;
}

const set = (fields: [string, string][], name: string, value: string): [string, string][] =>
  fields.map(([n, v]) => [n, n === name ? value : v]);

for (const dialect of (await dialects()).filter((d) => d.name === 'sqlite')) {
  describe(`plan pages (${dialect.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { now: '2026-03-02T08:00:00Z' });
    });
    after(async () => t?.close());

    it('shows a first-time visitor a preview with the settings form, weeks and goals — no inline styles or scripts', async () => {
      const visitor = new Client(t.app);
      const nav = await html(visitor, '/plan');
      assert.equal(nav.statusCode, 303);
      assert.equal(nav.headers.location, PAGE);
      const res = await html(visitor, PAGE);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      const page = res.body;
      assert.match(page, /<h1>Your plan: Backend Developer<\/h1>/);
      assert.match(page, /This is a preview/);
      assert.match(page, /<li id="week-1" class="plan-week week-current" aria-current="date">/);
      assert.match(page, /Save this plan/);
      assert.ok(!/\sstyle=/.test(page), 'the CSP forbids inline styles');
      assert.ok(!/<script(?![^>]*\ssrc=)[^>]*>/.test(page), 'and inline scripts');
      assert.match(page, /<label for="hoursPerWeek">Hours a week<\/label>/);
      assert.match(page, /<legend>Study days<\/legend>/);
    });

    it('saves the no-JS settings form (303 back with a message), turning unticked topics into exclusions', async () => {
      const visitor = new Client(t.app);
      let fields = formFields((await html(visitor, PAGE)).body);
      fields = set(set(set(fields, 'hoursPerWeek', '12'), 'timeZone', 'Europe/Berlin'), 'studyTime', '07:15');
      fields = fields.filter(([n, v]) => !(n === 'topics' && v === 'dns')); // leave DNS out
      fields = fields.filter(([n, v]) => !(n === 'studyDays' && v === 'fri'));
      fields.push(['weeksOff', '2026-03-16']);
      const saved = await submit(t, visitor, `${PAGE}/settings`, fields);
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, `${PAGE}#settings`, 'back to the settings, where the visitor was');
      assert.ok(visitor.cookie, 'the visitor became a guest');
      const flash = decodeURIComponent(String(saved.headers['set-cookie']));
      assert.match(flash, /Plan saved \(version 1\)/, 'a message for the next page');
      const plan = json<{
        settings: Record<string, unknown>;
        version: number;
        weeks: { start: string; off: boolean }[];
      }>(await visitor.get('/api/v1/roadmaps/backend/plan'));
      assert.equal(plan.version, 1);
      assert.deepEqual(
        [
          plan.settings.hoursPerWeek,
          plan.settings.timeZone,
          plan.settings.studyTime,
          plan.settings.studyDays,
          plan.settings.excludeTopics,
          plan.settings.includeTopics,
          plan.settings.weeksOff,
        ],
        [12, 'Europe/Berlin', '07:15', ['mon', 'tue', 'wed', 'thu'], ['dns'], [], ['2026-03-16']],
      );
      const page = (await html(visitor, PAGE)).body;
      assert.match(page, /12 hours a week on 4 days/);
      // Ticking "include all optional topics" works even though the topic boxes below were left as they were.
      const again = set(formFields(page), 'hoursPerWeek', '12');
      again.push(['includeOptional', 'on']);
      assert.equal((await submit(t, visitor, `${PAGE}/settings`, again)).statusCode, 303);
      const withOptional = json<{ settings: Record<string, unknown> }>(
        await visitor.get('/api/v1/roadmaps/backend/plan'),
      );
      assert.deepEqual(
        [withOptional.settings.includeOptional, withOptional.settings.excludeTopics],
        [true, ['dns']],
      );
    });

    it('shows form mistakes next to the field they are about, keeping what was typed', async () => {
      const visitor = new Client(t.app);
      const fields = set(
        set(formFields((await html(visitor, PAGE)).body), 'hoursPerWeek', 'lots'),
        'timeZone',
        'Atlantis/Capital',
      );
      const res = await refusedSettings(t, visitor, PAGE, fields);
      assert.equal(res.statusCode, 200);
      assert.match(
        res.body,
        /<input id="hoursPerWeek"[^>]*value="lots"[^>]*aria-invalid="true"[^>]*autofocus/,
      );
      assert.match(
        res.body,
        /<p class="field-error" id="hoursPerWeek-error">Hours a week must be a whole number from 1 to 60\.<\/p>/,
      );
      assert.match(res.body, /<p class="field-error" id="timeZone-error">Choose a time zone from the list/);
      assert.match(res.body, /<input id="timeZone"[^>]*value="Atlantis\/Capital"/);
      const infeasible = await refusedSettings(
        t,
        visitor,
        PAGE,
        set(formFields((await html(visitor, PAGE)).body), 'hoursPerWeek', '1'),
      );
      assert.match(
        infeasible.body,
        /id="hoursPerWeek-error">At 1 h\/week, the [\d.]+ hours left would take more than 156 weeks/,
      );
      const noDays = formFields((await html(visitor, PAGE)).body).filter(([n]) => n !== 'studyDays');
      const days = await refusedSettings(t, visitor, PAGE, noDays);
      assert.match(
        days.body,
        /<p class="field-error" id="studyDays-error">Choose at least one study day\.<\/p>/,
      );
    });

    it('a 1-week target: the banner, the status card and the dashboard all say the plan ends late', async () => {
      const visitor = new Client(t.app);
      const saved = await submit(
        t,
        visitor,
        `${PAGE}/settings`,
        set(formFields((await html(visitor, PAGE)).body), 'targetWeeks', '1'),
      );
      assert.equal(saved.statusCode, 303);
      const page = (await html(visitor, PAGE)).body;
      const late = /This plan ends after your target\.[\s\S]*?(\d+) weeks? more than your 1-week target/.exec(
        page,
      );
      assert.ok(late, 'the banner says the plan ends late');
      const weeks = Number(late[1]);
      const badge = new RegExp(`Ends after your target by ${weeks} weeks`);
      assert.match(page, badge, 'the status card says the same');
      assert.doesNotMatch(page, /On track/);
      const dashboard = (await html(visitor, '/dashboard?roadmap=backend')).body;
      assert.match(dashboard, badge, 'and so does the dashboard');
      assert.doesNotMatch(dashboard, /On track/);
      const api = json<{ status: { state: string; weeksLate: number } }>(
        await visitor.get('/api/v1/roadmaps/backend/plan'),
      );
      assert.deepEqual([api.status.state, api.status.weeksLate], ['over-target', weeks]);
    });

    it('re-plan offers only choices that change something', async () => {
      const visitor = new Client(t.app);
      await submit(
        t,
        visitor,
        `${PAGE}/settings`,
        set(set(formFields((await html(visitor, PAGE)).body), 'hoursPerWeek', '5'), 'targetWeeks', '156'),
      );
      const page = (await html(visitor, PAGE)).body;
      assert.match(page, /5 hours a week on/);
      assert.doesNotMatch(page, /Re-plan at 5 h a week/);
      assert.doesNotMatch(page, /Study 5 h a week/);
    });

    it('refuses a settings form posted from another site, and saves nothing', async () => {
      const visitor = new Client(t.app);
      // A learner with a session (the cookie a cross-site form would carry), and no plan yet.
      await visitor.put('/api/v1/topics/dns/progress', { status: 'learning' });
      const me = json<{ id: string }>(await visitor.get('/api/v1/me'));
      const res = await submit(
        t,
        visitor,
        `${PAGE}/settings`,
        formFields((await html(visitor, PAGE)).body),
        'https://evil.example',
      );
      assert.equal(res.statusCode, 403);
      const plans = await t.db.kysely
        .selectFrom('plans')
        .select('user_id')
        .where('user_id', '=', me.id)
        .execute();
      assert.deepEqual(plans, [], 'no plan was saved');
    });

    it('re-plans, saves a reflection and manages the calendar link with plain forms', async () => {
      const visitor = new Client(t.app);
      assert.equal(
        (await submit(t, visitor, `${PAGE}/settings`, formFields((await html(visitor, PAGE)).body)))
          .statusCode,
        303,
      );
      t.clock.advance(16 * 86_400_000);
      const page = (await html(visitor, PAGE)).body;
      assert.match(page, /Behind by [\d.]+ hours/);
      assert.match(page, /Re-plan from today<\/h2>/);
      const replanned = await submit(t, visitor, `${PAGE}/replan`, [['mode', 'keep-finish']]);
      assert.equal(replanned.statusCode, 303);
      assert.match(
        decodeURIComponent(String(replanned.headers['set-cookie'])),
        /Re-planned to keep your finish date: \d+ h a week from now on/,
      );
      assert.equal((await submit(t, visitor, `${PAGE}/replan`, [['mode', 'sideways']])).statusCode, 400);

      const checkin = await submit(t, visitor, `${PAGE}/weeks/0/checkin`, [['note', 'Week one: steady.']]);
      assert.equal(checkin.statusCode, 303);
      assert.equal(checkin.headers.location, `${PAGE}#week-1`);
      const withNote = (await html(visitor, PAGE)).body;
      assert.match(withNote, /Week one: steady\./);
      assert.match(withNote, /Scorecard:<\/strong> 0 of \d+ goals done/);

      const created = await submit(t, visitor, `${PAGE}/feed`, []);
      assert.equal(created.statusCode, 200);
      assert.equal(created.headers['cache-control'], 'no-store');
      const url = /value="(http:\/\/localhost:3000\/calendar\/wmcal_[^"]+\.ics)"/.exec(created.body)?.[1];
      assert.ok(url, 'the feed URL is shown once');
      assert.equal((await t.app.inject(new URL(url!).pathname)).statusCode, 200);
      const later = (await html(visitor, PAGE)).body;
      assert.ok(!later.includes(url!), 'and never again');
      assert.match(later, /A feed link is active/);
      assert.equal((await submit(t, visitor, `${PAGE}/feed/revoke`, [])).statusCode, 303);
      assert.equal((await t.app.inject(new URL(url!).pathname)).statusCode, 404);
      assert.match((await html(visitor, PAGE)).body, /No link is active/);

      const versions = (await html(visitor, PAGE)).body;
      assert.match(versions, /How your plan changed/);
      assert.match(versions, /Re-planned: kept the finish date/);
      const v1 = await html(visitor, `${PAGE}/versions/1`);
      assert.equal(v1.statusCode, 200);
      assert.match(v1.body, /Plan version 1/);
    });

    it('prints the plan as weeks of goals with boxes to tick, on A4', async () => {
      const visitor = new Client(t.app);
      await submit(t, visitor, `${PAGE}/settings`, formFields((await html(visitor, PAGE)).body));
      const plan = json<{ weeks: { index: number; items: { title: string }[] }[] }>(
        await visitor.get('/api/v1/roadmaps/backend/plan'),
      );
      const res = await html(visitor, `${PAGE}/print`);
      assert.equal(res.statusCode, 200);
      for (const week of plan.weeks)
        assert.ok(
          res.body.includes(`<span>Week ${week.index + 1} <span class="muted">`),
          `week ${week.index + 1}`,
        );
      assert.equal(
        (res.body.match(/role="img" aria-label="not started">☐/g) ?? []).length,
        plan.weeks.flatMap((w) => w.items).length,
      );
      const planCss = readFileSync(new URL('../../src/plan/client/plan.css', import.meta.url), 'utf8');
      assert.match(planCss, /@import '\.\/styles\/print\.css';/);
      const css = readFileSync(new URL('../../src/plan/client/styles/print.css', import.meta.url), 'utf8');
      assert.match(css, /@page\s*{\s*size: A4;/);
      assert.match(css, /break-inside: avoid/);
    });

    it('shows the dashboard: empty for a newcomer, charts with text alternatives for a learner', async () => {
      const visitor = new Client(t.app);
      const empty = await html(visitor, '/dashboard');
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /Nothing here yet/);
      await submit(t, visitor, `${PAGE}/settings`, formFields((await html(visitor, PAGE)).body));
      await visitor.put('/api/v1/topics/backend-role/progress', { status: 'done' });
      const res = await html(visitor, '/dashboard?roadmap=backend');
      assert.equal(res.statusCode, 200);
      const page = res.body;
      assert.ok(!/\sstyle=/.test(page));
      assert.equal(
        (page.match(/<svg class="chart-svg[^"]*"[^>]*role="img"/g) ?? []).length,
        3,
        'two burn-ups and the heatmap',
      );
      assert.match(page, /<title id="burnup-hours-title">Hours finished<\/title>/);
      assert.match(page, /<desc id="burnup-hours-desc">Scope: [\d.]+ hours\. Done by today: 1 hour/);
      assert.match(page, /Show the numbers as a table/);
      assert.match(page, /<caption>Learning activity per week<\/caption>/);
      assert.match(page, /1 day with learning activity/);
      assert.match(page, /Next up/);
      assert.match(page, /this week’s goal/);
      assert.equal((await html(visitor, '/dashboard?roadmap=cooking')).statusCode, 404);
      const home = (await html(visitor, '/')).body;
      assert.match(home, /This week in your plan/);
      // The widget's goal rows are styled by the plan's stylesheet, so the home page links it too.
      const sheets = [...home.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
      const planPage = (await html(visitor, '/roadmaps/backend/plan')).body;
      const planSheets = [...planPage.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(sheets.length >= 2, `the home page links ${JSON.stringify(sheets)}`);
      assert.deepEqual(sheets, planSheets, 'the home page loads the same stylesheets as the plan page');
    });
  });
}
