import type { WaymarkMigration } from './index.js';

/**
 * Per-day activity counts, so the dashboard's streaks and heatmap cost the number of days a learner
 * has been active, not the number of rows in their history. `activity_rollups` says which time zone
 * the days were cut in and up to which day they are complete; days from then on are read raw.
 */
export const rollups: WaymarkMigration = {
  name: '010-rollups',
  async up(db) {
    await db.schema
      .createTable('activity_rollups')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('through_day', 'text', (c) => c.notNull())
      .addColumn('through_utc', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('activity_days')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('activity_days_pk', ['user_id', 'day'])
      .execute();
  },
};
