// Choosing a topic of a "choose one of" set, for the API and the roadmap page's form alike: the
// choice and the re-plan it causes commit together. Apart from alternatives.service.ts because the
// plan feature reads that file, and this one calls the plan feature.

import type { Content, Roadmap } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import { replanAfterChoice } from '../plan/plan.service.js';
import { inTransaction } from '../plan/plan.transaction.js';
import { setChoice, type SetChoice } from './alternatives.service.js';

/**
 * Records the learner's choice for `setId` (`null`: back to the default) and re-plans their plan of
 * the roadmap, if they have one; progress is kept.
 */
export function chooseAlternative(
  db: Db,
  content: Content,
  roadmap: Roadmap,
  learner: { id: string; timeZone: string },
  choice: { setId: string; topicId: string | null },
  now: Date,
): Promise<SetChoice> {
  return inTransaction(db, learner.id, async (trx) => {
    const stored = await setChoice(
      trx,
      content,
      roadmap,
      learner.id,
      choice.setId,
      choice.topicId,
      now.toISOString(),
    );
    await replanAfterChoice(trx, content, roadmap, learner, now);
    return stored;
  });
}
