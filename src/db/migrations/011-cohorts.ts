import type { WaymarkMigration } from './index.js';

/**
 * Cohorts and mentors (issue 11). `users.role` (learner | admin, since 001) says who administers the
 * instance; `cohort_members.role` says who learns and who mentors in one cohort — one account may be
 * a learner in one cohort and a mentor in another, never both in the same one. Leaving or removal
 * deletes the membership row, so access ends with the next request. `learner_summaries` is one row
 * per cohort, learner and roadmap, recomputed when the learner writes, so the mentor's table of thousands of
 * learners is a single indexed read (see src/cohorts/README.md).
 */
export const cohorts: WaymarkMigration = {
  name: '011-cohorts',
  async up(db) {
    await db.schema
      .createTable('cohorts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('target_weeks', 'integer', (c) => c.notNull())
      .addColumn('hours_per_week', 'real', (c) => c.notNull())
      .addColumn('requires_email', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('cohort_roadmaps')
      .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cohort_roadmaps_pk', ['cohort_id', 'roadmap_id'])
      .execute();
    await db.schema
      .createTable('cohort_members')
      .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('share_reflections', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consented_at', 'text')
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cohort_members_pk', ['cohort_id', 'user_id'])
      .execute();
    // The mentor's table: one cohort's learners (or mentors) in order.
    await db.schema
      .createIndex('cohort_members_role_idx')
      .on('cohort_members')
      .columns(['cohort_id', 'role', 'user_id'])
      .execute();
    // "Which cohorts am I in": policy checks and the learner's home page.
    await db.schema.createIndex('cohort_members_user_idx').on('cohort_members').column('user_id').execute();
    await db.schema
      .createTable('cohort_invites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('email_domain', 'text')
      .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('cohort_invites_cohort_idx')
      .on('cohort_invites')
      .column('cohort_id')
      .execute();
    // Notes a learner chose to show their cohorts' mentors (every other note stays private).
    await db.schema
      .createTable('shared_notes')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('topic_id', 'text', (c) => c.notNull())
      .addColumn('shared_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('shared_notes_pk', ['user_id', 'topic_id'])
      .execute();
    // One row per cohort, learner and roadmap (a learner in two cohorts has a copy in each), holding
    // the name the cohort knows them by: the mentor's table reads, sorts and counts this one table.
    await db.schema
      .createTable('learner_summaries')
      .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
      .addColumn('roadmap_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('joined_at', 'text', (c) => c.notNull())
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('percent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('steps', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('plan_state', 'text', (c) => c.notNull().defaultTo('none'))
      .addColumn('behind_hours', 'real', (c) => c.notNull().defaultTo(0))
      .addColumn('forecast_finish', 'text')
      .addColumn('last_active_day', 'text')
      .addColumn('streak_days', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('verified_projects', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('review_due', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('learning_since', 'text')
      .addColumn('stuck_topic_id', 'text')
      .addColumn('computed_on', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('learner_summaries_pk', ['cohort_id', 'roadmap_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('learner_summaries_user_idx')
      .on('learner_summaries')
      .column('user_id')
      .execute();
    // The table's default order and its most used one ("most behind first") walk an index.
    await db.schema
      .createIndex('learner_summaries_name_idx')
      .on('learner_summaries')
      .columns(['cohort_id', 'roadmap_id', 'display_name'])
      .execute();
    await db.schema
      .createIndex('learner_summaries_behind_idx')
      .on('learner_summaries')
      .columns(['cohort_id', 'roadmap_id', 'behind_hours'])
      .execute();
  },
};
