import { Type, type Static } from '@sinclair/typebox';
import { defineUserDataSection } from '../account/user-data.js';
import type { ProjectRunCheckRow, ProjectRunRow } from '../db/schema.js';
import * as repo from './projects.repository.js';

// The `projects` section of the export document: every run with its checks, and every verification
// record with its signature (it stays checkable against the key of the instance that signed it).
// Share links are not exported: an imported record starts private. Account deletion removes all of
// it through the users foreign keys (on delete cascade).

const Iso = Type.String({ format: 'date-time' });
const Id = Type.String({ format: 'uuid' });
const Text = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const CheckExport = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: 100_000 }),
    name: Text(300),
    method: Text(16),
    url: Text(2000),
    status: Nullable(Type.Integer({ minimum: 0, maximum: 999 })),
    durationMs: Type.Integer({ minimum: 0 }),
    passed: Type.Boolean(),
    assertions: Type.Array(
      Type.Object(
        { name: Text(300), passed: Type.Boolean(), error: Type.Optional(Text(1001)) },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    requestExcerpt: Nullable(Text(4097)),
    responseExcerpt: Nullable(Text(4097)),
    error: Nullable(Text(1001)),
  },
  { additionalProperties: false },
);

export const ProjectsExport = Type.Object(
  {
    runs: Type.Array(
      Type.Object(
        {
          id: Id,
          projectId: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 }),
          baseUrl: Text(2000),
          state: Type.Union(
            ['queued', 'running', 'passed', 'failed', 'errored', 'interrupted'].map((s) => Type.Literal(s)),
          ),
          collectionHash: Text(128),
          createdAt: Iso,
          startedAt: Type.Union([Iso, Type.Null()]),
          finishedAt: Type.Union([Iso, Type.Null()]),
          attempts: Type.Integer({ minimum: 0, maximum: 1000 }),
          total: Type.Integer({ minimum: 0 }),
          passed: Type.Integer({ minimum: 0 }),
          failed: Type.Integer({ minimum: 0 }),
          durationMs: Nullable(Type.Integer({ minimum: 0 })),
          error: Nullable(Text(1001)),
          checks: Type.Array(CheckExport, { maxItems: 10_000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100_000 },
    ),
    verifications: Type.Array(
      Type.Object(
        {
          id: Id,
          projectId: Type.String({ maxLength: 64 }),
          runId: Id,
          createdAt: Iso,
          record: Text(20_000),
          signature: Text(200),
          keyId: Text(64),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100_000 },
    ),
  },
  { additionalProperties: false },
);
export type ProjectsExport = Static<typeof ProjectsExport>;

const iso = (value: string) => new Date(value).toISOString();
const isoOrNull = (value: string | null) => (value === null ? null : iso(value));

function exportCheck(c: ProjectRunCheckRow) {
  return {
    index: c.idx,
    name: c.name,
    method: c.method,
    url: c.url,
    status: c.status,
    durationMs: c.duration_ms,
    passed: c.passed === 1,
    assertions: JSON.parse(c.assertions) as Array<{ name: string; passed: boolean; error?: string }>,
    requestExcerpt: c.request_excerpt,
    responseExcerpt: c.response_excerpt,
    error: c.error,
  };
}

export const projectsUserData = defineUserDataSection({
  name: 'projects',
  schema: ProjectsExport,
  async export(db, userId): Promise<ProjectsExport> {
    const runs = await repo.listAllRuns(db, userId);
    const [checks, verifications] = await Promise.all([
      repo.listChecksOfRuns(
        db,
        runs.map((r) => r.id),
      ),
      repo.listVerifications(db, userId),
    ]);
    const checksByRun = new Map<string, ProjectRunCheckRow[]>();
    for (const check of checks)
      checksByRun.set(check.run_id, [...(checksByRun.get(check.run_id) ?? []), check]);
    return {
      runs: runs.map((r) => ({
        id: r.id,
        projectId: r.project_id,
        baseUrl: r.base_url,
        state: r.state,
        collectionHash: r.collection_hash,
        createdAt: r.created_at,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        attempts: r.attempts,
        total: r.total_checks,
        passed: r.passed_checks,
        failed: r.failed_checks,
        durationMs: r.duration_ms,
        error: r.error,
        checks: (checksByRun.get(r.id) ?? []).map(exportCheck),
      })),
      verifications: verifications
        .slice()
        .reverse()
        .map((v) => ({
          id: v.id,
          projectId: v.project_id,
          runId: v.run_id,
          createdAt: v.created_at,
          record: v.record,
          signature: v.signature,
          keyId: v.key_id,
        })),
    };
  },

  async import(trx, userId, data) {
    let written = 0;
    const runIds = new Set<string>();
    for (const item of data.runs) {
      const existing = await repo.findRun(trx, item.id);
      if (existing) {
        if (existing.user_id === userId) runIds.add(item.id);
        continue;
      }
      // A run that was still going when exported never finishes here: it was interrupted.
      const unfinished = item.state === 'queued' || item.state === 'running';
      const row: ProjectRunRow = {
        id: item.id,
        user_id: userId,
        project_id: item.projectId,
        base_url: item.baseUrl,
        state: unfinished ? 'interrupted' : (item.state as ProjectRunRow['state']),
        collection_hash: item.collectionHash,
        created_at: iso(item.createdAt),
        started_at: isoOrNull(item.startedAt),
        finished_at: unfinished ? iso(item.createdAt) : isoOrNull(item.finishedAt),
        heartbeat_at: null,
        attempts: item.attempts,
        total_checks: item.total,
        passed_checks: item.passed,
        failed_checks: item.failed,
        duration_ms: item.durationMs,
        error: item.error,
      };
      await repo.insertRun(trx, row);
      runIds.add(item.id);
      for (const check of item.checks) {
        await repo.putCheck(trx, {
          run_id: item.id,
          idx: check.index,
          name: check.name,
          method: check.method,
          url: check.url,
          status: check.status,
          duration_ms: check.durationMs,
          passed: check.passed ? 1 : 0,
          assertions: JSON.stringify(check.assertions),
          request_excerpt: check.requestExcerpt,
          response_excerpt: check.responseExcerpt,
          error: check.error,
        });
      }
      written += 1;
    }
    for (const item of data.verifications) {
      // A verification belongs to one of the runs above (or one already here of this learner).
      if (!runIds.has(item.runId)) {
        const run = await repo.findRun(trx, item.runId);
        if (!run || run.user_id !== userId) continue;
      }
      const inserted = await repo.insertVerification(trx, {
        id: item.id,
        user_id: userId,
        project_id: item.projectId,
        run_id: item.runId,
        created_at: iso(item.createdAt),
        record: item.record,
        signature: item.signature,
        key_id: item.keyId,
        share_token_hash: null,
      });
      if (inserted) written += 1;
    }
    return written;
  },

  async merge(trx, fromUserId, toUserId) {
    await repo.reassignUser(trx, fromUserId, toUserId);
  },
});
