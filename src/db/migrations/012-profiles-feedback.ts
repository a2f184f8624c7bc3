import type { WaymarkMigration } from './index.js';

/**
 * Public profiles (opt-in) and mentors' feedback comments (issue 11).
 *
 * `profiles`: one row per learner who chose a handle. `handle_key` is the lower-cased handle, unique,
 * so handles are unique case-insensitively on both dialects; `public` (0/1) is off until the learner
 * turns it on. `feedback_comments`: a thread per learner and topic or project run; `author_id` is the
 * mentor or the learner replying. Both go with either account (cascade).
 */
export const profilesFeedback: WaymarkMigration = {
  name: '012-profiles-feedback',
  async up(db) {
    await db.schema
      .createTable('profiles')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('handle', 'text', (c) => c.notNull())
      .addColumn('handle_key', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('feedback_comments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('learner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('author_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('cohort_id', 'text')
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('topic_id', 'text')
      .addColumn('run_id', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .execute();
    await db.schema
      .createIndex('feedback_comments_learner_idx')
      .on('feedback_comments')
      .columns(['learner_id', 'topic_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('feedback_comments_author_idx')
      .on('feedback_comments')
      .column('author_id')
      .execute();
    await db.schema
      .createIndex('feedback_comments_run_idx')
      .on('feedback_comments')
      .column('run_id')
      .execute();
  },
};
