import type { WaymarkMigration } from './index.js';

/**
 * Email (issue 14, item 10). Migration 006 created `email_tokens` and `users.email_verified_at`;
 * this adds what a sign-up finished through an emailed link needs: the chosen password's scrypt
 * hash travels with the pending sign-up (never the password), so the account is only created once
 * the address is proven. Indexes: mails per address and purpose (the per-address limits), and the
 * purge of expired links.
 */
export const email: WaymarkMigration = {
  name: '013-email',
  async up(db) {
    await db.schema.alterTable('email_tokens').addColumn('password_hash', 'text').execute();
    await db.schema
      .createIndex('email_tokens_email_idx')
      .on('email_tokens')
      .columns(['email', 'purpose', 'created_at'])
      .execute();
    await db.schema.createIndex('email_tokens_expires_idx').on('email_tokens').column('expires_at').execute();
  },
};
