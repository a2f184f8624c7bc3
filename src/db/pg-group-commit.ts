import type pg from 'pg';
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Database } from './schema.js';

interface Job {
  query: CompiledQuery;
  resolve(result: QueryResult<unknown>): void;
  reject(error: unknown): void;
}

type RunAlone = (query: CompiledQuery) => Promise<QueryResult<unknown>>;

/** Kysely's shape of a pg result (as its own PostgreSQL driver returns it). */
function asQueryResult(result: pg.QueryResult): QueryResult<unknown> {
  const { command, rowCount, rows } = result;
  const changed = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return { ...(changed ? { numAffectedRows: BigInt(rowCount ?? 0) } : {}), rows: rows ?? [] };
}

/**
 * Group commit for PostgreSQL's one-statement writes ({@link Db.writeStatement}, e.g. the progress
 * PUT): statements from requests that arrive together are sent as one pipelined batch —
 * `BEGIN; s1; s2; …; COMMIT` written to the socket at once (pg's pipeline mode) — so the batch
 * costs one network round trip and one commit (one WAL flush, `synchronous_commit` unchanged)
 * instead of one of each per write. Nothing is acknowledged before that COMMIT returned.
 *
 * A statement that fails aborts the shared transaction, so the whole batch rolls back; every
 * statement of it is then run again on its own (autocommitted, as it would have been without
 * batching), and only the one that fails again reports an error. When the outcome is unknown (the
 * connection broke), no statement is retried and every caller gets the error — as a single
 * autocommitted statement whose connection broke would.
 *
 * Batches run on their own connections, at most `maxInFlight` at a time: statements queued while
 * those are in flight go into the next, which is what makes batches grow under load. Statements
 * within a batch run in the order they were queued; concurrent batches are as unordered as the
 * concurrent requests they came from (a write waited for is committed before the next is sent).
 * Each distinct statement is prepared once per connection (named), so the server plans it once.
 */
export class PipelinedGroupCommit {
  /** Builds and "runs" one statement: running it queues it for the next batch. */
  readonly kysely: Kysely<Database>;
  private readonly pool: pg.Pool;
  private queue: Job[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** SQL text → prepared statement name: each connection parses and plans a statement once. */
  private readonly names = new Map<string, string>();

  constructor(
    /** The pg module (loaded only for PostgreSQL; see openDatabase). */
    private readonly pgModule: typeof pg,
    connectionString: string,
    private readonly runAlone: RunAlone,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 128,
  ) {
    this.pool = new pgModule.Pool({
      connectionString,
      max: maxInFlight,
      connectionTimeoutMillis: 5000,
      options: '-c jit=off', // as the main pool (see openDatabase)
      // Queries are written without waiting for the previous answer (pg's pipeline mode).
      pipeline: true,
    });
    // See openDatabase: a broken connection is reported here (and to the batch it was running).
    this.pool.on('error', (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
    this.pool.on('connect', (client) => client.on('error', () => {}));
    const connection: DatabaseConnection = {
      executeQuery: <R>(query: CompiledQuery) =>
        new Promise<QueryResult<R>>((resolve, reject) => {
          this.queue.push({ query, resolve: resolve as Job['resolve'], reject });
          this.schedule();
        }),
      streamQuery: () => {
        throw new Error('a batched statement cannot stream');
      },
    };
    const refuse = async () => {
      throw new Error('a batched statement runs in the batch’s transaction; use db.write');
    };
    const driver: Driver = {
      init: async () => {},
      acquireConnection: async () => connection,
      beginTransaction: refuse,
      commitTransaction: refuse,
      rollbackTransaction: refuse,
      releaseConnection: async () => {},
      destroy: async () => {},
    };
    this.kysely = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Everything read from the network in this turn of the event loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void (batch.length === 1 ? this.alone(batch[0]!) : this.together(batch)).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  /** A name per distinct statement text (a bounded number; beyond it statements go unnamed). */
  private nameOf(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < 100) {
      name = `waymark_batched_${this.names.size}`;
      this.names.set(sql, name);
    }
    return name;
  }

  private async alone(job: Job): Promise<void> {
    try {
      job.resolve(await this.runAlone(job.query));
    } catch (error) {
      job.reject(error);
    }
  }

  private async together(batch: Job[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    // All of it goes out before any answer comes back (pipeline mode); each keeps its own result.
    const sent = [
      client.query('begin'),
      ...batch.map((job) =>
        client.query({
          name: this.nameOf(job.query.sql),
          text: job.query.sql,
          values: [...job.query.parameters],
        }),
      ),
      client.query('commit'),
    ];
    const settled = await Promise.allSettled(sent);
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    const commit = settled[settled.length - 1]!;
    // In an aborted transaction COMMIT answers "ROLLBACK" (no error): nothing was stored.
    const committed =
      failures.length === 0 && commit.status === 'fulfilled' && commit.value.command === 'COMMIT';
    const rolledBack = !committed && failures.every((f) => f.reason instanceof this.pgModule.DatabaseError);
    client.release(
      committed || rolledBack ? undefined : ((failures[0]?.reason as Error | undefined) ?? true),
    );
    if (committed) {
      batch.forEach((job, i) => {
        job.resolve(asQueryResult((settled[i + 1] as PromiseFulfilledResult<pg.QueryResult>).value));
      });
    } else if (rolledBack) {
      // The server refused a statement and rolled the batch back: each one again on its own, in order.
      for (const job of batch) await this.alone(job);
    } else {
      const error = failures[0]?.reason ?? new Error('PostgreSQL did not commit the batch');
      for (const job of batch) job.reject(error);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
