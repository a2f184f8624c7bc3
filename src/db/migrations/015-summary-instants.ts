import { sql } from 'kysely';
import type { WaymarkMigration } from './index.js';

/**
 * The cohort table's "inactive" and "current streak" in each learner's own time zone (issue 11).
 *
 * A learner's days are cut in their zone, so "inactive for 7+ days" and "the streak is still going"
 * change at *their* midnight, not at UTC's. Each summary row now keeps the two instants at which that
 * happens — `inactive_from` (the start of the 8th local day after the last active one) and
 * `streak_until` (the start of the 2nd) — so the table compares them with "now", one range condition
 * for any mix of zones. Existing rows get the UTC day's instants until they are next recomputed (the
 * learner's next write, or the table's daily refresh of rows computed on an earlier day).
 */
export const summaryInstants: WaymarkMigration = {
  name: '015-summary-instants',
  async up(db, dialect) {
    await db.schema.alterTable('learner_summaries').addColumn('inactive_from', 'text').execute();
    await db.schema.alterTable('learner_summaries').addColumn('streak_until', 'text').execute();
    const plus = (days: number) =>
      dialect === 'postgres'
        ? sql`to_char(last_active_day::date + ${sql.lit(days)}, 'YYYY-MM-DD') || 'T00:00:00.000Z'`
        : sql`date(last_active_day, ${sql.lit(`+${days} days`)}) || 'T00:00:00.000Z'`;
    await db
      .updateTable('learner_summaries')
      .set({ inactive_from: plus(8), streak_until: plus(2) })
      .where('last_active_day', 'is not', null)
      .execute();
  },
};
