import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../src/lib/clock.js';
import { purgeOnce } from '../../src/maintenance/purge.job.js';
import { Client, createTestApp, dialects, type TestApp } from '../helpers.js';

for (const dialect of await dialects()) {
  describe(
    `purge of expired sessions and abandoned guests (${dialect.name})`,
    { skip: dialect.skip ?? false },
    () => {
      let t: TestApp;
      before(async () => {
        t = await createTestApp(dialect, { config: { guestRetentionDays: 30, sessionDays: 7 } });
      });
      after(async () => t?.close());

      const exists = async (id: string) =>
        (await t.db.kysely.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !==
        undefined;
      const userIdOf = async (client: Client) =>
        ((await client.get('/api/v1/me')).json() as { id: string }).id;

      it('deletes guests nobody can return as, keeps returning guests and accounts', async () => {
        const emptyGuestId = 'guest-without-data-0000000000000';
        const stamp = t.clock.now().toISOString();
        await t.db.kysely
          .insertInto('users')
          .values({
            id: emptyGuestId,
            email: null,
            password_hash: null,
            is_guest: 1,
            role: 'learner',
            time_zone: 'UTC',
            created_at: stamp,
            updated_at: stamp,
          })
          .execute();

        const leaver = new Client(t.app);
        await leaver.put('/api/v1/topics/dns/progress', { status: 'done' });
        const leaverId = await userIdOf(leaver);
        const account = new Client(t.app);
        await account.signup('stays@example.org');
        await account.put('/api/v1/topics/dns/progress', { status: 'learning' });
        const accountId = await userIdOf(account);

        t.clock.advance(2 * DAY_MS);
        const returning = new Client(t.app);
        await returning.put('/api/v1/topics/dns/progress', { status: 'learning' });
        const returningId = await userIdOf(returning);

        const early = await purgeOnce(t.db, t.clock, { guestRetentionDays: 30 });
        assert.equal(early.emptyGuests, 1, 'a guest who stored nothing goes after a day');
        assert.equal(await exists(emptyGuestId), false);
        assert.equal(await exists(leaverId), true, 'a guest with data stays for the retention period');

        // 31 days on: the leaver's session expired long ago; the returning guest keeps visiting.
        for (let day = 0; day < 31; day++) {
          t.clock.advance(DAY_MS);
          if (day % 3 === 0) await returning.get('/api/v1/me');
        }
        const late = await purgeOnce(t.db, t.clock, { guestRetentionDays: 30 });
        assert.ok(late.expiredSessions >= 1, 'expired sessions are deleted');
        assert.equal(late.guestsWithData, 1);
        assert.equal(await exists(leaverId), false);
        assert.equal(await exists(returningId), true);
        assert.equal(await exists(accountId), true, 'accounts are never purged');
        const progress = await t.db.kysely
          .selectFrom('progress')
          .select('user_id')
          .where('user_id', '=', leaverId)
          .execute();
        assert.equal(progress.length, 0, "the purged guest's data is gone with it");
        const again = await purgeOnce(t.db, t.clock, { guestRetentionDays: 30 });
        assert.deepEqual(again, { expiredSessions: 0, emptyGuests: 0, guestsWithData: 0 });
      });
    },
  );
}
