import type { WaymarkMigration } from './index.js';

/**
 * Atomic sign-up (issue 12). When a guest signs up, the guest's session is not deleted at once: it is
 * marked `replaced_at` and given a few minutes to live, so a visitor whose sign-up response never
 * arrived (they navigated away) is still signed in, to the new account, by the cookie they still hold.
 * Such a session is never renewed and is exchanged for a fresh one the first time it is used.
 */
export const sessionHandover: WaymarkMigration = {
  name: '014-session-handover',
  async up(db) {
    await db.schema.alterTable('sessions').addColumn('replaced_at', 'text').execute();
  },
};
