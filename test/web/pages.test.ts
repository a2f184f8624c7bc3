import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { createTestApp, dialects, type TestApp } from '../helpers.js';
import { buildApp } from '../../src/app.js';
import { features, type FeatureManifest } from '../../src/features.js';
import { clientEntry } from '../../src/web/assets.js';
import { FormBrowser, decodeEntities, findTag, textOf } from './web-helpers.js';

// Every page through app.inject: what a visitor without JavaScript gets.

for (const dialect of await dialects()) {
  describe(`web pages (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('home lists the roadmaps, invites a first visitor to start, and loads the built CSS and JS', async () => {
      const browser = new FormBrowser(t.app);
      const response = await browser.get('/');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
      const html = response.body;
      assert.match(html, /^<!doctype html><html lang="en">/);
      for (const roadmap of t.content.roadmapList)
        assert.ok(html.includes(`href="/roadmaps/${roadmap.id}"`), roadmap.id);
      assert.match(textOf(html), /Continue where you left off .* Start here/);
      assert.match(html, /<a class="skip-link" href="#main">/);
      const css = /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
      const js = /<script type="module" src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      assert.ok(css && js, 'the page links the built stylesheet and script (run npm run build:web)');
      const asset = await browser.get(css);
      assert.equal(asset.statusCode, 200);
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(
        (await browser.get('/assets/.vite/manifest.json')).statusCode,
        404,
        'the manifest is not served',
      );
      assert.equal(html.includes(' style='), false, 'no style attributes (the CSP forbids them)');
      assert.equal(/<script(?![^>]*\bsrc=)[^>]*>/.test(html), false, 'no inline scripts');
    });

    it('home shows overall progress and the next topic once the visitor has made progress', async () => {
      const browser = new FormBrowser(t.app);
      await browser.api('PUT', '/api/v1/topics/backend-role/progress', { status: 'done' });
      t.clock.advance(60_000);
      await browser.api('PUT', '/api/v1/topics/dns/progress', { status: 'learning' });
      const text = textOf((await browser.get('/')).body);
      assert.match(text, /Welcome back/);
      assert.match(
        text,
        /You have finished 1 of \d+ topics across all roadmaps, and you are learning 1 more/,
      );
      assert.match(text, /DNS and domain names .*You are learning this one/);
      assert.match(text, /Guest/);
    });

    it('home renders widgets other features declare, and leaves out one that fails; only rendered widgets add stylesheets', async () => {
      const extra: FeatureManifest = {
        name: 'test-widgets',
        homeWidgets: [
          {
            id: 'test-widget',
            order: 1,
            render: ({ user }) =>
              h('section', { class: 'card' }, `Widget for ${user ? 'someone' : 'a visitor'}`),
          },
          {
            id: 'test-broken',
            styles: ['projects/projects'],
            render: () => {
              throw new Error('boom');
            },
          },
          {
            id: 'test-signed-in-only',
            styles: ['plan/plan'],
            render: ({ user }) => (user ? h('section', { class: 'card' }, 'Signed-in box') : null),
          },
        ],
      };
      const app = await buildApp({
        config: t.config,
        db: t.db,
        content: t.content,
        clock: t.clock,
        logger: false,
        features: [...features, extra],
      });
      try {
        const response = await new FormBrowser(app).get('/');
        assert.equal(response.statusCode, 200);
        assert.match(response.body, /Widget for a visitor/);
        assert.doesNotMatch(response.body, /Signed-in box/);
        // Neither the failed widget's nor the empty widget's stylesheet is loaded.
        const sheets = [...response.body.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
        const base = new Set(clientEntry('web/waymark').styles);
        for (const name of ['plan/plan', 'projects/projects']) {
          const own = clientEntry(name).styles.filter((href) => !base.has(href));
          assert.ok(own.length > 0, `${name} has a stylesheet of its own (run npm run build:web)`);
          for (const href of own) assert.ok(!sheets.includes(href), `${href} is not loaded for a visitor`);
        }
      } finally {
        await app.close();
      }
    });

    it('the roadmap page has the diagram and the list, with every topic in both, a legend and the progress bar', async () => {
      const roadmap = t.content.roadmaps.get('backend');
      assert.ok(roadmap);
      const response = await new FormBrowser(t.app).get('/roadmaps/backend');
      assert.equal(response.statusCode, 200);
      const html = response.body;
      assert.match(html, /data-view="auto"/);
      const nodes = [
        ...html.matchAll(
          /<a href="\/roadmaps\/backend\/topics\/([a-z0-9-]+)" class="node s-(\w+) (?:required|optional)(?: alt alt-\w+)?"/g,
        ),
      ];
      const items = [
        ...html.matchAll(/<li class="s-(\w+)[^"]*" data-topic="([a-z0-9-]+)"(?: data-set="[a-z0-9-]+")?>/g),
      ];
      assert.deepEqual(
        nodes.map((m) => m[1]).sort(),
        [...roadmap.topicIds].sort(),
        'one diagram node per topic',
      );
      assert.deepEqual(
        items.map((m) => m[2]).sort(),
        [...roadmap.topicIds].sort(),
        'one list entry per topic',
      );
      for (const step of roadmap.steps)
        assert.ok(html.includes(`aria-label="Step ${step.title}`) || html.includes(step.title), step.id);
      assert.match(
        html,
        /data-topic="backend-role"[^>]*><rect[^>]*><\/rect><text class="title"[^>]*>What a backend developer [\s\S]*?<text class="word"[^>]*>Not started<\/text><\/a>/,
        'nodes read their title and their status',
      );
      // The tools section, in the diagram and in the list, and the overview of every step and group.
      const toolNodes = [
        ...html.matchAll(
          /class="node s-\w+ (?:required|optional) tool(?: alt alt-\w+)?" data-topic="([a-z0-9-]+)"/g,
        ),
      ];
      assert.deepEqual(
        toolNodes.map((m) => m[1]),
        roadmap.tools,
      );
      const toolItems = [...html.matchAll(/data-topic="([a-z0-9-]+)" data-tool>/g)];
      assert.deepEqual(
        toolItems.map((m) => m[1]),
        roadmap.tools,
      );
      const overview = /<nav class="overview"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
      for (const [index, step] of roadmap.steps.entries()) {
        assert.ok(overview.includes(`href="#step-${step.id}"`), `overview links step ${step.id}`);
        for (const groupIndex of step.groups.keys())
          assert.ok(
            overview.includes(`href="#group-${step.id}-${groupIndex}"`),
            `group ${index}.${groupIndex}`,
          );
      }
      assert.match(textOf(overview), /Foundations 0 of \d+ finished/);
      // Required and optional topics differ in words, not only in looks.
      const optionalId =
        roadmap.topicIds.find((id) => t.content.topics.get(id)?.optional && !roadmap.alternativeOf.has(id)) ??
        '';
      assert.match(
        html,
        new RegExp(
          `class="node s-pending optional" data-topic="${optionalId}"[^>]*>[\\s\\S]*?optional</text>`,
        ),
      );
      const text = textOf(html);
      assert.match(text, /Legend Not started Learning Done Skipped/);
      // A "choose one of" set counts once.
      const units =
        roadmap.topicIds.length - roadmap.alternatives.reduce((n, set) => n + set.topicIds.length - 1, 0);
      assert.match(text, new RegExp(`0 of ${units} topics finished`));
      assert.match(html, /<progress class="progress-meter" max="\d+" value="0"/);
    });

    it('view, status filter and search work with query parameters alone', async () => {
      const browser = new FormBrowser(t.app);
      await browser.api('PUT', '/api/v1/topics/http-basics/progress', { status: 'done' });
      const list = await browser.get('/roadmaps/backend?view=list');
      assert.match(list.body, /data-view="list"/);
      assert.match(
        list.body,
        /<a href="\/roadmaps\/backend\?view=list" data-view-link="list" aria-current="true"/,
      );
      assert.match(textOf(list.body), /1 of \d+ topics finished/);

      const done = await browser.get('/roadmaps/backend?status=done');
      const shown = [...done.body.matchAll(/<li class="s-(\w+)" data-topic="([a-z0-9-]+)"/g)].map(
        (m) => m[2],
      );
      assert.deepEqual([...new Set(shown)], ['http-basics'], 'only the done topic stays listed');
      assert.match(textOf(done.body), /1 of \d+ topics match/);

      const search = await browser.get('/roadmaps/backend?q=idempotency');
      assert.equal(search.statusCode, 200);
      const results =
        /<ol class="topic-list" data-results-list>([\s\S]*?)<\/ol>/.exec(search.body)?.[1] ?? '';
      assert.match(results, /data-topic="retries-timeouts"/, 'a word from the description finds the topic');
      assert.match(search.body, /<input id="search" type="search" name="q" value="idempotency"/);

      const json = await browser.get('/roadmaps/backend/search?q=idempot', { accept: 'application/json' });
      assert.equal(json.statusCode, 200);
      assert.ok((json.json() as { topicIds: string[] }).topicIds.includes('retries-timeouts'));
      const nothing = await browser.get('/roadmaps/backend?q=zzzzqqq');
      assert.match(textOf(nothing.body), /No topic matches/);
    });

    it('a topic page shows the description, key concepts, resources, status forms and previous/next', async () => {
      const topic = t.content.topics.get('dns');
      assert.ok(topic);
      const response = await new FormBrowser(t.app).get('/roadmaps/backend/topics/dns');
      assert.equal(response.statusCode, 200);
      const html = response.body;
      assert.match(html, /<h1 id="topic-title" tabindex="-1">DNS and domain names<\/h1>/);
      assert.ok(html.includes(topic.bodyHtml), 'the rendered description');
      for (const item of topic.checklist) assert.ok(decodeEntities(html).includes(item.text), item.id);
      for (const resource of topic.resources)
        assert.ok(html.includes(`href="${resource.url.replace(/&/g, '&amp;')}"`), resource.url);
      assert.ok(findTag(html, 'form', 'action', '/roadmaps/backend/topics/dns/status'));
      for (const status of ['done', 'learning', 'skipped', 'pending'])
        assert.ok(findTag(html, 'button', 'value', status), status);
      assert.match(html, /rel="prev"/);
      assert.match(html, /rel="next"/);
      assert.match(html, /aria-pressed="true"[^>]*>.*?Reset/s, 'pending is the pressed status');
    });

    it('the panel fragment is the same topic without the page around it', async () => {
      const response = await new FormBrowser(t.app).get('/roadmaps/backend/topics/dns?partial=panel');
      assert.equal(response.statusCode, 200);
      assert.doesNotMatch(response.body, /<html|<header class="site-header"/);
      assert.match(response.body, /<h2 id="topic-title" tabindex="-1">DNS and domain names<\/h2>/);
      assert.match(response.body, /data-panel-close/);
    });

    it('a note is rendered as safe Markdown: script and javascript: links never survive', async () => {
      const browser = new FormBrowser(t.app);
      const note =
        '# Plan\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)> **bold**';
      const saved = await browser.api('PUT', '/api/v1/topics/dns/note', { note });
      assert.equal(saved.statusCode, 200);
      const html = (await browser.get('/roadmaps/backend/topics/dns')).body;
      assert.equal(html.includes('<script>alert(1)</script>'), false);
      assert.equal(html.includes('<img src=x'), false);
      assert.equal(/href="javascript:/i.test(html), false);
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'shown as text');
      assert.match(html, /<strong>bold<\/strong>/, 'Markdown still works');
      assert.ok(
        html.includes('&lt;script>alert(1)&lt;/script>\n\n[click]'),
        'the textarea holds the raw note, escaped',
      );
    });

    it('the print page has every step and topic with a status box, description and resources', async () => {
      const roadmap = t.content.roadmaps.get('backend');
      assert.ok(roadmap);
      const browser = new FormBrowser(t.app);
      await browser.api('PUT', '/api/v1/topics/dns/progress', { status: 'done' });
      const response = await browser.get('/roadmaps/backend/print');
      assert.equal(response.statusCode, 200);
      const text = decodeEntities(response.body);
      for (const id of roadmap.topicIds) {
        const topic = t.content.topics.get(id);
        assert.ok(topic && text.includes(topic.title), `print lists ${id}`);
      }
      assert.match(
        response.body,
        /<span class="box" role="img" aria-label="Done">☑<\/span><div><h4>DNS and domain names/,
      );
      assert.ok(
        text.includes(t.content.topics.get('dns')?.resources[0]?.url ?? '?'),
        'resource addresses are printed',
      );
    });

    it('unknown pages are a friendly HTML 404 for browsers and problem+json for the API', async () => {
      const browser = new FormBrowser(t.app);
      const page = await browser.get('/no-such-page');
      assert.equal(page.statusCode, 404);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(textOf(page.body), /Page not found .*Nothing lives at GET \/no-such-page/);
      const roadmap = await browser.get('/roadmaps/cooking');
      assert.equal(roadmap.statusCode, 404);
      assert.match(textOf(roadmap.body), /There is no roadmap "cooking"/);
      const topic = await browser.get('/roadmaps/frontend/topics/kafka');
      assert.equal(topic.statusCode, 404, 'a topic of another roadmap');
      const api = await t.app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
      assert.equal(api.statusCode, 404);
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      const json = await t.app.inject({ url: '/no-such-page', headers: { accept: 'application/json' } });
      assert.match(String(json.headers['content-type']), /^application\/problem\+json/);
    });

    it('sign-up, log-in and settings pages render for a first-time visitor', async () => {
      const browser = new FormBrowser(t.app);
      const signup = await browser.get('/signup?return=/roadmaps/backend');
      assert.equal(signup.statusCode, 200);
      assert.ok(findTag(signup.body, 'form', 'action', '/signup'));
      assert.match(signup.body, /name="return" value="\/roadmaps\/backend"/);
      const evil = await browser.get('/login?return=//evil.example');
      assert.match(evil.body, /name="return" value="\/"/, 'only same-site return paths');
      const settings = await browser.get('/settings');
      assert.equal(settings.statusCode, 200);
      assert.match(textOf(settings.body), /You have not saved anything yet/);
      assert.doesNotMatch(settings.body, /id="password"/);
    });

    it('the theme cookie is rendered as a class, so dark mode shows without a flash', async () => {
      const dark = await new FormBrowser(t.app).get('/', { cookie: 'waymark_theme=dark' });
      assert.match(dark.body, /<html lang="en" class="theme-dark">/);
      const system = await new FormBrowser(t.app).get('/', { cookie: 'waymark_theme=<script>' });
      assert.match(system.body, /<html lang="en">/);
    });
  });
}
