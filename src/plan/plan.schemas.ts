// Response schemas of the plan API. They document the API (OpenAPI) and, because Fastify serialises
// with them, they are also the presenter: a field not listed here never leaves the server.

import { Type } from '@sinclair/typebox';
import { STATUSES } from '../progress/status.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Day = Type.String({ description: 'YYYY-MM-DD in the plan’s time zone' });
const Status = Type.Union(STATUSES.map((s) => Type.Literal(s)));

export const FeasibilitySchema = Type.Object(
  {
    status: Type.Union([Type.Literal('fits'), Type.Literal('over-target'), Type.Literal('infeasible')], {
      description:
        'fits: finishes by the target; over-target: a real plan that ends after the target; infeasible: more than three years of weeks',
    }),
    hoursNeeded: Type.Number(),
    hoursAvailable: Type.Number({ description: 'Study hours the settings provide from today to the target' }),
    targetWeeks: Type.Integer(),
    weeksNeeded: Nullable(Type.Integer()),
    hoursPerWeekNeeded: Nullable(
      Type.Integer({
        description: 'Whole hours per week that would meet the target; null if even 60 would not',
      }),
    ),
    targetFinish: Day,
    plannedFinish: Nullable(Day),
    message: Type.String(),
  },
  { $id: 'PlanFeasibility', title: 'PlanFeasibility' },
);

const Scorecard = Type.Object({
  finished: Type.Boolean(),
  goalsPlanned: Type.Integer(),
  goalsDone: Type.Integer(),
  hoursPlanned: Type.Number(),
  hoursDone: Type.Number({ description: 'Hours of topics marked done during the week' }),
});

const WeekSchema = Type.Object({
  index: Type.Integer({ description: '0-based; the API path uses the same index' }),
  start: Day,
  end: Day,
  off: Type.Boolean(),
  current: Type.Boolean(),
  capacityHours: Type.Number(),
  hours: Type.Number(),
  tools: Type.Array(Type.String(), { description: 'Tools and languages of the week’s topics' }),
  items: Type.Array(
    Type.Object({
      topicId: Type.String(),
      title: Type.String(),
      stepId: Nullable(Type.String()),
      status: Status,
      hours: Type.Number(),
      part: Type.Integer(),
      parts: Type.Integer({ description: '> 1 when the topic is split across weeks ("part 1/2")' }),
    }),
  ),
  scorecard: Nullable(Scorecard),
  checkin: Nullable(Type.Object({ note: Type.String(), updatedAt: Type.String() })),
});

/** Where the learner stands against their plan (also part of the dashboard). */
export const PlanStatusSchema = Type.Object({
  state: Type.Union(
    ['not-started', 'on-track', 'ahead', 'behind', 'over-target', 'finished'].map((s) => Type.Literal(s)),
    { description: 'over-target: keeping up with a plan that itself ends after the target' },
  ),
  hoursAhead: Type.Number({ description: 'Positive: ahead by this many hours; negative: behind' }),
  weeksLate: Type.Integer({ description: 'Weeks the plan runs past its target (0 when it fits)' }),
  plannedHoursToDate: Type.Number(),
  completedHours: Type.Number(),
  totalHours: Type.Number(),
  remainingHours: Type.Number(),
  currentWeek: Type.Integer(),
  pace: Type.Object({ hoursPerWeek: Type.Number(), windowDays: Type.Integer() }),
  forecast: Type.Object({
    atActualPace: Nullable(Day),
    atPlannedPace: Nullable(Day),
    plannedFinish: Nullable(Day),
    targetFinish: Day,
  }),
  message: Type.String(),
});

export const PlanSchema = Type.Object(
  {
    roadmapId: Type.String(),
    roadmapTitle: Type.String(),
    saved: Type.Boolean({ description: 'false: a preview from default settings; PUT settings to save it' }),
    version: Nullable(Type.Integer()),
    reason: Nullable(Type.String()),
    createdAt: Nullable(Type.String()),
    updatedAt: Nullable(Type.String()),
    today: Day,
    settings: Type.Ref('PlanSettings'),
    feasibility: Type.Ref('PlanFeasibility'),
    status: PlanStatusSchema,
    replan: Nullable(
      Type.Object({
        extend: Type.Object({
          possible: Type.Boolean(),
          finish: Nullable(Day),
          targetWeeks: Type.Integer(),
          hoursPerWeek: Type.Integer(),
          message: Type.String(),
        }),
        keepFinish: Type.Object({
          possible: Type.Boolean(),
          finish: Day,
          hoursPerWeek: Nullable(Type.Integer()),
          message: Type.String(),
        }),
      }),
    ),
    fromWeek: Type.Integer(),
    weeks: Type.Array(WeekSchema),
    feed: Type.Object({
      active: Type.Boolean(),
      createdAt: Nullable(Type.String()),
      lastUsedAt: Nullable(Type.String()),
    }),
    versionCount: Type.Integer(),
  },
  { $id: 'Plan', title: 'Plan' },
);

const VersionSummaryFields = {
  version: Type.Integer(),
  reason: Type.String({ description: 'created | settings | replan-extend | replan-keep-finish | imported' }),
  createdAt: Type.String(),
  current: Type.Boolean(),
  fromWeek: Type.Integer(),
  startDate: Day,
  hoursPerWeek: Type.Integer(),
  targetWeeks: Type.Integer(),
  feasibility: Type.Ref('PlanFeasibility'),
  goals: Type.Integer(),
  hours: Type.Number(),
};

export const VersionListSchema = Type.Object({ versions: Type.Array(Type.Object(VersionSummaryFields)) });

export const VersionSchema = Type.Object({
  ...VersionSummaryFields,
  settings: Type.Ref('PlanSettings'),
  weeks: Type.Array(
    Type.Object({
      index: Type.Integer(),
      start: Day,
      end: Day,
      off: Type.Boolean(),
      capacityHours: Type.Number(),
      hours: Type.Number(),
      tools: Type.Array(Type.String()),
      items: Type.Array(
        Type.Object({
          topicId: Type.String(),
          title: Type.String(),
          hours: Type.Number(),
          part: Type.Integer(),
          parts: Type.Integer(),
        }),
      ),
    }),
  ),
});

export const CheckinSchema = Type.Object({
  weekIndex: Type.Integer(),
  start: Day,
  end: Day,
  finished: Type.Boolean(),
  scorecard: Scorecard,
  goals: Type.Array(
    Type.Object({
      topicId: Type.String(),
      title: Type.String(),
      part: Type.Integer(),
      parts: Type.Integer(),
      hours: Type.Number(),
      done: Type.Boolean(),
    }),
  ),
  note: Type.String(),
  updatedAt: Nullable(Type.String()),
});
