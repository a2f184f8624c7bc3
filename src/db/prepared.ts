import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Queryable } from './types.js';

const SENTINEL = '\u0000waymark-parameter-';

/**
 * Builds a query's SQL once per database and afterwards only binds new values, for the queries
 * on the hottest paths (a progress write runs four of them). Kysely's query builder costs about
 * as much as SQLite's execution of a small indexed query — building, freezing and compiling an
 * operation tree per call — so a request that runs several of them spends most of its database
 * time in JavaScript. The query is still written with the builder, type-checked as usual and
 * compiled by the database's own dialect (the cache is per dialect adapter, so SQLite and
 * PostgreSQL each get their SQL).
 *
 * The builder is called once with placeholder values, so it must pass its arguments through to
 * the query unchanged (no branching on them): the placeholders are found among the compiled
 * parameters and replaced by the real values at each call.
 *
 * @example
 *   const findNote = prepared((db, userId: string, topicId: string) =>
 *     db.selectFrom('progress').select('note').where('user_id', '=', userId).where('topic_id', '=', topicId));
 *   const rows = await findNote(trx, 'u1', 'dns'); // [{ note: '…' }]
 */
export function prepared<Args extends readonly unknown[], Row>(
  build: (db: Queryable, ...args: Args) => Compilable<Row>,
): (db: Queryable, ...args: Args) => Promise<QueryResult<Row>> {
  const arity = build.length - 1;
  const compiled = new WeakMap<object, { sql: string; bind: (args: Args) => unknown[] }>();
  const compile = (db: Queryable) => {
    const placeholders = Array.from({ length: arity }, (_, i) => `${SENTINEL}${i}`);
    const query = build(db, ...(placeholders as unknown as Args)).compile();
    const used = new Set<number>();
    // Each compiled parameter is either one of our placeholders (→ that argument) or a constant.
    const sources = query.parameters.map((value): { index: number } | { constant: unknown } => {
      if (typeof value === 'string' && value.startsWith(SENTINEL)) {
        const index = Number(value.slice(SENTINEL.length));
        used.add(index);
        return { index };
      }
      return { constant: value };
    });
    if (used.size !== arity) {
      throw new Error(
        `prepared(): ${arity - used.size} of ${arity} arguments never reached the query as parameters; pass them to the builder as values`,
      );
    }
    const bind = (args: Args) => sources.map((s) => ('index' in s ? args[s.index] : s.constant));
    return { sql: query.sql, bind };
  };
  return (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiled.get(adapter);
    if (!entry) {
      try {
        entry = compile(db);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      compiled.set(adapter, entry);
    }
    return db.executeQuery(CompiledQuery.raw(entry.sql, entry.bind(args)) as CompiledQuery<Row>);
  };
}
