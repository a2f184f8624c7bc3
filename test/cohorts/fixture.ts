import assert from 'node:assert/strict';
import { setRole } from '../../src/auth/auth.service.js';
import { Client, json, type TestApp } from '../helpers.js';

// A small cohort world for the cohort suites: an instance admin, two cohorts with a mentor each, and
// learners joined through invite links.

export interface Person {
  client: Client;
  id: string;
  email: string;
}

export async function person(t: TestApp, email: string): Promise<Person> {
  const client = new Client(t.app);
  const res = await client.signup(email);
  assert.equal(res.statusCode, 201, res.body);
  return { client, id: json<{ user: { id: string } }>(res).user.id, email };
}

export async function admin(t: TestApp, email: string): Promise<Person> {
  const p = await person(t, email);
  assert.ok(await setRole(t.app.authDeps, email, 'admin'));
  return p;
}

export interface CohortBody {
  name?: string;
  roadmapIds?: string[];
  startDate?: string;
  targetWeeks?: number;
  hoursPerWeek?: number;
  requiresEmail?: boolean;
}

export async function createCohort(owner: Person, body: CohortBody = {}): Promise<string> {
  const res = await owner.client.post('/api/v1/cohorts', {
    name: 'Spring backend',
    roadmapIds: ['backend'],
    startDate: '2026-03-02',
    targetWeeks: 20,
    hoursPerWeek: 12,
    ...body,
  });
  assert.equal(res.statusCode, 201, res.body);
  return json<{ id: string }>(res).id;
}

export async function invite(
  owner: Person,
  cohortId: string,
  emailDomain: string | null = null,
): Promise<string> {
  const res = await owner.client.post(`/api/v1/cohorts/${cohortId}/invites`, {
    expiresInDays: 7,
    emailDomain,
  });
  assert.equal(res.statusCode, 201, res.body);
  return json<{ token: string }>(res).token;
}

export async function join(p: Person, token: string, displayName: string, shareReflections = false) {
  return p.client.post(`/api/v1/cohort-invites/${token}/join`, {
    displayName,
    consent: true,
    shareReflections,
  });
}

export async function appoint(owner: Person, cohortId: string, mentor: Person): Promise<void> {
  const res = await owner.client.post(`/api/v1/cohorts/${cohortId}/mentors`, { email: mentor.email });
  assert.equal(res.statusCode, 201, res.body);
}

export async function setStatus(p: Person, topicId: string, status: string, note?: string) {
  const res = await p.client.put(`/api/v1/topics/${topicId}/progress`, { status, ...(note ? { note } : {}) });
  assert.equal(res.statusCode, 200, res.body);
}
