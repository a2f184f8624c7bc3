// The progress feature's public writes for other features: an entry in the learner's activity log
// (streaks and the heatmap count it), e.g. a review answered, which runs in the caller's
// transaction; and the maintenance job's fold of closed days into the per-day rollup.

import type { WriteTx } from '../db/types.js';
import * as repo from './progress.repository.js';

export { foldAllLearningDays } from './activity-days.js';

/** Records that the learner reviewed a card of a topic at `at` (ISO). */
export async function recordReviewActivity(
  db: WriteTx,
  entry: { userId: string; topicId: string; cardKey: string; at: string },
): Promise<void> {
  await repo.insertActivity(db, [
    {
      user_id: entry.userId,
      topic_id: entry.topicId,
      kind: 'review',
      from_status: null,
      to_status: null,
      created_at: entry.at,
      detail: entry.cardKey,
    },
  ]);
}
