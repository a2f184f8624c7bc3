// TypeBox schemas of the cohort API (each with an $id, so the OpenAPI document names them).

import { Type } from '@sinclair/typebox';
import { RoadmapIdParam, Uuid } from '../http/schemas.js';
import { MAX_HOURS_PER_WEEK, MAX_PLAN_WEEKS } from '../plan/scheduler.js';
import { TABLE_SORTS } from './cohorts.repository.js';
import { MAX_INVITE_DAYS } from './cohorts.service.js';

const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
export const DisplayName = Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' });

export const CohortParams = Type.Object({ cohortId: Uuid });
export const LearnerParams = Type.Object({ cohortId: Uuid, learnerId: Uuid });

const cohortFields = {
  name: Name,
  startDate: DateString,
  targetWeeks: Type.Integer({ minimum: 1, maximum: MAX_PLAN_WEEKS }),
  hoursPerWeek: Type.Integer({
    minimum: 1,
    maximum: MAX_HOURS_PER_WEEK,
    description: 'Default study hours per week',
  }),
  requiresEmail: Type.Boolean({
    description: 'Mentors see learners’ email addresses (the consent screen says so)',
  }),
};

export const CohortCreate = Type.Object(
  {
    ...cohortFields,
    roadmapIds: Type.Array(RoadmapIdParam, { minItems: 1, maxItems: 10, uniqueItems: true }),
    requiresEmail: Type.Optional(cohortFields.requiresEmail),
  },
  { additionalProperties: false },
);

export const CohortUpdate = Type.Partial(Type.Object(cohortFields), { additionalProperties: false });

export const CohortSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    roadmapIds: Type.Array(Type.String()),
    startDate: Type.String(),
    targetWeeks: Type.Integer(),
    hoursPerWeek: Type.Number(),
    requiresEmail: Type.Boolean(),
    learnerCount: Type.Integer(),
    mentorCount: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    yourRole: Type.Union([Type.Literal('admin'), Type.Literal('mentor'), Type.Literal('learner')]),
  },
  { $id: 'Cohort', title: 'Cohort' },
);

export const MentorAppoint = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }), displayName: Type.Optional(DisplayName) },
  { additionalProperties: false },
);

export const MemberSchema = Type.Object(
  {
    userId: Type.String(),
    displayName: Type.String(),
    role: Type.Union([Type.Literal('learner'), Type.Literal('mentor')]),
    joinedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CohortMember', title: 'CohortMember' },
);

export const InviteCreate = Type.Object(
  {
    expiresInDays: Type.Integer({ minimum: 1, maximum: MAX_INVITE_DAYS }),
    emailDomain: Type.Optional(
      Type.Union([
        Type.String({
          maxLength: 253,
          pattern: '^@?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$',
          description: 'Only accounts with an email at this domain may join',
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const InviteSchema = Type.Object(
  {
    id: Type.String(),
    cohortId: Type.String(),
    emailDomain: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    revoked: Type.Boolean(),
    uses: Type.Integer(),
  },
  { $id: 'CohortInvite', title: 'CohortInvite' },
);

export const InviteToken = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 100, pattern: '^wmi_[A-Za-z0-9_-]+$' }),
});

export const ConsentSchema = Type.Object(
  {
    cohortName: Type.String(),
    roadmapIds: Type.Array(Type.String()),
    startDate: Type.String(),
    targetWeeks: Type.Integer(),
    hoursPerWeek: Type.Number(),
    emailDomain: Type.Union([Type.String(), Type.Null()]),
    expiresAt: Type.String({ format: 'date-time' }),
    mentorsSee: Type.Array(Type.String()),
    mentorsNeverSee: Type.Array(Type.String()),
  },
  { $id: 'CohortConsent', title: 'CohortConsent' },
);

export const JoinBody = Type.Object(
  {
    displayName: DisplayName,
    consent: Type.Literal(true, { description: 'You read the consent screen and agree' }),
    shareReflections: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const TableQuerySchema = Type.Object(
  {
    roadmapId: Type.Optional(RoadmapIdParam),
    sort: Type.Optional(Type.Union(Object.keys(TABLE_SORTS).map((k) => Type.Literal(k)))),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    filter: Type.Optional(
      Type.String({
        pattern: '^(behind|inactive|stuck)(,(behind|inactive|stuck))*$',
        description: 'Comma-separated: behind, inactive (7+ days), stuck (a topic in learning 14+ days)',
      }),
    ),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1–500, default 100' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
  },
  { additionalProperties: false },
);

const StepSchema = Type.Object({ stepId: Type.String(), done: Type.Integer(), total: Type.Integer() });

export const LearnerRowSchema = Type.Object(
  {
    learnerId: Type.String(),
    displayName: Type.String(),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    joinedAt: Type.String(),
    summarized: Type.Boolean(),
    progress: Type.Object({
      done: Type.Integer(),
      total: Type.Integer(),
      percent: Type.Integer(),
      steps: Type.Array(StepSchema),
    }),
    plan: Type.Object({
      status: Type.Union([
        Type.Literal('on-track'),
        Type.Literal('ahead'),
        Type.Literal('behind'),
        Type.Literal('no-plan'),
      ]),
      behindHours: Type.Number({ description: 'Hours behind the plan (negative: ahead)' }),
      forecastFinish: Type.Union([Type.String(), Type.Null()]),
    }),
    lastActiveDay: Type.Union([Type.String(), Type.Null()]),
    currentStreak: Type.Integer(),
    verifiedProjects: Type.Integer(),
    reviewBacklog: Type.Integer(),
    stuck: Type.Union([Type.Object({ topicId: Type.String(), since: Type.String() }), Type.Null()]),
    inactive: Type.Boolean(),
  },
  { $id: 'CohortLearnerRow', title: 'CohortLearnerRow' },
);

export const TableSchema = Type.Object(
  {
    cohortId: Type.String(),
    roadmapId: Type.String(),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
    learners: Type.Array(Type.Ref('CohortLearnerRow')),
  },
  { $id: 'CohortTable', title: 'CohortTable' },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const LearnerDetailSchema = Type.Object(
  {
    learnerId: Type.String(),
    displayName: Type.String(),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    joinedAt: Type.String(),
    sharesReflections: Type.Boolean(),
    roadmaps: Type.Array(
      Type.Object({
        roadmapId: Type.String(),
        title: Type.String(),
        topics: Type.Array(
          Type.Object({
            topicId: Type.String(),
            title: Type.String(),
            status: Type.String(),
            note: Nullable(Type.String({ description: 'Only notes the learner shared' })),
          }),
        ),
        plan: Type.Object({
          saved: Type.Boolean(),
          status: Type.String(),
          message: Type.String(),
          hoursAhead: Type.Number(),
          forecastFinish: Nullable(Type.String()),
          targetFinish: Type.String(),
          weeks: Type.Array(
            Type.Object({
              index: Type.Integer(),
              start: Type.String(),
              plannedHours: Type.Number(),
              goalsDone: Type.Union([Type.Integer(), Type.Null()]),
              goalsPlanned: Type.Union([Type.Integer(), Type.Null()]),
              reflection: Nullable(Type.String({ description: 'Only when the learner shares reflections' })),
            }),
          ),
        }),
      }),
    ),
    projects: Type.Object({
      verified: Type.Array(
        Type.Object({ projectId: Type.String(), runId: Type.String(), createdAt: Type.String() }),
      ),
      runs: Type.Array(
        Type.Object({
          id: Type.String(),
          projectId: Type.String(),
          state: Type.String(),
          createdAt: Type.String(),
          finishedAt: Nullable(Type.String()),
          passed: Type.Integer(),
          failed: Type.Integer(),
          total: Type.Integer(),
          verified: Type.Boolean(),
        }),
      ),
    }),
  },
  { $id: 'CohortLearnerDetail', title: 'CohortLearnerDetail' },
);

export const MembershipSchema = Type.Object(
  {
    cohortId: Type.String(),
    cohortName: Type.String(),
    role: Type.Union([Type.Literal('learner'), Type.Literal('mentor')]),
    displayName: Type.String(),
    shareReflections: Type.Boolean(),
    joinedAt: Type.String(),
  },
  { $id: 'CohortMembership', title: 'CohortMembership' },
);

export const MembershipUpdate = Type.Object(
  { shareReflections: Type.Boolean() },
  { additionalProperties: false },
);

export const NoteSharingBody = Type.Object({ shared: Type.Boolean() }, { additionalProperties: false });
