import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schedulePlan, type SchedulerTopic } from '../../src/plan/scheduler.js';
import {
  assessPlan,
  burnup,
  forecastAtPace,
  scorecard,
  type PlanVersion,
  type TopicFacts,
} from '../../src/plan/plan.tracking.js';
import { defaultSettings } from '../../src/plan/plan.settings.js';
import type { Roadmap } from '../../src/content/content.types.js';

// Plan versus reality on a small made-up roadmap: four 5-hour topics and one 15-hour topic, 10 hours a
// week from Monday 2 March 2026, in Berlin.

const TOPICS: SchedulerTopic[] = [
  {
    id: 'a',
    estimateHours: 5,
    optional: false,
    prerequisites: [],
    tools: [],
    status: 'pending',
    checklistTotal: 0,
    checklistDone: 0,
  },
  {
    id: 'b',
    estimateHours: 5,
    optional: false,
    prerequisites: [],
    tools: [],
    status: 'pending',
    checklistTotal: 0,
    checklistDone: 0,
  },
  {
    id: 'big',
    estimateHours: 15,
    optional: false,
    prerequisites: [],
    tools: [],
    status: 'pending',
    checklistTotal: 0,
    checklistDone: 0,
  },
  {
    id: 'c',
    estimateHours: 5,
    optional: false,
    prerequisites: [],
    tools: [],
    status: 'pending',
    checklistTotal: 0,
    checklistDone: 0,
  },
  {
    id: 'd',
    estimateHours: 5,
    optional: false,
    prerequisites: [],
    tools: [],
    status: 'pending',
    checklistTotal: 0,
    checklistDone: 0,
  },
];

const settings = {
  ...defaultSettings({ weeks: 5 } as Roadmap, '2026-03-02', 'Europe/Berlin'),
  hoursPerWeek: 10,
  weeksOff: ['2026-03-23'],
};

function version(): PlanVersion {
  const schedule = schedulePlan({ topics: TOPICS, settings, today: '2026-03-02' });
  return {
    version: 1,
    reason: 'created',
    createdAt: '2026-03-02T08:00:00Z',
    settings,
    fromWeek: 0,
    weeks: schedule.weeks,
    scope: schedule.scope,
    feasibility: schedule.feasibility,
  };
}

function facts(done: Record<string, string>): Map<string, TopicFacts> {
  return new Map(
    TOPICS.map((t) => [
      t.id,
      {
        id: t.id,
        estimateHours: t.estimateHours,
        status: done[t.id] ? 'done' : 'pending',
        statusChangedAt: done[t.id] ?? null,
      },
    ]),
  );
}

describe('where the learner stands', () => {
  const v = version();

  it('schedules the example as expected (a, b | big 1/2 | big 2/2, c | week off | d)', () => {
    assert.deepEqual(
      v.weeks.map((w) => w.items.map((i) => `${i.topicId}${i.parts > 1 ? ` ${i.part}/${i.parts}` : ''}`)),
      [['a', 'b'], ['big 1/2'], ['big 2/2', 'c'], [], ['d']],
    );
  });

  it('is on track while following the plan — even in the middle of a topic split over two weeks', () => {
    const status = assessPlan({
      version: v,
      facts: facts({ a: '2026-03-04T18:00:00Z', b: '2026-03-06T18:00:00Z' }),
      now: new Date('2026-03-12T10:00:00Z'),
      plannedPaceFinish: null,
    });
    assert.equal(status.state, 'on-track', 'big part 1/2 is not due yet as a whole');
    assert.equal(status.plannedHoursToDate, 10);
    assert.equal(status.completedHours, 10);
  });

  it('is never "on track" when the plan itself ends after the target (the banner\'s truth)', () => {
    const short = { ...settings, targetWeeks: 1 };
    const schedule = schedulePlan({ topics: TOPICS, settings: short, today: '2026-03-02' });
    assert.equal(schedule.feasibility.status, 'over-target');
    const status = assessPlan({
      version: { ...v, settings: short, weeks: schedule.weeks, feasibility: schedule.feasibility },
      facts: facts({}),
      now: new Date('2026-03-03T10:00:00Z'),
      plannedPaceFinish: null,
    });
    assert.equal(status.state, 'over-target');
    assert.equal(status.weeksLate, 4, 'five weeks needed, one planned');
    assert.equal(status.message, 'This plan ends 4 weeks after your target.');
  });

  it('is behind by the hours of the topics whose last part is overdue', () => {
    const status = assessPlan({
      version: v,
      facts: facts({ a: '2026-03-04T18:00:00Z' }),
      now: new Date('2026-03-24T10:00:00Z'),
      plannedPaceFinish: '2026-05-03',
    });
    // By week 4 (index 3) a, b, big and c were due: 30 hours; only a (5) is done.
    assert.equal(status.state, 'behind');
    assert.equal(status.hoursAhead, -25);
    assert.match(status.message, /Behind by 25 hours/);
    assert.equal(status.forecast.atPlannedPace, '2026-05-03');
    assert.equal(status.currentWeek, 3);
  });

  it('is ahead when future goals are finished early, and finished when nothing is left', () => {
    const early = assessPlan({
      version: v,
      facts: facts({ a: '2026-03-03T18:00:00Z', b: '2026-03-04T18:00:00Z', d: '2026-03-05T18:00:00Z' }),
      now: new Date('2026-03-06T10:00:00Z'),
      plannedPaceFinish: null,
    });
    assert.equal(early.state, 'ahead');
    assert.equal(early.hoursAhead, 15);
    const all = Object.fromEntries(TOPICS.map((t) => [t.id, '2026-03-05T18:00:00Z']));
    assert.equal(
      assessPlan({
        version: v,
        facts: facts(all),
        now: new Date('2026-03-06T10:00:00Z'),
        plannedPaceFinish: null,
      }).state,
      'finished',
    );
  });

  it('is "not started" before the start date', () => {
    assert.equal(
      assessPlan({
        version: v,
        facts: facts({}),
        now: new Date('2026-02-27T10:00:00Z'),
        plannedPaceFinish: null,
      }).state,
      'not-started',
    );
  });

  it('measures pace over the last four weeks and forecasts the finish at that pace, skipping weeks off', () => {
    const status = assessPlan({
      version: v,
      facts: facts({ a: '2026-03-10T18:00:00Z', b: '2026-03-17T18:00:00Z' }),
      now: new Date('2026-03-29T10:00:00Z'),
      plannedPaceFinish: null,
    });
    // 10 hours in 28 days = 2.5 h/week; 25 hours left = 10 weeks = 70 days, counted from Monday 30 March
    // because today (Sunday 29 March) is in a week off.
    assert.deepEqual(status.pace, { hoursPerWeek: 2.5, windowDays: 28 });
    assert.equal(status.forecast.atActualPace, '2026-06-07');
    assert.equal(
      forecastAtPace('2026-03-25', 20, 2.5, ['2026-04-13']),
      '2026-05-26',
      'a later week off pushes the date by a week',
    );
    assert.equal(forecastAtPace('2026-03-29', 20, 2.5, []), '2026-05-23');
  });

  it('scores a finished week by the goals done by its Sunday and the hours marked done in it', () => {
    const f = facts({ a: '2026-03-08T21:30:00Z', b: '2026-03-09T08:00:00Z' }); // a: Sunday 22:30 in Berlin; b: the next Monday
    assert.deepEqual(scorecard(v, v.weeks[0]!, f, '2026-03-10'), {
      finished: true,
      goalsPlanned: 2,
      goalsDone: 1,
      hoursPlanned: 10,
      hoursDone: 5,
    });
    assert.equal(
      scorecard(v, v.weeks[2]!, f, '2026-03-10'),
      null,
      'a week that has not started has no scorecard',
    );
  });

  it('draws a burn-up whose planned line ends at the total and whose actual line stops today', () => {
    const chart = burnup(
      v,
      facts({ a: '2026-03-04T18:00:00Z' }),
      new Date('2026-03-18T10:00:00Z'),
      'hours',
      '2026-06-01',
    );
    assert.equal(chart.total, 35);
    const weekly = chart.points.filter((p) => Number.isInteger(p.x));
    assert.deepEqual(
      weekly.slice(0, 6).map((p) => p.planned),
      [0, 10, 10, 30, 30, 35],
    );
    assert.ok(weekly.slice(6).every((p) => p.planned === 35));
    assert.equal(weekly.at(-1)!.date >= '2026-06-01', true, 'the x axis reaches the forecast');
    assert.deepEqual(
      weekly.slice(0, 4).map((p) => p.actual),
      [0, 5, 5, null],
    );
    const today = chart.points.find((p) => p.x === chart.todayX)!;
    assert.equal(today.actual, 5);
    assert.deepEqual(
      chart.points.filter((p) => p.forecast !== null).map((p) => [p.date, p.forecast]),
      [
        ['2026-03-18', 5],
        ['2026-06-01', 35],
      ],
      'the forecast runs from today’s actual to the total on the forecast date',
    );
    const topics = burnup(
      v,
      facts({ a: '2026-03-04T18:00:00Z' }),
      new Date('2026-03-18T10:00:00Z'),
      'topics',
      null,
    );
    assert.equal(topics.total, 5);
  });
});
