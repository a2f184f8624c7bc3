import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import type pg from 'pg';
import { changeList, type ChangeFeed, type Changes, type UserChange } from './changes.js';
import { GroupCommit, type WriteWork } from './group-commit.js';
import { PipelinedGroupCommit } from './pg-group-commit.js';
import type { Config } from '../config.js';
import type { Database } from './schema.js';

export type Dialect = Config['dialect'];

const require = createRequire(import.meta.url);

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
   * The only way to write: runs `work` in a transaction, resolves once it is committed, and then
   * announces `changes` (required: a value, a function of the work's result, or `null` when no cache
   * or stream needs to hear of it; see {@link Changes}) through the change feed —
   * shared versions bumped, caches refused, events published to open streams on every instance.
   * Services take the transaction `work` receives and never open their own. On SQLite, writes
   * arriving together share one commit ({@link GroupCommit}) and each job's changes are announced
   * after that shared commit; on PostgreSQL each write is its own transaction on the pool.
   *
   * @example
   *   await app.db.write((trx) => progress.setTopicProgress(trx, …), { userId, scope: 'data' });
   */
  write<T>(work: WriteWork<T>, changes: Changes | ((result: T) => Changes)): Promise<T>;
  /**
   * {@link write} for work that is exactly one SQL statement (atomic on its own, e.g. a CTE that
   * upserts, logs and returns): on PostgreSQL statements arriving together are sent as one pipelined
   * batch in one transaction (one round trip and one commit for the batch; see
   * {@link PipelinedGroupCommit}), with the versions bumped before and again after; on SQLite it
   * joins the group commit like any write. A second query built through the handle is refused
   * before it runs.
   */
  writeStatement<T>(work: WriteWork<T>, changes: Changes): Promise<T>;
  /**
   * The same database announcing its writes to `feed` (the app's events and versions). The
   * connection is shared; only the announcements differ.
   */
  withFeed(feed: ChangeFeed): Db;
  /**
   * SQLite only: a number that changes whenever another connection (another process: the CLI, a
   * second server) committed to the file. Caches compare it so that writes they were not told about still invalidate them.
   */
  readonly externalChanges?: () => number;
  /** A cheap round trip, used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

type Transact = <T>(work: WriteWork<T>) => Promise<T>;

const SILENT: ChangeFeed = { beforeCommit: async () => {}, afterCommit: () => {} };

/** The write entry point of {@link Db}: the work, then the feed before and after the commit. */
function announcingWrites(transact: Transact, feed: ChangeFeed): Db['write'] {
  return async (work, changes) => {
    let announced: readonly UserChange[] = [];
    try {
      const result = await transact(async (trx) => {
        const value = await work(trx);
        announced = changeList(typeof changes === 'function' ? changes(value) : changes);
        if (announced.length) await feed.beforeCommit(announced);
        return value;
      });
      if (announced.length) feed.afterCommit(announced, true);
      return result;
    } catch (error) {
      if (announced.length) feed.afterCommit(announced, false);
      throw error;
    }
  };
}

/**
 * A handle on which one query may be built and run, outside any transaction (a single statement
 * commits on its own). Its type is a transaction's so that only the write entry point hands it out.
 */
function oneStatement(kysely: Kysely<Database>): Transaction<Database> {
  let used = false;
  const guarded = kysely.withPlugin({
    transformQuery({ node }) {
      if (used) throw new Error('db.writeStatement: the work built a second query; use db.write');
      used = true;
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  return guarded as unknown as Transaction<Database>;
}

/**
 * PostgreSQL's {@link Db.writeStatement}: announce, run the one statement (in the next pipelined
 * batch of {@link PipelinedGroupCommit}, resolved once that batch committed), announce.
 */
function announcingStatement(kysely: Kysely<Database>, feed: ChangeFeed): Db['writeStatement'] {
  return async (work, changes) => {
    const announced = changeList(changes);
    if (announced.length) await feed.beforeCommit(announced);
    try {
      const result = await work(oneStatement(kysely));
      if (announced.length) feed.afterCommit(announced, true);
      return result;
    } catch (error) {
      if (announced.length) feed.afterCommit(announced, false);
      throw error;
    }
  };
}

function withWrites(
  base: Omit<Db, 'write' | 'writeStatement' | 'withFeed'>,
  transact: Transact,
  feed: ChangeFeed,
  statements?: Kysely<Database>,
): Db {
  const write = announcingWrites(transact, feed);
  return {
    ...base,
    write,
    writeStatement: statements
      ? announcingStatement(statements, feed)
      : (work, changes) => write(work, changes),
    withFeed: (next) => withWrites(base, transact, next, statements),
  };
}

/**
 * Opens SQLite (WAL journal, so a committed write survives `kill -9`) or PostgreSQL from a
 * `DATABASE_URL`-style string (`poolSize`: PostgreSQL connections). The same Kysely queries and
 * migrations run on both.
 */
export function openDatabase(databaseUrl: string, options: { poolSize?: number } = {}): Db {
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
    // Asked on every cached read (see LocalVersions); `sqlite.pragma()` would compile it each time,
    // which a CPU profile of GET progress showed at 13 % of the request.
    const dataVersion = sqlite.prepare('pragma data_version').pluck();
    return withWrites(
      {
        kysely,
        dialect: 'sqlite',
        externalChanges: () => dataVersion.get() as number,
        async ping() {
          sqlite.prepare('select 1').get();
        },
        async close() {
          await kysely.destroy();
        },
      },
      (work) => groupCommit.run(work),
      SILENT,
    );
  }
  // pg is loaded only for PostgreSQL, so a SQLite start does not pay for it.
  const pgModule = require('pg') as typeof pg;
  const pool = new pgModule.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: 5000,
    // No JIT compilation: every query here is short, and a large database's row estimates can push
    // one over the JIT cost threshold, where compiling took 1–2.7 s for a query that runs in 0.4 s.
    options: '-c jit=off',
  });
  // An idle client dropped by the server (restart, failover, admin termination) is reported here;
  // without a listener Node would crash. The pool replaces the client on the next query.
  pool.on('error', (error) => {
    console.error(`PostgreSQL connection lost: ${error.message}`);
  });
  // A client in use when its connection breaks also emits 'error' (its query is rejected as well,
  // and the request answers 503); the pool listens only to idle clients, so without this listener
  // a database restart during a query would crash the process. The broken client is not reused.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // One-statement writes share commits: two more connections carry their pipelined batches.
  const batches = new PipelinedGroupCommit(pgModule, databaseUrl, (query) => kysely.executeQuery(query));
  return withWrites(
    {
      kysely,
      dialect: 'postgres',
      async ping() {
        await pool.query('select 1');
      },
      async close() {
        await batches.close();
        await kysely.destroy();
      },
    },
    (work) => kysely.transaction().execute(work),
    SILENT,
    batches.kysely,
  );
}
