import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import { GroupCommit, type WriteWork } from './group-commit.js';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database } from './schema.js';

export type Dialect = Config['dialect'];

const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 compiles SQL on every `prepare`; Kysely prepares every query it runs. Caching
 * statements by their SQL text (queries are parameterised, so the set is small) removes that cost
 * from every request.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

/** An open database plus what the rest of the program needs to know about it. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * Runs a write in a transaction and resolves once it is committed. The frequent small writes
   * (progress, notes, ticks, review ratings) go through here: on SQLite, writes arriving together
   * share one commit ({@link GroupCommit}); on PostgreSQL each is its own transaction on the pool.
   */
  write<T>(work: WriteWork<T>): Promise<T>;
  /** A cheap round trip, used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens SQLite (WAL journal, so a committed write survives `kill -9`) or PostgreSQL from a
 * `DATABASE_URL`-style string. The same Kysely queries and migrations run on both.
 */
export function openDatabase(databaseUrl: string): Db {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL keeps committed transactions across a process crash (kill -9); only a power loss
    // can drop the last few, which FULL would prevent at a large write cost.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    const groupCommit = new GroupCommit(kysely);
    return {
      kysely,
      dialect: 'sqlite',
      write: (work) => groupCommit.run(work),
      async ping() {
        sqlite.prepare('select 1').get();
      },
      async close() {
        await kysely.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client dropped by the server (restart, failover, admin termination) is reported here;
  // without a listener Node would crash. The pool replaces the client on the next query.
  pool.on('error', (error) => {
    console.error(`PostgreSQL connection lost: ${error.message}`);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    write: (work) => kysely.transaction().execute(work),
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await kysely.destroy();
    },
  };
}
