// All of the projects feature's SQL: runs, their checks, verifications and the signing key.
// Every learner-facing query is scoped by user id; shared verifications are found by the hash of an
// unguessable token; the state sweeps (interrupted, stalled runs) are instance-wide.

import type { Queryable, WriteTx } from '../db/types.js';
import type {
  ProjectRunCheckRow,
  ProjectRunRow,
  ProjectRunsTable,
  ProjectVerificationRow,
} from '../db/schema.js';

export type RunState = ProjectRunsTable['state'];

// Runs -----------------------------------------------------------------------------------------

export async function insertRun(db: WriteTx, row: ProjectRunRow): Promise<void> {
  await db.insertInto('project_runs').values(row).execute();
}

export function findRun(db: Queryable, runId: string): Promise<ProjectRunRow | undefined> {
  return db.selectFrom('project_runs').selectAll().where('id', '=', runId).executeTakeFirst();
}

export function findUserRun(
  db: Queryable,
  userId: string,
  runId: string,
): Promise<ProjectRunRow | undefined> {
  return db
    .selectFrom('project_runs')
    .selectAll()
    .where('id', '=', runId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function listRuns(
  db: Queryable,
  userId: string,
  projectId: string | null,
  limit: number,
): Promise<ProjectRunRow[]> {
  let query = db.selectFrom('project_runs').selectAll().where('user_id', '=', userId);
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function listAllRuns(db: Queryable, userId: string): Promise<ProjectRunRow[]> {
  return db
    .selectFrom('project_runs')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Runs the learner started since `since` (the per-minute limit), oldest first. */
export async function runTimesSince(db: Queryable, userId: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_runs')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

/** The newest run per project of one learner (the state shown in project lists). */
export async function latestRunsByProject(db: Queryable, userId: string): Promise<ProjectRunRow[]> {
  const rows = await db
    .selectFrom('project_runs')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.project_id) && seen.add(row.project_id));
}

/**
 * Moves a run from one of `from` to `state`; returns false when it was not in one of them (another
 * worker took it, it finished, or the sweep closed it), so each transition happens once.
 */
export async function transitionRun(
  db: WriteTx,
  runId: string,
  from: readonly RunState[],
  changes: Partial<Omit<ProjectRunRow, 'id' | 'user_id' | 'project_id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('project_runs')
    .set(changes)
    .where('id', '=', runId)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchRun(db: WriteTx, runId: string, now: string): Promise<void> {
  await db
    .updateTable('project_runs')
    .set({ heartbeat_at: now })
    .where('id', '=', runId)
    .where('state', '=', 'running')
    .execute();
}

/** Runs in `states` (optionally only those whose heartbeat is older than `staleBefore`). */
export function findRunsInState(
  db: Queryable,
  states: readonly RunState[],
  staleBefore?: string,
): Promise<ProjectRunRow[]> {
  let query = db
    .selectFrom('project_runs')
    .selectAll()
    .where('state', 'in', [...states]);
  if (staleBefore !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('heartbeat_at', '<', staleBefore),
        eb.and([eb('heartbeat_at', 'is', null), eb('created_at', '<', staleBefore)]),
      ]),
    );
  }
  return query.orderBy('created_at').execute();
}

export async function countRunsInState(db: Queryable, states: readonly RunState[]): Promise<number> {
  const row = await db
    .selectFrom('project_runs')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('state', 'in', [...states])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// Checks ---------------------------------------------------------------------------------------

export async function putCheck(db: WriteTx, row: ProjectRunCheckRow): Promise<void> {
  const { run_id: _run, idx: _idx, ...changes } = row;
  await db
    .insertInto('project_run_checks')
    .values(row)
    .onConflict((oc) => oc.columns(['run_id', 'idx']).doUpdateSet(changes))
    .execute();
}

export async function deleteChecks(db: WriteTx, runId: string): Promise<void> {
  await db.deleteFrom('project_run_checks').where('run_id', '=', runId).execute();
}

export function listChecks(db: Queryable, runId: string): Promise<ProjectRunCheckRow[]> {
  return db.selectFrom('project_run_checks').selectAll().where('run_id', '=', runId).orderBy('idx').execute();
}

export function listChecksOfRuns(db: Queryable, runIds: readonly string[]): Promise<ProjectRunCheckRow[]> {
  if (runIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('project_run_checks')
    .selectAll()
    .where('run_id', 'in', [...runIds])
    .orderBy('run_id')
    .orderBy('idx')
    .execute();
}

// Verifications --------------------------------------------------------------------------------

export async function insertVerification(db: WriteTx, row: ProjectVerificationRow): Promise<boolean> {
  const result = await db
    .insertInto('project_verifications')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function listVerifications(
  db: Queryable,
  userId: string,
  projectId: string | null = null,
): Promise<ProjectVerificationRow[]> {
  let query = db.selectFrom('project_verifications').selectAll().where('user_id', '=', userId);
  if (projectId !== null) query = query.where('project_id', '=', projectId);
  return query.orderBy('created_at', 'desc').execute();
}

export function findVerification(
  db: Queryable,
  userId: string,
  verificationId: string,
): Promise<ProjectVerificationRow | undefined> {
  return db
    .selectFrom('project_verifications')
    .selectAll()
    .where('id', '=', verificationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function findSharedVerification(
  db: Queryable,
  tokenHash: string,
): Promise<ProjectVerificationRow | undefined> {
  return db
    .selectFrom('project_verifications')
    .selectAll()
    .where('share_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function setShareToken(
  db: WriteTx,
  userId: string,
  verificationId: string,
  tokenHash: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('project_verifications')
    .set({ share_token_hash: tokenHash })
    .where('id', '=', verificationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A guest signing into an account brings its runs and verifications along. */
export async function reassignUser(db: WriteTx, fromUserId: string, toUserId: string): Promise<void> {
  await db.updateTable('project_runs').set({ user_id: toUserId }).where('user_id', '=', fromUserId).execute();
  await db
    .updateTable('project_verifications')
    .set({ user_id: toUserId })
    .where('user_id', '=', fromUserId)
    .execute();
}

// Signing key (PostgreSQL) ---------------------------------------------------------------------

export function findSigningKey(db: Queryable) {
  return db.selectFrom('signing_keys').selectAll().orderBy('created_at').executeTakeFirst();
}

/** Inserts the key unless another instance won the race; the caller then reads whichever is stored. */
export async function insertSigningKey(
  db: WriteTx,
  row: { id: string; algorithm: string; public_key: string; private_key: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
