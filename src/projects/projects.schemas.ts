import { Type, type TSchema } from '@sinclair/typebox';

// TypeBox schemas of the projects API (validation, types and the OpenAPI document in one).

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Iso = Type.String({ format: 'date-time' });

export const ProjectIdParam = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 64,
  description: 'Stable project id',
});

export const RunStateSchema = Type.Union(
  ['queued', 'running', 'passed', 'failed', 'errored', 'interrupted'].map((s) => Type.Literal(s)),
  { description: 'queued → running → passed | failed | errored | interrupted' },
);

export const CheckSchema = Type.Object(
  {
    index: Type.Integer({ description: 'Position of the request in the collection (0-based)' }),
    name: Type.String(),
    method: Type.String(),
    url: Type.String(),
    status: Nullable(Type.Integer({ description: 'HTTP status received, null when no response arrived' })),
    durationMs: Type.Integer(),
    passed: Type.Boolean(),
    assertions: Type.Array(
      Type.Object({ name: Type.String(), passed: Type.Boolean(), error: Type.Optional(Type.String()) }),
    ),
    requestExcerpt: Nullable(Type.String({ description: 'Capped; credentials and tokens masked' })),
    responseExcerpt: Nullable(Type.String({ description: 'Capped; credentials and tokens masked' })),
    error: Nullable(Type.String()),
  },
  { $id: 'ProjectCheck', title: 'ProjectCheck', description: 'One check (request and its tests) of a run' },
);

const runFields = {
  id: Type.String({ format: 'uuid' }),
  projectId: Type.String(),
  baseUrl: Type.String(),
  state: RunStateSchema,
  collectionHash: Type.String({ description: 'sha256 of the collection the run used' }),
  createdAt: Iso,
  startedAt: Nullable(Iso),
  finishedAt: Nullable(Iso),
  attempts: Type.Integer({
    description: 'How many times a worker took the run (more than 1 after a worker died)',
  }),
  summary: Type.Object({
    total: Type.Integer(),
    passed: Type.Integer(),
    failed: Type.Integer(),
    durationMs: Nullable(Type.Integer()),
  }),
  error: Nullable(Type.String()),
  verified: Type.Boolean({ description: 'This run passed every required check and produced a verification' }),
  verificationId: Nullable(Type.String({ format: 'uuid' })),
};

export const RunSchema = Type.Object(runFields, { $id: 'ProjectRun', title: 'ProjectRun' });

export const RunDetailSchema = Type.Object(
  { ...runFields, checks: Type.Array(Type.Ref('ProjectCheck')) },
  { $id: 'ProjectRunDetail', title: 'ProjectRunDetail' },
);

export const ProjectStatusSchema = Type.Object(
  {
    state: Type.Union(
      ['not-started', 'in-progress', 'failed', 'verified'].map((s) => Type.Literal(s)),
      {
        description: 'Yours: verified once any run passed every required check (later runs never undo it)',
      },
    ),
    lastRun: Nullable(Type.Ref('ProjectRun')),
    verifiedAt: Nullable(Iso),
    verificationId: Nullable(Type.String({ format: 'uuid' })),
  },
  { $id: 'ProjectStatus', title: 'ProjectStatus' },
);

const projectFields = {
  id: Type.String(),
  roadmapId: Type.String(),
  title: Type.String(),
  step: Type.String({ description: 'Roadmap step id' }),
  difficulty: Type.Union([Type.Literal('beginner'), Type.Literal('intermediate'), Type.Literal('advanced')]),
  estimateHours: Type.Number(),
  topics: Type.Array(Type.String(), { description: 'Topic ids the project proves' }),
  summary: Type.String(),
  capstone: Type.Boolean(),
  checkCount: Type.Integer(),
  status: Type.Ref('ProjectStatus'),
};

export const ProjectSummarySchema = Type.Object(projectFields, {
  $id: 'ProjectSummary',
  title: 'ProjectSummary',
});

export const ProjectDetailSchema = Type.Object(
  {
    ...projectFields,
    briefHtml: Type.String({ description: 'The brief rendered from Markdown (sanitised HTML)' }),
    briefMarkdown: Type.String(),
    hints: Type.Array(Type.String()),
    proves: Type.Array(Type.String()),
    requiredChecks: Type.Array(Type.String(), { description: 'Names of the checks that must pass' }),
    collectionHash: Type.String(),
    collectionUrl: Type.String(),
    topicTitles: Type.Record(Type.String(), Type.String()),
  },
  { $id: 'ProjectDetail', title: 'ProjectDetail' },
);

export const SignedRecordSchema = Type.Object(
  {
    record: Type.Object(
      {
        type: Type.Literal('waymark-verification'),
        version: Type.Literal(1),
        id: Type.String(),
        project: Type.Object({ id: Type.String(), roadmapId: Type.String(), title: Type.String() }),
        collectionHash: Type.String(),
        verifiedAt: Iso,
        results: Type.Object({
          checks: Type.Integer(),
          passed: Type.Integer(),
          failed: Type.Integer(),
          required: Type.Integer(),
          durationMs: Type.Integer(),
        }),
        subject: Type.String({ description: 'Opaque id of the learner on this instance' }),
        instance: Type.String(),
        keyId: Type.String(),
      },
      { description: 'What was verified; signed as canonical JSON (keys sorted, no spaces)' },
    ),
    signature: Type.String({ description: 'Ed25519 signature of the canonical record, base64url' }),
    algorithm: Type.Literal('Ed25519'),
  },
  { $id: 'SignedVerificationRecord', title: 'SignedVerificationRecord' },
);

export const VerificationSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    projectId: Type.String(),
    runId: Type.String({ format: 'uuid' }),
    createdAt: Iso,
    shared: Type.Boolean({ description: 'Whether a share link is active' }),
    signed: Type.Ref('SignedVerificationRecord'),
  },
  { $id: 'ProjectVerification', title: 'ProjectVerification' },
);

export const PublicKeySchema = Type.Object(
  {
    algorithm: Type.Literal('Ed25519'),
    keyId: Type.String(),
    publicKey: Type.String({ description: 'PEM (SPKI)' }),
  },
  { $id: 'VerificationKey', title: 'VerificationKey' },
);

/** A learner's runs of one project, newest first. */
export const RunListSchema = Type.Object(
  { runs: Type.Array(Type.Ref('ProjectRun')) },
  { $id: 'ProjectRunList', title: 'ProjectRunList' },
);

/** A learner's verification records of one project, newest first. */
export const VerificationListSchema = Type.Object(
  { verifications: Type.Array(Type.Ref('ProjectVerification')) },
  { $id: 'ProjectVerificationList', title: 'ProjectVerificationList' },
);

/** Every shared schema, registered once by the routes plugin. */
export const projectSchemas = [
  CheckSchema,
  RunSchema,
  RunDetailSchema,
  ProjectStatusSchema,
  ProjectSummarySchema,
  ProjectDetailSchema,
  SignedRecordSchema,
  VerificationSchema,
  PublicKeySchema,
  RunListSchema,
  VerificationListSchema,
];
