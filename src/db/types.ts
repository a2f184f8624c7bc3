import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** What repository read functions take as their first argument: the database or a transaction on it. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/**
 * What repository write functions take: only a transaction, which only `db.write` hands out — so
 * a write that bypasses the one write entry point (and its after-commit announcement) does not compile.
 */
export type WriteTx = Transaction<Database>;

/** True when `db` talks to PostgreSQL (for the few writes that have a one-statement form there). */
export function onPostgres(db: Queryable): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
