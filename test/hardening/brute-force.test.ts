import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { FormBrowser } from '../web/web-helpers.js';

for (const dialect of await dialects()) {
  describe(`failed sign-ins per account (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    it('locks the account after 5 failures across routes and addresses, with Retry-After, and the lock expires', async () => {
      await new Client(t.app).signup('victim@example.org');
      // Alternate API and web form, as different clients would.
      for (let i = 0; i < 5; i++) {
        const res =
          i % 2
            ? await new Client(t.app).login('victim@example.org', `wrong ${i}`)
            : await new FormBrowser(t.app).post('/login', {
                email: 'victim@example.org',
                password: `wrong ${i}`,
              });
        assert.ok(
          res.statusCode === 401 || res.statusCode === 400 || res.statusCode === 422,
          String(res.statusCode),
        );
      }
      const locked = await new Client(t.app).login('victim@example.org');
      assert.equal(locked.statusCode, 429, 'even the right password waits while locked');
      assert.equal(json(locked).code, 'account_locked');
      assert.ok(Number(locked.headers['retry-after']) > 0);
      const form = await new FormBrowser(t.app).post('/login', {
        email: 'victim@example.org',
        password: 'correct horse battery',
      });
      assert.equal(form.statusCode, 429);

      t.clock.advance(61_000);
      const after = await new Client(t.app).login('victim@example.org');
      assert.equal(after.statusCode, 200, 'the lock expired');
      // A success clears the count.
      assert.equal((await new Client(t.app).login('victim@example.org', 'wrong again')).statusCode, 401);
      assert.equal((await new Client(t.app).login('victim@example.org')).statusCode, 200);
    });

    it('treats unknown addresses the same, so a lock reveals nothing', async () => {
      for (let i = 0; i < 5; i++) await new Client(t.app).login('nobody@example.org', `guess ${i}`);
      const res = await new Client(t.app).login('nobody@example.org', 'guess');
      assert.equal(res.statusCode, 429);
      assert.equal(json(res).code, 'account_locked');
    });
  });
}
