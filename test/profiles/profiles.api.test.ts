import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { renderBadge } from '../../src/profiles/profiles.badge.js';
import { seedVerification } from './seed.js';

// Public profiles through the API and the public URLs, once per SQL dialect: off by default, handles
// validated and unique ignoring case, everything public answers 404 the moment it is turned off, the
// badge has its validator, user text is escaped, and the settings leave with export and deletion.

interface Settings {
  handle: string | null;
  displayName: string;
  public: boolean;
  url: string | null;
}

interface PublicView {
  handle: string;
  displayName: string;
  roadmaps: { roadmapId: string; percent: number; done: number }[];
  projects: { verificationId: string; recordUrl: string; title: string }[];
  streak: { current: number };
}

const ME = '/api/v1/me/profile';

async function learner(t: TestApp, email: string): Promise<Client> {
  const c = new Client(t.app);
  assert.equal((await c.signup(email)).statusCode, 201);
  return c;
}

async function userId(c: Client): Promise<string> {
  return json<{ id: string }>(await c.get('/api/v1/me')).id;
}

for (const dialect of await dialects()) {
  describe(`public profiles (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { now: '2026-03-02T09:00:00Z' });
    });
    after(async () => t?.close());

    it('is off by default: no handle, nothing public', async () => {
      const a = await learner(t, 'off@example.com');
      const settings = json<Settings>(await a.get(ME));
      assert.deepEqual(
        { handle: settings.handle, public: settings.public, url: settings.url },
        { handle: null, public: false, url: null },
      );
      assert.equal((await a.get('/u/off')).statusCode, 404);
    });

    it('validates handles with problem+json: shape, length, reserved words, guests', async () => {
      const a = await learner(t, 'rules@example.com');
      for (const handle of ['ab', 'a'.repeat(31), 'has space', '-dash', 'dash-', 'two--hyphens', 'ümlaut']) {
        const res = await a.put(ME, { handle, displayName: 'Rules', public: true });
        assert.equal(res.statusCode, 400, handle);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        assert.equal(json<{ errors: { pointer: string }[] }>(res).errors[0]?.pointer, '/body/handle');
      }
      for (const handle of ['admin', 'API', 'Settings', 'u', 'login']) {
        const res = await a.put(ME, { handle, displayName: 'Rules', public: true });
        assert.equal(res.statusCode, handle === 'u' ? 400 : 422, handle);
        if (handle !== 'u') assert.equal(json<{ code: string }>(res).code, 'handle_reserved');
      }
      const blank = await a.put(ME, { handle: 'rules', displayName: '   ', public: true });
      assert.equal(blank.statusCode, 400);
      assert.equal(json<{ errors: { pointer: string }[] }>(blank).errors[0]?.pointer, '/body/displayName');
      assert.equal(json<Settings>(await a.get(ME)).handle, null, 'nothing was saved');

      const guest = new Client(t.app);
      await guest.put('/api/v1/topics/dns/progress', { status: 'done' });
      const refused = await guest.put(ME, { handle: 'guesty', displayName: 'Guest', public: true });
      assert.equal(refused.statusCode, 403);
      assert.equal(json<{ code: string }>(refused).code, 'account_required');
    });

    it('keeps handles unique ignoring case', async () => {
      const a = await learner(t, 'ada@example.com');
      const b = await learner(t, 'bob@example.com');
      assert.equal((await a.put(ME, { handle: 'Ada-L', displayName: 'Ada', public: false })).statusCode, 200);
      const clash = await b.put(ME, { handle: 'ada-l', displayName: 'Bob', public: true });
      assert.equal(clash.statusCode, 409);
      assert.equal(json<{ code: string }>(clash).code, 'handle_taken');
      assert.equal(json<Settings>(await b.get(ME)).handle, null);
      // Changing only the case of one's own handle is fine.
      const own = await a.put(ME, { handle: 'ada-L', displayName: 'Ada', public: false });
      assert.equal(json<Settings>(own).handle, 'ada-L');
    });

    it('publishes progress, projects and streak; turning it off makes every public URL 404 at once', async () => {
      const a = await learner(t, 'pub@example.com');
      await a.put('/api/v1/topics/backend-role/progress', { status: 'done' });
      const id = await userId(a);
      const verificationId = await seedVerification(t, id);

      // Saved but not public: still 404 everywhere.
      await a.put(ME, { handle: 'PubLearner', displayName: 'Pub', public: false });
      const visitor = new Client(t.app);
      assert.equal((await visitor.get('/api/v1/profiles/publearner')).statusCode, 404);

      const on = json<Settings>(
        await a.put(ME, { handle: 'PubLearner', displayName: 'Pub <b>L</b>', public: true }),
      );
      assert.equal(on.url, '/u/PubLearner');
      const api = await visitor.get('/api/v1/profiles/publearner');
      assert.equal(api.statusCode, 200, api.body);
      const view = json<PublicView>(api);
      assert.equal(view.displayName, 'Pub <b>L</b>');
      assert.equal(view.roadmaps[0]?.roadmapId, 'backend');
      assert.equal(view.roadmaps[0]?.done, 1);
      assert.equal(view.streak.current, 1);
      assert.equal(view.projects[0]?.recordUrl, `/u/PubLearner/records/${verificationId}`);
      assert.ok(!api.body.includes('pub@example.com'), 'no email');

      const page = await visitor.get('/u/PubLearner');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('Pub &lt;b>L&lt;/b>') || page.body.includes('Pub &lt;b&gt;L&lt;/b&gt;'));
      assert.ok(!page.body.includes('<b>L</b>'));
      assert.ok(!page.body.includes('pub@example.com'));
      assert.equal((await visitor.get('/u/publearner')).headers.location, '/u/PubLearner');
      assert.equal((await visitor.get(`/u/PubLearner/records/${verificationId}`)).statusCode, 200);
      assert.equal((await visitor.get(`/u/PubLearner/records/${randomUUID()}`)).statusCode, 404);

      const badge = await visitor.get('/u/PubLearner/badge.svg');
      assert.equal(badge.statusCode, 200);
      assert.match(String(badge.headers['content-type']), /^image\/svg\+xml/);
      assert.match(String(badge.headers['cache-control']), /no-cache/);
      assert.match(badge.body, /Backend Developer \d+% · 1 verified/);
      const etag = String(badge.headers.etag);
      assert.match(etag, /^"[^"]+"$/);
      const again = await visitor.get('/u/PubLearner/badge.svg', { 'if-none-match': etag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');

      // Progress changes the badge (and so its validator).
      await a.put('/api/v1/topics/dns/progress', { status: 'done' });
      assert.equal((await visitor.get('/u/PubLearner/badge.svg', { 'if-none-match': etag })).statusCode, 200);

      await a.put(ME, { handle: 'PubLearner', displayName: 'Pub', public: false });
      for (const url of [
        '/u/PubLearner',
        '/u/PubLearner/badge.svg',
        `/u/PubLearner/records/${verificationId}`,
        '/api/v1/profiles/PubLearner',
      ]) {
        assert.equal((await visitor.get(url)).statusCode, 404, url);
      }
      assert.equal((await visitor.get('/u/PubLearner/badge.svg', { 'if-none-match': etag })).statusCode, 404);
    });

    it('escapes text in the badge SVG', () => {
      const svg = renderBadge({
        roadmap: {
          roadmapId: 'x',
          title: '<script>alert("x")</script> & co',
          percent: 5,
          done: 1,
          total: 20,
        },
        verified: 0,
      });
      assert.ok(!svg.includes('<script>'));
      assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co 5%'));
    });

    it('leaves with the export, comes back with the import, and goes with the account', async () => {
      const a = await learner(t, 'export@example.com');
      await a.put(ME, { handle: 'exporter', displayName: 'Ex Porter', public: true });
      const exported = json<{ profile: { profile: { handle: string; public: boolean } | null } }>(
        await a.get('/api/v1/me/export'),
      );
      assert.deepEqual(
        { handle: exported.profile.profile?.handle, public: exported.profile.profile?.public },
        { handle: 'exporter', public: true },
      );

      await a.delete(ME);
      assert.equal((await new Client(t.app).get('/u/exporter')).statusCode, 404);
      const imported = await a.post('/api/v1/me/import', exported);
      assert.equal(imported.statusCode, 200, imported.body);
      assert.equal(json<Settings>(await a.get(ME)).handle, 'exporter');
      assert.equal((await new Client(t.app).get('/u/exporter')).statusCode, 200);

      assert.equal((await a.delete('/api/v1/me', { password: 'correct horse battery' })).statusCode, 204);
      assert.equal((await new Client(t.app).get('/u/exporter')).statusCode, 404);
      const b = await learner(t, 'next@example.com');
      assert.equal(
        (await b.put(ME, { handle: 'Exporter', displayName: 'Next', public: true })).statusCode,
        200,
      );
    });
  });
}
