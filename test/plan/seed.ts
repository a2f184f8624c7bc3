import { DAY_MS } from '../../src/lib/clock.js';
import { Client, json, type TestApp } from '../helpers.js';

interface PlanJson {
  weeks: { index: number; items: { topicId: string; part: number; parts: number }[] }[];
}

/**
 * A learner six weeks into a plan: saved on Monday 2 March 2026 (12 h a week, sessions at 18:30 Berlin
 * time, a week off after Easter), topics finished on most weekdays at a slower pace than planned,
 * a few notes and reflections. Leaves the clock on Tuesday 14 April 2026, 10:00 UTC.
 */
export async function seedBusyLearner(t: TestApp, client: Client = new Client(t.app)): Promise<Client> {
  t.clock.set('2026-03-02T08:00:00Z');
  const saved = await client.put('/api/v1/roadmaps/backend/plan', {
    startDate: '2026-03-02',
    hoursPerWeek: 12,
    targetWeeks: 30,
    timeZone: 'Europe/Berlin',
    studyTime: '18:30',
    weeksOff: ['2026-04-06'],
  });
  if (saved.statusCode !== 200) throw new Error(`seed: saving the plan failed: ${saved.body}`);
  const plan = json<PlanJson>(saved);
  const order = [...new Set(plan.weeks.flatMap((w) => w.items.map((i) => i.topicId)))];
  let next = 0;
  for (let day = 0; day < 42; day += 1) {
    const weekday = day % 7;
    if (weekday >= 5 && day % 3 !== 0) continue; // most weekends off
    if (day >= 35 && day < 42) continue; // the week off
    t.clock.set(new Date(Date.parse('2026-03-02T17:45:00Z') + day * DAY_MS));
    if (day % 4 === 1) {
      await client.put(`/api/v1/topics/${order[next]}/progress`, {
        status: 'learning',
        note: 'Notes from tonight.',
      });
      continue;
    }
    await client.put(`/api/v1/topics/${order[next]}/progress`, {
      status: day % 9 === 0 ? 'skipped' : 'done',
    });
    next += 1;
  }
  for (const [week, note] of [
    [0, 'Good start: HTTP finally makes sense.'],
    [1, 'Busy at work, only three evenings.'],
    [2, 'SQL joins took longer than planned.'],
  ] as const) {
    t.clock.set(new Date(Date.parse('2026-03-08T19:00:00Z') + week * 7 * DAY_MS));
    await client.put(`/api/v1/roadmaps/backend/plan/weeks/${week}/checkin`, { note });
  }
  t.clock.set('2026-04-14T10:00:00Z');
  return client;
}
