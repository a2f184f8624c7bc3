import type { WaymarkMigration } from './index.js';

/**
 * Study plans: the learner's settings per roadmap, every computed version of the plan (so they can
 * see how it changed), weekly check-in notes, and calendar feed tokens (only their SHA-256).
 */
export const plan: WaymarkMigration = {
  name: '002-plan',
  async up(db) {
    await db.schema
      .createTable('plans')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('hours_per_week', 'integer', (c) => c.notNull())
      .addColumn('target_weeks', 'integer', (c) => c.notNull())
      .addColumn('study_days', 'text', (c) => c.notNull())
      .addColumn('study_time', 'text')
      .addColumn('session_minutes', 'integer')
      .addColumn('weeks_off', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('include_optional', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('include_topics', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('exclude_topics', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('plans_pk', ['user_id', 'roadmap_id'])
      .execute();

    await db.schema
      .createTable('plan_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('from_week', 'integer', (c) => c.notNull())
      .addColumn('weeks', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('feasibility', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('plan_versions_number_uq', ['user_id', 'roadmap_id', 'version'])
      .execute();

    await db.schema
      .createTable('plan_checkins')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('week_start', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('plan_checkins_pk', ['user_id', 'roadmap_id', 'week_start'])
      .execute();

    await db.schema
      .createTable('plan_feeds')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addUniqueConstraint('plan_feeds_owner_uq', ['user_id', 'roadmap_id'])
      .execute();
  },
};
