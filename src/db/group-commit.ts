import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** A unit of work that runs inside a transaction and must be committed before anyone is told. */
export type WriteWork<T> = (trx: Transaction<Database>) => Promise<T>;

interface Job {
  work: WriteWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const SAVEPOINT = CompiledQuery.raw('savepoint waymark_write');
const RELEASE = CompiledQuery.raw('release savepoint waymark_write');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint waymark_write');

/**
 * Group commit for SQLite: writes that arrive together share one transaction and one commit.
 *
 * SQLite has one writer, and with a write-ahead log most of a small write's cost is the commit
 * itself (appending the changed pages to the log). Requests read from the network in the same
 * turn of the event loop queue their work here; at the end of that turn (`setImmediate`) the
 * queue runs as one transaction in which every write has its own savepoint, so a write that fails
 * (an unknown topic, a constraint) is rolled back alone and its caller gets its error, while the
 * others commit. Nothing is acknowledged before the shared commit returns, so an acknowledged
 * write still survives `kill -9`; if the commit itself fails, every write of the batch fails.
 * Work queued while a batch runs goes into the next one.
 *
 * Work must only use the transaction it is given (never the outer database, which is busy with
 * the batch) and must not wait for anything but the database.
 */
export class GroupCommit {
  private queue: Job[] = [];
  private scheduled = false;

  constructor(
    private readonly kysely: Kysely<Database>,
    private readonly maxBatch = 64,
  ) {}

  run<T>(work: WriteWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      if (batch.length === 1) await this.runAlone(batch[0]!);
      else if (batch.length > 1) await this.runTogether(batch);
    } finally {
      this.scheduled = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** One write: its own transaction, no savepoint needed. */
  private async runAlone(job: Job): Promise<void> {
    try {
      job.resolve(await this.kysely.transaction().execute(job.work));
    } catch (error) {
      job.reject(error);
    }
  }

  private async runTogether(batch: Job[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.kysely.transaction().execute(async (trx) => {
        for (const job of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await job.work(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The shared commit failed: nothing of this batch was stored.
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
