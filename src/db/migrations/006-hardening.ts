import type { WaymarkMigration } from './index.js';

/**
 * Hardening (issue 14): indexes for the purge of abandoned guests and expired sessions; scopes
 * for API tokens and which token created which (so revoking one revokes what it made); a counter
 * of failed sign-ins per account for the brute-force lock; and one-time email links
 * (verification, password reset) with the address's verification time.
 */
export const hardening: WaymarkMigration = {
  name: '006-hardening',
  async up(db) {
    await db.schema
      .createIndex('users_guest_created_idx')
      .on('users')
      .columns(['is_guest', 'created_at'])
      .execute();
    await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
    await db.schema
      .createIndex('sessions_user_seen_idx')
      .on('sessions')
      .columns(['user_id', 'last_seen_at'])
      .execute();

    // Tokens made before scopes existed could do everything the learning API allows: read-write.
    await db.schema
      .alterTable('api_tokens')
      .addColumn('scope', 'text', (c) => c.notNull().defaultTo('read-write'))
      .execute();
    await db.schema.alterTable('api_tokens').addColumn('created_by_token', 'text').execute();
    await db.schema
      .createIndex('api_tokens_created_by_idx')
      .on('api_tokens')
      .column('created_by_token')
      .execute();

    await db.schema
      .createTable('login_failures')
      .addColumn('account', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_failed_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .execute();

    await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
    await db.schema
      .createTable('email_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('email_tokens_user_idx').on('email_tokens').column('user_id').execute();
  },
};
