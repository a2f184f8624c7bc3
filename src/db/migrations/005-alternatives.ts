import type { WaymarkMigration } from './index.js';

/**
 * The learner's pick in each "choose one of" set of a roadmap (content-format.md, alternative sets).
 * Keyed by roadmap and set id (both stable); `topic_id` is the chosen member. A missing row means the
 * set's default. Rows go with the user (cascade) and follow topic aliases like progress does.
 */
export const alternatives: WaymarkMigration = {
  name: '005-alternatives',
  async up(db) {
    await db.schema
      .createTable('alternative_choices')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('set_id', 'text', (c) => c.notNull())
      .addColumn('topic_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('alternative_choices_pk', ['user_id', 'roadmap_id', 'set_id'])
      .execute();
    await db.schema
      .createIndex('alternative_choices_topic_idx')
      .on('alternative_choices')
      .column('topic_id')
      .execute();
  },
};
