// How a plan write runs: in one transaction holding the learner's lock, retried on a unique-key race.

import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import * as repo from './plan.repository.js';

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * Runs one learner's plan write in a transaction that holds their lock, so a double-clicked "Save" (or
 * two tabs) makes two versions one after the other instead of a 500. A unique-key clash that slips
 * through anyway (a first save racing an import) is retried.
 */
export async function inTransaction<T>(
  db: { kysely: Kysely<Database>; dialect: 'sqlite' | 'postgres' },
  userId: string,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.kysely.transaction().execute(async (trx) => {
        await repo.lockLearner(trx, userId, db.dialect);
        return work(trx);
      });
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}
