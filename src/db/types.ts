import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** What repository functions take as their first argument: the database or a transaction on it. */
export type Queryable = Kysely<Database> | Transaction<Database>;
