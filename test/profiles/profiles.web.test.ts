import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, type TestApp } from '../helpers.js';
import { FormBrowser, textOf } from '../web/web-helpers.js';

// The "Public profile" section of the settings page without JavaScript: save, the message next to the
// field when the handle is wrong, publish, and remove.

for (const dialect of await dialects()) {
  describe(`public profile settings form (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('saves, shows errors next to the field, publishes and removes the profile', async () => {
      const browser = new FormBrowser(t.app);
      assert.equal(
        (await browser.post('/signup', { email: 'form@example.com', password: 'correct horse battery' }))
          .statusCode,
        303,
      );
      const settings = await browser.get('/settings');
      assert.match(settings.body, /href="#profile">Public profile</);
      assert.match(textOf(settings.body), /Your profile is not public ?\./);

      const reserved = await browser.post('/settings/profile', { handle: 'settings', displayName: 'F' });
      assert.equal(reserved.statusCode, 422);
      assert.match(reserved.body, /id="profile-handle-error"[^>]*>[^<]*reserved word/);
      assert.match(reserved.body, /value="settings"/, 'what was typed is shown again');

      const xss = await browser.post('/settings/profile', {
        handle: 'former',
        displayName: '<script>alert(1)</script>',
        public: 'true',
      });
      assert.equal(xss.statusCode, 303);
      assert.equal(xss.headers.location, '/settings#profile');
      const after = await browser.get('/settings');
      assert.match(textOf(after.body), /Profile saved\. It is public at \/u\/former\./);
      assert.match(after.body, /href="\/u\/former"/);
      const page = await new FormBrowser(t.app).get('/u/former');
      assert.equal(page.statusCode, 200);
      assert.ok(!page.body.includes('<script>alert(1)</script>'));
      assert.ok(
        page.body.includes('&lt;script>alert(1)&lt;/script>') || page.body.includes('&lt;script&gt;'),
      );

      const removed = await browser.post('/settings/profile/delete', {});
      assert.equal(removed.statusCode, 303);
      assert.equal((await new FormBrowser(t.app).get('/u/former')).statusCode, 404);
    });
  });
}
