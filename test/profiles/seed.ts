import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers.js';

// Project runs and verification records written straight into the database, for suites that need a
// learner with a finished run (profiles, feedback, insights) without running checks.

export async function seedRun(
  t: TestApp,
  userId: string,
  options: { projectId?: string; state?: 'passed' | 'failed'; failed?: number; at?: string } = {},
): Promise<string> {
  const id = randomUUID();
  const at = options.at ?? '2026-03-01T10:00:00.000Z';
  const failed = options.failed ?? (options.state === 'failed' ? 1 : 0);
  await t.db.write(
    (trx) =>
      trx
        .insertInto('project_runs')
        .values({
          id,
          user_id: userId,
          project_id: options.projectId ?? 'auth-service',
          base_url: 'http://example.test',
          state: options.state ?? 'passed',
          collection_hash: 'x',
          created_at: at,
          started_at: at,
          finished_at: at,
          heartbeat_at: null,
          attempts: 1,
          total_checks: 3,
          passed_checks: 3 - failed,
          failed_checks: failed,
          duration_ms: 10,
          error: null,
        })
        .execute(),
    { userId, scope: 'data' },
  );
  return id;
}

/** A passed run and its verification record (unsigned: enough for pages that list records). */
export async function seedVerification(
  t: TestApp,
  userId: string,
  projectId = 'auth-service',
): Promise<string> {
  const runId = await seedRun(t, userId, { projectId });
  const id = randomUUID();
  const record = {
    type: 'waymark-verification',
    version: 1,
    id,
    project: { id: projectId, roadmapId: 'backend', title: 'Todo API' },
    collectionHash: 'x',
    verifiedAt: '2026-03-01T10:00:00.000Z',
    results: { checks: 3, passed: 3, failed: 0, required: 3, durationMs: 10 },
    subject: 'opaque',
    instance: 'test',
    keyId: 'k1',
  };
  await t.db.write(
    (trx) =>
      trx
        .insertInto('project_verifications')
        .values({
          id,
          user_id: userId,
          project_id: projectId,
          run_id: runId,
          created_at: '2026-03-01T10:00:00.000Z',
          record: JSON.stringify(record),
          signature: 'sig',
          key_id: 'k1',
          share_token_hash: null,
        })
        .execute(),
    { userId, scope: 'data' },
  );
  return id;
}
