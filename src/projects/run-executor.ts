import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import type { ProjectRunRow } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { signRecord, subjectFor, type SigningKey, type VerificationRecord } from './evidence.js';
import { TargetRefusedError, vetUrl, type GuardPolicy } from './network-guard.js';
import { findProject } from './projects.catalog.js';
import { presentCheck, presentRun } from './projects.presenter.js';
import * as repo from './projects.repository.js';
import type { RunEvents } from './run-events.js';
import type { CheckResult, RunInput, RunOutcome } from './runner.js';
import type { Project } from './projects.types.js';

/**
 * What a run's bookkeeping writes (state moves, heartbeats, checks) announce on the user change
 * feed: nothing. No cache depends on them, and the learner watching a run hears of each step through
 * the run's own live channel ({@link RunEvents}) once the row is committed. Only the verification
 * record, which the learner's pages show, announces a data change.
 */
export const RUN_BOOKKEEPING = null;

// Executes one queued run: vets the target, runs the collection through the network guard's agents,
// stores each check as it completes (and tells live views), then stores the final state and, when
// every required check passed, a signed verification — all in the last transaction, so a run is
// never `passed` without its evidence.

export type RunChecks = (input: RunInput) => Promise<RunOutcome>;

export interface ExecutorDeps {
  db: Db;
  config: Config;
  clock: Clock;
  content(): Content;
  signingKey(): Promise<SigningKey>;
  events: RunEvents;
  runChecks: RunChecks;
  policy: GuardPolicy;
  /** Accept self-signed certificates (test fixtures only). */
  insecureTls?: boolean;
  /** Called when a run reaches a final state (metrics). */
  onFinished?(run: ProjectRunRow): void;
}

const MAX_EXCERPT = 4096;
const MAX_TEXT = 1000;

const cap = (text: string | undefined | null, max: number): string | null =>
  text === undefined || text === null ? null : text.length > max ? `${text.slice(0, max)}…` : text;

/** Whether this run proves the project: every required check present and passed. */
export function provesProject(project: Project, outcome: RunOutcome): boolean {
  if (outcome.outcome === 'errored') return false;
  const byName = new Map(outcome.checks.map((c) => [c.name, c]));
  if (project.requiredChecks && project.requiredChecks.length > 0) {
    return project.requiredChecks.every((name) => byName.get(name)?.passed === true);
  }
  return outcome.checks.length >= project.checkCount && outcome.checks.every((c) => c.passed);
}

function checkRow(runId: string, check: CheckResult) {
  return {
    run_id: runId,
    idx: check.index,
    name: cap(check.name, 300) ?? '',
    method: cap(check.method, 16) ?? '',
    url: cap(check.url, 2000) ?? '',
    status: check.status,
    duration_ms: Math.max(0, Math.round(check.durationMs)),
    passed: check.passed ? 1 : 0,
    assertions: JSON.stringify(
      check.assertions.slice(0, 100).map((a) => ({
        name: cap(a.name, 300) ?? '',
        passed: a.passed,
        ...(a.error !== undefined ? { error: cap(a.error, MAX_TEXT) } : {}),
      })),
    ),
    request_excerpt: cap(check.requestExcerpt, MAX_EXCERPT),
    response_excerpt: cap(check.responseExcerpt, MAX_EXCERPT),
    error: cap(check.error, MAX_TEXT),
  };
}

/** Builds the executor the run queue calls. */
export function createExecutor(deps: ExecutorDeps) {
  const { db, events } = deps;
  const now = () => deps.clock.now().toISOString();

  async function finish(
    run: ProjectRunRow,
    state: ProjectRunRow['state'],
    changes: Partial<ProjectRunRow>,
    verification: { project: Project; outcome: RunOutcome } | null,
  ): Promise<void> {
    const finishedAt = now();
    const key = verification ? await deps.signingKey() : null;
    let verificationId: string | null = null;
    const moved = await db.write(
      async (trx) => {
        const ok = await repo.transitionRun(trx, run.id, ['running'], {
          ...changes,
          state,
          finished_at: finishedAt,
        });
        if (!ok || !verification || !key) return ok;
        const { project, outcome } = verification;
        verificationId = randomUUID();
        const record: VerificationRecord = {
          type: 'waymark-verification',
          version: 1,
          id: verificationId,
          project: { id: project.id, roadmapId: project.roadmapId, title: project.title },
          collectionHash: changes.collection_hash ?? run.collection_hash,
          verifiedAt: finishedAt,
          results: {
            checks: outcome.checks.length,
            passed: outcome.checks.filter((c) => c.passed).length,
            failed: outcome.checks.filter((c) => !c.passed).length,
            required: project.requiredChecks?.length || project.checkCount,
            durationMs: Math.round(outcome.durationMs),
          },
          subject: subjectFor(key, run.user_id),
          instance: deps.config.publicOrigins[0] ?? `waymark:${key.keyId}`,
          keyId: key.keyId,
        };
        const signed = signRecord(record, key);
        await repo.insertVerification(trx, {
          id: verificationId,
          user_id: run.user_id,
          project_id: project.id,
          run_id: run.id,
          created_at: finishedAt,
          record: JSON.stringify(record),
          signature: signed.signature,
          key_id: key.keyId,
          share_token_hash: null,
        });
        return true;
      },
      verification ? (ok) => (ok ? { userId: run.user_id, scope: 'data' } : null) : null,
    );
    if (!moved) return;
    const stored = await repo.findRun(db.kysely, run.id);
    if (stored) {
      deps.onFinished?.(stored);
      events.publish({ type: 'state', runId: run.id, run: presentRun(stored, verificationId) });
    }
  }

  return async function executeRun(runId: string, signal: AbortSignal): Promise<void> {
    const queued = await repo.findRun(db.kysely, runId);
    if (!queued || (queued.state !== 'queued' && queued.state !== 'running')) return;
    const startedAt = now();
    // `running` here means a worker died holding it and the queue handed it over again (a retry)
    // before the sweep noticed.
    const taken = await db.write(async (trx) => {
      const ok = await repo.transitionRun(trx, runId, [queued.state], {
        state: 'running',
        started_at: startedAt,
        heartbeat_at: startedAt,
        attempts: queued.attempts + 1,
        error: null,
      });
      // A retried run starts over: the dead attempt's checks go.
      if (ok && queued.attempts > 0) await repo.deleteChecks(trx, runId);
      return ok;
    }, RUN_BOOKKEEPING);
    if (!taken) return;
    const run: ProjectRunRow = {
      ...queued,
      state: 'running',
      started_at: startedAt,
      attempts: queued.attempts + 1,
    };
    events.publish({ type: 'state', runId, run: presentRun(run) });

    const project = findProject(deps.content(), run.project_id);
    if (!project) {
      await finish(
        run,
        'errored',
        { error: `The project "${run.project_id}" is no longer part of this server's content.` },
        null,
      );
      return;
    }
    let pins: Record<string, { address: string; family: 4 | 6 }>;
    try {
      const { url, address } = await vetUrl(run.base_url, deps.policy);
      pins = { [url.hostname.replace(/^\[|\]$/g, '')]: { address, family: address.includes(':') ? 6 : 4 } };
    } catch (error) {
      const message = error instanceof TargetRefusedError ? error.message : String(error);
      await finish(run, 'errored', { error: `Target refused: ${message}` }, null);
      return;
    }

    const heartbeatEvery = Math.max(250, Math.floor(deps.config.checks.stallMs / 3));
    const heartbeat = setInterval(() => {
      void db.write((trx) => repo.touchRun(trx, runId, now()), RUN_BOOKKEEPING).catch(() => {});
    }, heartbeatEvery);
    let writes: Promise<unknown> = Promise.resolve();
    let outcome: RunOutcome;
    try {
      outcome = await deps.runChecks({
        collection: project.collection,
        baseUrl: run.base_url,
        limits: {
          totalTimeoutMs: deps.config.checks.totalTimeoutMs,
          requestTimeoutMs: deps.config.checks.requestTimeoutMs,
          maxResponseBytes: deps.config.checks.maxResponseBytes,
          maxRequests: deps.config.checks.maxRequests,
        },
        // Built into agents where the checks execute (possibly a worker thread), never skipped.
        guard: { policy: deps.policy, pins, rejectUnauthorized: !deps.insecureTls },
        ...(deps.insecureTls ? { insecureTls: true } : {}),
        signal,
        onCheck(check) {
          const row = checkRow(runId, check);
          // Stored in completion order; each live event goes out once its row is committed.
          writes = writes
            .then(() => db.write((trx) => repo.putCheck(trx, row), RUN_BOOKKEEPING))
            .then(() => events.publish({ type: 'check', runId, check: presentCheck(row) }))
            .catch(() => {});
        },
      });
    } catch (error) {
      outcome = {
        outcome: 'errored',
        checks: [],
        durationMs: 0,
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearInterval(heartbeat);
    }
    await writes;

    if (signal.aborted) {
      await finish(
        run,
        'interrupted',
        { error: 'The run was stopped before it finished (the server shut down). Start it again.' },
        null,
      );
      return;
    }
    const passed = outcome.checks.filter((c) => c.passed).length;
    const verified = provesProject(project, outcome);
    const allPassed = outcome.outcome === 'passed' && passed === outcome.checks.length;
    const state: ProjectRunRow['state'] =
      outcome.outcome === 'errored' && !verified ? 'errored' : allPassed ? 'passed' : 'failed';
    await finish(
      run,
      state,
      {
        collection_hash: project.collectionHash,
        total_checks: outcome.checks.length,
        passed_checks: passed,
        failed_checks: outcome.checks.length - passed,
        duration_ms: Math.round(outcome.durationMs),
        error: cap(outcome.error, MAX_TEXT),
      },
      verified ? { project, outcome } : null,
    );
  };
}
