import type { TSchema, Static } from '@sinclair/typebox';
import type { Content } from '../content/content.types.js';
import type { Queryable, WriteTx } from '../db/types.js';

/** What an import/merge step may need besides the database. */
export interface UserDataContext {
  content: Content;
  /** ISO timestamp of "now". */
  now: string;
  /** Maps an exported topic id (maybe an alias or retired id) to the id to store, or null if unknown. */
  canonicalTopicId(id: string): string | null;
}

/**
 * A slice of a user's data that leaves with `GET /me/export`, comes back with `POST /me/import`,
 * and moves from a guest into an account at login. Each feature (progress, plan, review…)
 * declares one in its manifest (src/features.ts), so export/import/merge/delete never forget a table.
 */
export interface UserDataSection<S extends TSchema = TSchema> {
  /** Key in the export document. */
  readonly name: string;
  /** Schema of the section in the export document (validated before anything is written). */
  readonly schema: S;
  export(db: Queryable, userId: string): Promise<Static<S>>;
  /**
   * Writes the section inside the import transaction. Must be idempotent: importing the same
   * document twice leaves the same data. Returns how many records it wrote or updated.
   * Throws a Problem for content problems the schema cannot express (e.g. unknown topic id).
   */
  import(trx: WriteTx, userId: string, data: Static<S>, ctx: UserDataContext): Promise<number>;
  /** Moves everything from a guest into the account being signed into (newest change wins). */
  merge(trx: WriteTx, fromUserId: string, toUserId: string, ctx: UserDataContext): Promise<void>;
  /** Optional: re-keys rows from a merged topic id to the surviving one (see content aliases). */
  rekeyTopic?(trx: WriteTx, fromTopicId: string, toTopicId: string): Promise<void>;
}

/**
 * Declares a feature's section (its manifest lists it as `userData`), keeping its precise types
 * inside while the list in src/features.ts holds every section alike.
 */
export function defineUserDataSection<S extends TSchema>(section: UserDataSection<S>): UserDataSection {
  return section as unknown as UserDataSection;
}
