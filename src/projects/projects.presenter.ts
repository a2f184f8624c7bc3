import type { ProjectRunCheckRow, ProjectRunRow, ProjectVerificationRow } from '../db/schema.js';
import type { SignedRecord, VerificationRecord } from './evidence.js';
import type { Project } from './projects.types.js';
import type { CheckResult } from './runner.js';

// Presenters: database rows and content become API objects here, field by field, so a column
// (a share-token hash, a user id) is never serialised by accident.

export type ProjectState = 'not-started' | 'in-progress' | 'failed' | 'verified';

/** A stored check: the runner's result, with absent text as null. */
export interface CheckView extends Omit<CheckResult, 'requestExcerpt' | 'responseExcerpt' | 'error'> {
  requestExcerpt: string | null;
  responseExcerpt: string | null;
  error: string | null;
}

export interface RunView {
  id: string;
  projectId: string;
  baseUrl: string;
  state: ProjectRunRow['state'];
  collectionHash: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  summary: { total: number; passed: number; failed: number; durationMs: number | null };
  error: string | null;
  /** Whether this run verified the project (every required check passed). */
  verified: boolean;
  verificationId: string | null;
}

export interface VerificationView {
  id: string;
  projectId: string;
  runId: string;
  createdAt: string;
  shared: boolean;
  signed: SignedRecord;
}

export function presentCheck(row: ProjectRunCheckRow): CheckView {
  let assertions: CheckView['assertions'] = [];
  try {
    assertions = JSON.parse(row.assertions) as CheckView['assertions'];
  } catch {
    assertions = [];
  }
  return {
    index: row.idx,
    name: row.name,
    method: row.method,
    url: row.url,
    status: row.status,
    durationMs: row.duration_ms,
    passed: row.passed === 1,
    assertions: assertions.map((a) => ({
      name: a.name,
      passed: a.passed,
      ...(a.error !== undefined ? { error: a.error } : {}),
    })),
    requestExcerpt: row.request_excerpt,
    responseExcerpt: row.response_excerpt,
    error: row.error,
  };
}

export function presentRun(row: ProjectRunRow, verificationId: string | null = null): RunView {
  return {
    id: row.id,
    projectId: row.project_id,
    baseUrl: row.base_url,
    state: row.state,
    collectionHash: row.collection_hash,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    attempts: row.attempts,
    summary: {
      total: row.total_checks,
      passed: row.passed_checks,
      failed: row.failed_checks,
      durationMs: row.duration_ms,
    },
    error: row.error,
    verified: verificationId !== null,
    verificationId,
  };
}

export function presentVerification(row: ProjectVerificationRow): VerificationView {
  return {
    id: row.id,
    projectId: row.project_id,
    runId: row.run_id,
    createdAt: row.created_at,
    shared: row.share_token_hash !== null,
    signed: {
      record: JSON.parse(row.record) as VerificationRecord,
      signature: row.signature,
      algorithm: 'Ed25519',
    },
  };
}

/** The content fields of a project every listing shows. */
export function presentProjectSummary(project: Project) {
  return {
    id: project.id,
    roadmapId: project.roadmapId,
    title: project.title,
    step: project.step,
    difficulty: project.difficulty,
    estimateHours: project.estimateHours,
    topics: [...project.topics],
    summary: project.summary,
    capstone: project.capstone,
    checkCount: project.checkCount,
  };
}
