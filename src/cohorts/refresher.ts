// Keeps learner summaries current: a learner's rows are recomputed a moment after each of their
// writes (debounced, on the instance that made the write, so one write is summarised once however
// many instances there are), and a cohort's rows from an earlier day are recomputed when its table
// is read. Failures are logged and retried by the next write or read; the table shows the last rows.

import type { FastifyBaseLogger } from 'fastify';
import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import * as repo from './cohorts.repository.js';
import { refreshLearner } from './summaries.js';

const DEBOUNCE_MS = 150;
const STALE_BATCH = 200;
const STALE_CHECK_MS = 60_000;

export class SummaryRefresher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly staleChecked = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly content: () => Content,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Recompute the learner's summaries shortly (several writes in a burst make one recomputation). */
  schedule(userId: string): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(userId));
    const timer = setTimeout(() => {
      this.timers.delete(userId);
      this.track(refreshLearner(this.db, this.content(), userId, this.clock.now()).then(() => {}));
    }, DEBOUNCE_MS);
    timer.unref();
    this.timers.set(userId, timer);
  }

  /** Recompute, in the background, a batch of the cohort's rows computed before today (at most once a minute per cohort). */
  refreshStale(cohortId: string, roadmapId: string): void {
    if (this.stopped) return;
    const key = `${cohortId}/${roadmapId}`;
    const now = this.clock.now();
    if ((this.staleChecked.get(key) ?? 0) > now.getTime() - STALE_CHECK_MS) return;
    this.staleChecked.set(key, now.getTime());
    const today = now.toISOString().slice(0, 10);
    this.track(
      repo.staleLearners(this.db.kysely, cohortId, roadmapId, today, STALE_BATCH).then(async (ids) => {
        for (const id of ids) {
          if (this.stopped) return;
          await refreshLearner(this.db, this.content(), id, this.clock.now());
        }
      }),
    );
  }

  /** Resolves once every scheduled and running recomputation has finished. */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.running.size > 0) {
      await Promise.all(this.running);
      if (this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }

  private track(work: Promise<void>): void {
    const done = work.catch((error: unknown) =>
      this.log.warn({ err: error }, 'learner summary refresh failed'),
    );
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }
}
