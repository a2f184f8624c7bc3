import type { WaymarkMigration } from './index.js';

/**
 * Verified projects: every check run against a learner's API (with each check's result and capped,
 * masked excerpts), the signed verification records a passing run produced (share links stored only
 * as SHA-256), and the instance's Ed25519 signing key (PostgreSQL keeps it here so every instance
 * signs with the same key; SQLite keeps it as a file beside the database).
 */
export const projects: WaymarkMigration = {
  name: '004-projects',
  async up(db) {
    await db.schema
      .createTable('project_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('base_url', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('collection_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('heartbeat_at', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total_checks', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('passed_checks', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed_checks', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('duration_ms', 'integer')
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('project_runs_user_project_idx')
      .on('project_runs')
      .columns(['user_id', 'project_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('project_runs_user_created_idx')
      .on('project_runs')
      .columns(['user_id', 'created_at'])
      .execute();
    await db.schema.createIndex('project_runs_state_idx').on('project_runs').column('state').execute();

    await db.schema
      .createTable('project_run_checks')
      .addColumn('run_id', 'text', (c) => c.notNull().references('project_runs.id').onDelete('cascade'))
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('passed', 'integer', (c) => c.notNull())
      .addColumn('assertions', 'text', (c) => c.notNull())
      .addColumn('request_excerpt', 'text')
      .addColumn('response_excerpt', 'text')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('project_run_checks_pk', ['run_id', 'idx'])
      .execute();

    await db.schema
      .createTable('project_verifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull().references('project_runs.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('share_token_hash', 'text', (c) => c.unique())
      .execute();
    await db.schema
      .createIndex('project_verifications_user_idx')
      .on('project_verifications')
      .columns(['user_id', 'project_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('project_verifications_run_uq')
      .on('project_verifications')
      .column('run_id')
      .unique()
      .execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
