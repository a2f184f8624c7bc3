import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, json, type TestApp } from '../helpers.js';

// Cohorts and memberships written straight into the database (the cohorts feature's own routes are
// tested in its suites), so feedback and insights suites can set up mentors and learners quickly.

export interface Person {
  client: Client;
  id: string;
}

export async function person(t: TestApp, email: string): Promise<Person> {
  const client = new Client(t.app);
  assert.equal((await client.signup(email)).statusCode, 201);
  const id = json<{ id: string }>(await client.get('/api/v1/me')).id;
  return { client, id };
}

export async function cohort(
  t: TestApp,
  name: string,
  members: { id: string; role: 'learner' | 'mentor'; name: string }[],
  options: { startDate?: string; weeks?: number; hours?: number; roadmapId?: string } = {},
): Promise<string> {
  const id = randomUUID();
  const at = '2026-02-01T00:00:00.000Z';
  await t.db.write(
    async (trx) => {
      await trx
        .insertInto('cohorts')
        .values({
          id,
          name,
          start_date: options.startDate ?? '2026-02-02',
          target_weeks: options.weeks ?? 12,
          hours_per_week: options.hours ?? 8,
          requires_email: 0,
          created_by: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await trx
        .insertInto('cohort_roadmaps')
        .values({ cohort_id: id, roadmap_id: options.roadmapId ?? 'backend', position: 0 })
        .execute();
      for (const m of members) await addMember(trx, id, m);
    },
    members.map((m) => ({ userId: m.id, scope: 'data' as const })),
  );
  return id;
}

type Trx = Parameters<Parameters<TestApp['db']['write']>[0]>[0];

async function addMember(
  trx: Trx,
  cohortId: string,
  m: { id: string; role: 'learner' | 'mentor'; name: string },
): Promise<void> {
  await trx
    .insertInto('cohort_members')
    .values({
      cohort_id: cohortId,
      user_id: m.id,
      role: m.role,
      display_name: m.name,
      share_reflections: 0,
      consented_at: m.role === 'learner' ? '2026-02-01T00:00:00.000Z' : null,
      joined_at: '2026-02-01T00:00:00.000Z',
    })
    .execute();
}

export async function removeMember(t: TestApp, cohortId: string, userId: string): Promise<void> {
  await t.db.write(
    (trx) =>
      trx
        .deleteFrom('cohort_members')
        .where('cohort_id', '=', cohortId)
        .where('user_id', '=', userId)
        .execute(),
    { userId, scope: 'data' },
  );
}
