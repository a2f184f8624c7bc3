import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  chooseAlternatives,
  schedulePlan,
  type AlternativeChoice,
  type SchedulerTopic,
  type SchedulingSettings,
  type TopicStatus,
} from '../../src/plan/scheduler.js';

// The planner's handling of "choose one of" sets, stated as properties over random roadmaps and sets.
// The seed is fixed so a failure reproduces; fast-check prints it with the shrunk counterexample.

const SEED = 20261302;
const runs = { seed: SEED, numRuns: 300 };
const STATUSES: TopicStatus[] = ['pending', 'learning', 'done', 'skipped'];

interface Case {
  topics: SchedulerTopic[];
  sets: AlternativeChoice[];
  includeOptional: boolean;
}

/** Up to 24 topics (prerequisites on earlier ones only), some of them grouped into disjoint sets. */
const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 24 }).chain((n) =>
  fc
    .record({
      specs: fc.array(
        fc.record({
          halfHours: fc.integer({ min: 1, max: 30 }),
          optional: fc.boolean(),
          status: fc.constantFrom(...STATUSES),
          prereqs: fc.array(fc.nat(), { maxLength: 3 }),
        }),
        { minLength: n, maxLength: n },
      ),
      order: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      sizes: fc.array(fc.integer({ min: 2, max: 4 }), { maxLength: 4 }),
      picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      required: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      includeOptional: fc.boolean(),
    })
    .map(({ specs, order, sizes, picks, required, includeOptional }) => {
      const topics = specs.map((spec, i): SchedulerTopic => ({
        id: `t${i}`,
        estimateHours: spec.halfHours / 2,
        optional: spec.optional,
        prerequisites: i === 0 ? [] : [...new Set(spec.prereqs.map((p) => `t${p % i}`))],
        tools: [],
        status: spec.status,
        checklistTotal: 0,
        checklistDone: 0,
      }));
      const sets: AlternativeChoice[] = [];
      let next = 0;
      sizes.forEach((size, s) => {
        const members = order.slice(next, next + size).map((i) => `t${i}`);
        next += size;
        if (members.length < 2) return;
        sets.push({
          topicIds: members,
          chosen: members[picks[s]! % members.length]!,
          required: required[s]!,
        });
      });
      return { topics, sets, includeOptional };
    }),
);

function settingsOf(includeOptional: boolean): SchedulingSettings {
  return {
    startDate: '2026-03-02',
    hoursPerWeek: 20,
    targetWeeks: 156,
    studyDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    weeksOff: [],
    includeOptional,
    includeTopics: [],
    excludeTopics: [],
  };
}

function plan(c: Case, sets = c.sets) {
  const topics = chooseAlternatives(c.topics, sets);
  return schedulePlan({ topics, settings: settingsOf(c.includeOptional), today: '2026-03-02' });
}

const scheduledIds = (schedule: ReturnType<typeof schedulePlan>): Set<string> =>
  new Set(schedule.weeks.flatMap((w) => w.items.map((i) => i.topicId)));

describe(`alternative sets in the planner (fast-check, seed ${SEED})`, () => {
  it('schedules exactly one member of each set that still needs work (the chosen one), never another', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const scheduled = scheduledIds(plan(c));
        for (const set of c.sets) {
          const members = set.topicIds.filter((id) => scheduled.has(id));
          const statusOf = (id: string) => c.topics.find((t) => t.id === id)!.status;
          const anyDone = set.topicIds.some((id) => statusOf(id) === 'done');
          const needsWork =
            (set.required || c.includeOptional) && !anyDone && statusOf(set.chosen) !== 'skipped';
          assert.deepEqual(members, needsWork ? [set.chosen] : [], JSON.stringify(set));
        }
      }),
      runs,
    );
  });

  it('switching the choice re-plans only that set: everything else keeps its hours, and switching back restores the plan', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.nat(), (c, which, to) => {
        if (c.sets.length === 0) return;
        const index = which % c.sets.length;
        const set = c.sets[index]!;
        const switched = c.sets.map((s, i) =>
          i === index ? { ...s, chosen: s.topicIds[to % s.topicIds.length]! } : s,
        );
        const before = plan(c);
        const after = plan(c, switched);
        const outside = (hours: Record<string, number>) =>
          Object.fromEntries(Object.entries(hours).filter(([id]) => !set.topicIds.includes(id)));
        assert.deepEqual(outside(after.topicHours), outside(before.topicHours));
        // Progress is an input the switch never changes: a done member still closes the set.
        const anyDone = set.topicIds.some((id) => c.topics.find((t) => t.id === id)!.status === 'done');
        if (anyDone) assert.ok(set.topicIds.every((id) => !scheduledIds(after).has(id)));
        assert.deepEqual(plan(c, c.sets), before);
      }),
      runs,
    );
  });

  it('reads a prerequisite on any member as one on the chosen member', () => {
    const topic = (id: string, prerequisites: string[] = []): SchedulerTopic => ({
      id,
      estimateHours: 2,
      optional: false,
      prerequisites,
      tools: [],
      status: 'pending',
      checklistTotal: 0,
      checklistDone: 0,
    });
    const topics = [topic('php'), topic('js'), topic('litespeed', ['php'])];
    const chosen = chooseAlternatives(topics, [{ topicIds: ['js', 'php'], chosen: 'js', required: true }]);
    assert.deepEqual(
      chosen.map((t) => [t.id, t.prerequisites]),
      [
        ['js', []],
        ['litespeed', ['js']],
      ],
    );
  });
});
