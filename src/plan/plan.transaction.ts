// How a plan write runs: through the one write entry point, holding the learner's lock, retried on a
// unique-key race.

import type { Db } from '../db/database.js';
import type { WriteTx } from '../db/types.js';
import { isUniqueViolation } from '../db/unique.js';
import * as repo from './plan.repository.js';

/**
 * Runs one learner's plan write with `db.write` (announced after commit like every write) in a
 * transaction that holds their lock, so a double-clicked "Save" (or two tabs) makes two versions one
 * after the other instead of a 500. A unique-key clash that slips through anyway (a first save racing
 * an import) is retried. The scope is `account`: saving plan settings may set the learner's time zone.
 */
export async function inTransaction<T>(
  db: Db,
  userId: string,
  work: (trx: WriteTx) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.write(
        async (trx) => {
          await repo.lockLearner(trx, userId, db.dialect);
          return work(trx);
        },
        { userId, scope: 'account' },
      );
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}
