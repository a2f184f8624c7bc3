import type { WaymarkMigration } from './index.js';

/**
 * A daily limit for new review cards: how many never-rated cards a learner meets in 24 hours
 * (null keeps the default, so the default can change without touching stored rows).
 */
export const ux: WaymarkMigration = {
  name: '007-ux',
  async up(db) {
    await db.schema.alterTable('review_settings').addColumn('new_cards_per_day', 'integer').execute();
  },
};
