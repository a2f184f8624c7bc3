// Response schema of the dashboard API; Fastify serialises with it, so it is also the presenter.

import { Type } from '@sinclair/typebox';
import { STATUSES } from '../progress/status.js';
import { PlanStatusSchema } from '../plan/plan.schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Day = Type.String({ description: 'YYYY-MM-DD in the learner’s time zone' });
const Status = Type.Union(STATUSES.map((s) => Type.Literal(s)));

const BurnupSchema = Type.Object({
  unit: Type.Union([Type.Literal('hours'), Type.Literal('topics')]),
  total: Type.Number(),
  todayX: Type.Number(),
  fromX: Type.Number(),
  weeks: Type.Integer(),
  points: Type.Array(
    Type.Object({
      x: Type.Number({ description: 'Weeks since the plan’s first Monday' }),
      date: Day,
      planned: Nullable(Type.Number()),
      actual: Nullable(Type.Number()),
      forecast: Nullable(Type.Number()),
    }),
  ),
});

const CountsFields = {
  total: Type.Integer(),
  pending: Type.Integer(),
  learning: Type.Integer(),
  done: Type.Integer(),
  skipped: Type.Integer(),
  percent: Type.Integer(),
  hoursTotal: Type.Number(),
  hoursDone: Type.Number(),
};

export const DashboardSchema = Type.Object(
  {
    roadmapId: Type.String(),
    roadmapTitle: Type.String(),
    timeZone: Type.String(),
    today: Day,
    progress: Type.Object({
      roadmapId: Type.String(),
      ...CountsFields,
      steps: Type.Array(Type.Object({ stepId: Type.String(), title: Type.String(), ...CountsFields })),
    }),
    streaks: Type.Object({
      current: Type.Integer({
        description: 'Consecutive days with learning activity, ending today or yesterday',
      }),
      longest: Type.Integer(),
      activeToday: Type.Boolean(),
      lastActive: Nullable(Day),
    }),
    heatmap: Type.Object({
      start: Day,
      end: Day,
      activeDays: Type.Integer(),
      total: Type.Integer(),
      weeks: Type.Array(
        Type.Object({
          start: Day,
          days: Type.Array(
            Type.Object({ date: Day, count: Type.Integer(), level: Type.Integer(), future: Type.Boolean() }),
          ),
        }),
      ),
    }),
    plan: Nullable(
      Type.Object({
        saved: Type.Boolean(),
        status: PlanStatusSchema,
        feasibility: Type.Ref('PlanFeasibility'),
      }),
    ),
    burnup: Nullable(Type.Object({ hours: BurnupSchema, topics: BurnupSchema })),
    nextUp: Type.Array(
      Type.Object({
        topicId: Type.String(),
        title: Type.String(),
        hours: Type.Number(),
        status: Status,
        reason: Type.Union(
          ['overdue', 'this-week', 'upcoming', 'in-progress', 'next'].map((s) => Type.Literal(s)),
        ),
        weekIndex: Nullable(Type.Integer()),
      }),
    ),
  },
  { $id: 'Dashboard', title: 'Dashboard' },
);
