import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Content } from '../content/content.types.js';
import type { Db } from '../db/database.js';
import type { Queryable, WriteTx } from '../db/types.js';
import { problems } from '../http/problems.js';
import { getTopicProgress, setTopicProgress } from '../progress/progress.service.js';
import { TargetRefusedError, vetUrl, type GuardPolicy } from './network-guard.js';
import { allProjects, requireProjectById } from './projects.catalog.js';
import {
  presentCheck,
  presentRun,
  presentVerification,
  type CheckView,
  type ProjectState,
  type RunView,
  type VerificationView,
} from './projects.presenter.js';
import * as repo from './projects.repository.js';
import type { Project } from './projects.types.js';
import type { RunQueue } from './run-queue.js';

// The projects feature's rules: which state a project is in for a learner, who may start a run and
// how often, what a base URL must look like, sharing and "apply verified topics". Functions that
// write take the caller's transaction (from `app.db.write`).

const RUN_WINDOW_MS = 60_000;
const MAX_BASE_URL = 2000;

export interface ProjectStatus {
  state: ProjectState;
  lastRun: RunView | null;
  verifiedAt: string | null;
  verificationId: string | null;
}

/** Each project's state for one learner (or `not-started` for everyone when there is no learner). */
export async function projectStatuses(
  db: Queryable,
  userId: string | null,
): Promise<Map<string, ProjectStatus>> {
  const out = new Map<string, ProjectStatus>();
  if (!userId) return out;
  const [latest, verifications] = await Promise.all([
    repo.latestRunsByProject(db, userId),
    repo.listVerifications(db, userId),
  ]);
  const verifiedBy = new Map<string, { at: string; id: string; runId: string }>();
  // Newest first, so the first seen per project is the latest verification.
  for (const v of verifications) {
    if (!verifiedBy.has(v.project_id))
      verifiedBy.set(v.project_id, { at: v.created_at, id: v.id, runId: v.run_id });
  }
  const byRun = new Map(verifications.map((v) => [v.run_id, v.id]));
  for (const run of latest) {
    const verified = verifiedBy.get(run.project_id);
    out.set(run.project_id, {
      state: verified
        ? 'verified'
        : run.state === 'queued' || run.state === 'running'
          ? 'in-progress'
          : 'failed',
      lastRun: presentRun(run, byRun.get(run.id) ?? null),
      verifiedAt: verified?.at ?? null,
      verificationId: verified?.id ?? null,
    });
  }
  return out;
}

export const NOT_STARTED: ProjectStatus = {
  state: 'not-started',
  lastRun: null,
  verifiedAt: null,
  verificationId: null,
};

/** Topic id → ids of the learner's verified projects proving it (the "verified" mark). */
export async function verifiedTopics(
  db: Queryable,
  content: Content,
  userId: string,
): Promise<Map<string, string[]>> {
  const verifications = await repo.listVerifications(db, userId);
  const projects = new Set(verifications.map((v) => v.project_id));
  const out = new Map<string, string[]>();
  for (const project of allProjects(content)) {
    if (!projects.has(project.id)) continue;
    for (const topicId of project.topics) out.set(topicId, [...(out.get(topicId) ?? []), project.id]);
  }
  return out;
}

/** Ids of the learner's verified projects that prove `topicId` (for topic views). */
export async function projectsProvingTopic(
  db: Queryable,
  content: Content,
  userId: string,
  topicId: string,
): Promise<string[]> {
  const proving = allProjects(content).filter((p) => p.topics.includes(topicId));
  if (proving.length === 0) return [];
  const verified = new Set((await repo.listVerifications(db, userId)).map((v) => v.project_id));
  return proving.filter((p) => verified.has(p.id)).map((p) => p.id);
}

/**
 * Checks a base URL before a run is queued: a URL, http or https, no credentials, and a host the
 * network guard lets runs reach. Throws a 400 problem a learner can act on.
 */
export async function checkBaseUrl(raw: string, policy: GuardPolicy): Promise<string> {
  const trimmed = raw.trim();
  const pointer = '/body/baseUrl';
  if (trimmed.length === 0 || trimmed.length > MAX_BASE_URL) {
    throw problems.validation(`Enter the base URL of your API (at most ${MAX_BASE_URL} characters).`, [
      { pointer, message: 'must be a URL' },
    ]);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw problems.validation(
      `"${trimmed.slice(0, 100)}" is not a URL. Enter one like https://api.example.org.`,
      [{ pointer, message: 'must be an absolute http:// or https:// URL' }],
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw problems.validation('Only http:// and https:// URLs can be checked.', [
      { pointer, message: 'must start with http:// or https://' },
    ]);
  }
  if (url.username || url.password) {
    throw problems.validation(
      'Leave credentials out of the base URL; the checks sign up and log in themselves.',
      [{ pointer, message: 'must not contain a user name or password' }],
    );
  }
  if (url.search || url.hash) {
    throw problems.validation('The base URL cannot have a query string or fragment.', [
      { pointer, message: 'must not contain ? or #' },
    ]);
  }
  try {
    await vetUrl(url.toString(), policy);
  } catch (error) {
    if (error instanceof TargetRefusedError) throw problems.targetRefused(error.message);
    throw error;
  }
  // No trailing slash: the collections write {{baseUrl}}/path.
  return url.toString().replace(/\/+$/, '');
}

/**
 * Queues a run for the learner (after {@link checkBaseUrl}). At most `perMinute` runs per learner in
 * any 60 seconds; the next one gets a 429 with the seconds until a slot frees up.
 */
export async function createRun(
  trx: WriteTx,
  input: { userId: string; project: Project; baseUrl: string; now: Date; perMinute: number },
): Promise<RunView> {
  const { userId, project, baseUrl, now, perMinute } = input;
  const recent = await repo.runTimesSince(trx, userId, new Date(now.getTime() - RUN_WINDOW_MS).toISOString());
  if (recent.length >= perMinute) {
    const oldest = new Date(recent[recent.length - perMinute]!).getTime();
    const wait = Math.max(1, Math.ceil((oldest + RUN_WINDOW_MS - now.getTime()) / 1000));
    throw problems.tooManyRuns(perMinute, wait);
  }
  const row = {
    id: randomUUID(),
    user_id: userId,
    project_id: project.id,
    base_url: baseUrl,
    state: 'queued' as const,
    collection_hash: project.collectionHash,
    created_at: now.toISOString(),
    started_at: null,
    finished_at: null,
    heartbeat_at: null,
    attempts: 0,
    total_checks: 0,
    passed_checks: 0,
    failed_checks: 0,
    duration_ms: null,
    error: null,
  };
  await repo.insertRun(trx, row);
  return presentRun(row);
}

/** What starting a run needs: the write entry point, the queue, the network policy and the limits. */
export interface RunStartDeps {
  db: Db;
  queue: RunQueue;
  policy: GuardPolicy;
  now(): Date;
  /** Runs per learner per minute (WAYMARK_CHECK_RUNS_PER_MINUTE). */
  perMinute: number;
}

/**
 * Starts a run for the learner, for the API and the pages alike: vets the base URL, records the run
 * (rate-limited, see {@link createRun}) and hands it to the queue.
 */
export async function startRun(
  deps: RunStartDeps,
  userId: string,
  project: Project,
  rawBaseUrl: string,
): Promise<RunView> {
  const baseUrl = await checkBaseUrl(rawBaseUrl, deps.policy);
  const run = await deps.db.write(
    (trx) => createRun(trx, { userId, project, baseUrl, now: deps.now(), perMinute: deps.perMinute }),
    { userId, scope: 'data' },
  );
  await deps.queue.enqueue(run.id);
  return run;
}

/** Starts a finished run again as a new run with the same base URL (see {@link runToRetry}). */
export async function retryRun(
  deps: RunStartDeps,
  userId: string,
  project: Project,
  runId: string,
): Promise<RunView> {
  const previous = await runToRetry(deps.db.kysely, userId, project.id, runId);
  return startRun(deps, userId, project, previous.base_url);
}

export interface RunDetail extends RunView {
  checks: CheckView[];
}

export async function getRun(
  db: Queryable,
  userId: string,
  projectId: string,
  runId: string,
): Promise<RunDetail> {
  const run = await repo.findUserRun(db, userId, runId);
  if (!run || run.project_id !== projectId)
    throw problems.notFound('Run', 'You have no run with this id for this project.');
  const [checks, verifications] = await Promise.all([
    repo.listChecks(db, runId),
    repo.listVerifications(db, userId, projectId),
  ]);
  const verification = verifications.find((v) => v.run_id === runId);
  return { ...presentRun(run, verification?.id ?? null), checks: checks.map(presentCheck) };
}

export async function listRuns(
  db: Queryable,
  userId: string,
  projectId: string | null,
  limit = 50,
): Promise<RunView[]> {
  const [runs, verifications] = await Promise.all([
    repo.listRuns(db, userId, projectId, limit),
    repo.listVerifications(db, userId, projectId),
  ]);
  const byRun = new Map(verifications.map((v) => [v.run_id, v.id]));
  return runs.map((run) => presentRun(run, byRun.get(run.id) ?? null));
}

/** The run to start again: only one that ended without a verdict (`interrupted` or `errored`) or any finished run. */
export async function runToRetry(db: Queryable, userId: string, projectId: string, runId: string) {
  const run = await repo.findUserRun(db, userId, runId);
  if (!run || run.project_id !== projectId)
    throw problems.notFound('Run', 'You have no run with this id for this project.');
  if (run.state === 'queued' || run.state === 'running') {
    throw problems.conflict(
      'run_in_progress',
      'This run has not finished yet; wait for it before starting it again.',
    );
  }
  return run;
}

// Verifications --------------------------------------------------------------------------------

export async function listVerifications(
  db: Queryable,
  userId: string,
  projectId: string | null,
): Promise<VerificationView[]> {
  return (await repo.listVerifications(db, userId, projectId)).map(presentVerification);
}

export async function getVerification(db: Queryable, userId: string, id: string): Promise<VerificationView> {
  const row = await repo.findVerification(db, userId, id);
  if (!row) throw problems.notFound('Verification', 'You have no verification record with this id.');
  return presentVerification(row);
}

export const hashShareToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Turns sharing on (a new unguessable token, returned once) or off (the old link stops working). */
export async function setSharing(
  db: Db,
  userId: string,
  id: string,
  shared: boolean,
): Promise<{ verification: VerificationView; shareToken: string | null }> {
  const token = shared ? `wv_${randomBytes(24).toString('base64url')}` : null;
  return db.write(
    async (trx) => {
      const ok = await repo.setShareToken(trx, userId, id, token ? hashShareToken(token) : null);
      if (!ok) throw problems.notFound('Verification', 'You have no verification record with this id.');
      const row = await repo.findVerification(trx, userId, id);
      return { verification: presentVerification(row!), shareToken: token };
    },
    { userId, scope: 'data' },
  );
}

export async function getSharedVerification(db: Queryable, token: string): Promise<VerificationView> {
  const row = /^wv_[A-Za-z0-9_-]{32}$/.test(token)
    ? await repo.findSharedVerification(db, hashShareToken(token))
    : undefined;
  if (!row)
    throw problems.notFound('Verification', 'This share link is not valid (it may have been turned off).');
  return presentVerification(row);
}

/**
 * The learner's choice: mark the topics a verified project proves as done. Topics already done or
 * skipped are left alone. Returns the ids it changed.
 */
export async function applyVerifiedTopics(
  trx: WriteTx,
  content: Content,
  userId: string,
  projectId: string,
  now: string,
): Promise<{ changed: string[]; unchanged: string[] }> {
  const project = requireProjectById(content, projectId);
  const verifications = await repo.listVerifications(trx, userId, projectId);
  if (verifications.length === 0) {
    throw problems.conflict(
      'project_not_verified',
      'This project is not verified yet: a run must pass every required check first.',
    );
  }
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const topicId of project.topics) {
    if (!content.topics.has(topicId)) continue;
    const before = await getTopicProgress(trx, userId, content.topics.get(topicId)!);
    if (before.status === 'done' || before.status === 'skipped') {
      unchanged.push(topicId);
      continue;
    }
    await setTopicProgress(trx, content, userId, topicId, { status: 'done' }, now);
    changed.push(topicId);
  }
  return { changed, unchanged };
}
