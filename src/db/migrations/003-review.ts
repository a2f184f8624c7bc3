import type { WaymarkMigration } from './index.js';

/**
 * Spaced-repetition review: FSRS memory state per user and card, every rating, and the
 * learner's desired retention. Cards are keyed by `<topic-id>/<card-id>`; `topic_id` is kept
 * beside the key so topic aliases can re-key a topic's cards in one statement.
 */
export const review: WaymarkMigration = {
  name: '003-review',
  async up(db) {
    await db.schema
      .createTable('review_cards')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('card_key', 'text', (c) => c.notNull())
      .addColumn('topic_id', 'text', (c) => c.notNull())
      .addColumn('state', 'integer', (c) => c.notNull())
      .addColumn('due', 'text', (c) => c.notNull())
      .addColumn('stability', 'double precision', (c) => c.notNull())
      .addColumn('difficulty', 'double precision', (c) => c.notNull())
      .addColumn('scheduled_days', 'integer', (c) => c.notNull())
      .addColumn('learning_steps', 'integer', (c) => c.notNull())
      .addColumn('reps', 'integer', (c) => c.notNull())
      .addColumn('lapses', 'integer', (c) => c.notNull())
      .addColumn('last_review', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('review_cards_pk', ['user_id', 'card_key'])
      .execute();
    await db.schema
      .createIndex('review_cards_user_due_idx')
      .on('review_cards')
      .columns(['user_id', 'due'])
      .execute();
    await db.schema.createIndex('review_cards_topic_idx').on('review_cards').column('topic_id').execute();

    await db.schema
      .createTable('review_logs')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('card_key', 'text', (c) => c.notNull())
      .addColumn('topic_id', 'text', (c) => c.notNull())
      .addColumn('reviewed_at', 'text', (c) => c.notNull())
      .addColumn('rating', 'integer', (c) => c.notNull())
      .addColumn('state', 'integer', (c) => c.notNull())
      .addColumn('due', 'text', (c) => c.notNull())
      .addColumn('stability', 'double precision', (c) => c.notNull())
      .addColumn('difficulty', 'double precision', (c) => c.notNull())
      .addColumn('elapsed_days', 'integer', (c) => c.notNull())
      .addColumn('scheduled_days', 'integer', (c) => c.notNull())
      .addColumn('learning_steps', 'integer', (c) => c.notNull())
      .addColumn('answered_choice', 'integer')
      .addColumn('answered_correct', 'integer')
      .addPrimaryKeyConstraint('review_logs_pk', ['user_id', 'card_key', 'reviewed_at'])
      .execute();
    await db.schema
      .createIndex('review_logs_user_time_idx')
      .on('review_logs')
      .columns(['user_id', 'reviewed_at'])
      .execute();
    await db.schema.createIndex('review_logs_topic_idx').on('review_logs').column('topic_id').execute();

    await db.schema
      .createTable('review_settings')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('desired_retention', 'double precision', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
