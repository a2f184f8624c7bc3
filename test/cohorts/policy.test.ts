import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, type TestApp } from '../helpers.js';
import { admin, appoint, createCohort, invite, join, person, setStatus, type Person } from './fixture.js';

// The cohort policy as a table: every role against every resource, through the API, once per SQL
// dialect. A learner never sees another learner; a mentor never sees another cohort nor a private
// note; an admin manages but reads no notes; a learner who left or a removed mentor gets 404 on the
// very next request.

type Actor = 'admin' | 'mentorA' | 'mentorB' | 'learnerA' | 'learnerA2' | 'learnerB' | 'outsider';
type Resource =
  | 'table A'
  | 'table A csv'
  | 'events A'
  | 'learnerA detail'
  | 'learnerA private note'
  | 'learnerA shared note'
  | 'manage A invites';

/** What each actor gets, by resource: a status, or for notes whether the text is visible. */
const MATRIX: Record<Resource, Record<Actor, number | boolean>> = {
  'table A': {
    admin: 200,
    mentorA: 200,
    mentorB: 404,
    learnerA: 404,
    learnerA2: 404,
    learnerB: 404,
    outsider: 404,
  },
  'table A csv': {
    admin: 200,
    mentorA: 200,
    mentorB: 404,
    learnerA: 404,
    learnerA2: 404,
    learnerB: 404,
    outsider: 404,
  },
  'events A': {
    admin: 200,
    mentorA: 200,
    mentorB: 404,
    learnerA: 404,
    learnerA2: 404,
    learnerB: 404,
    outsider: 404,
  },
  'learnerA detail': {
    admin: 200,
    mentorA: 200,
    mentorB: 404,
    learnerA: 404,
    learnerA2: 404,
    learnerB: 404,
    outsider: 404,
  },
  'learnerA private note': {
    admin: false,
    mentorA: false,
    mentorB: false,
    learnerA: false,
    learnerA2: false,
    learnerB: false,
    outsider: false,
  },
  'learnerA shared note': {
    admin: false,
    mentorA: true,
    mentorB: false,
    learnerA: false,
    learnerA2: false,
    learnerB: false,
    outsider: false,
  },
  'manage A invites': {
    admin: 200,
    mentorA: 404,
    mentorB: 404,
    learnerA: 404,
    learnerA2: 404,
    learnerB: 404,
    outsider: 404,
  },
};

for (const dialect of await dialects()) {
  describe(`cohort policy matrix (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    const people = {} as Record<Actor, Person>;
    let cohortA: string;
    let cohortB: string;
    let topics: string[];

    before(async () => {
      t = await createTestApp(dialect, { now: '2026-03-02T09:00:00Z' });
      topics = t.content.roadmaps.get('backend')!.topicIds.slice(0, 2);
      people.admin = await admin(t, 'admin@p.test');
      for (const name of ['mentorA', 'mentorB', 'learnerA', 'learnerA2', 'learnerB', 'outsider'] as const)
        people[name] = await person(t, `${name.toLowerCase()}@p.test`);
      cohortA = await createCohort(people.admin, { name: 'A' });
      cohortB = await createCohort(people.admin, { name: 'B' });
      await appoint(people.admin, cohortA, people.mentorA);
      await appoint(people.admin, cohortB, people.mentorB);
      const tokenA = await invite(people.admin, cohortA);
      assert.equal((await join(people.learnerA, tokenA, 'Learner A')).statusCode, 201);
      assert.equal((await join(people.learnerA2, tokenA, 'Learner A2')).statusCode, 201);
      assert.equal(
        (await join(people.learnerB, await invite(people.admin, cohortB), 'Learner B')).statusCode,
        201,
      );
      await setStatus(people.learnerA, topics[0]!, 'learning', 'PRIVATE-NOTE');
      await setStatus(people.learnerA, topics[1]!, 'learning', 'SHARED-NOTE');
      await people.learnerA.client.put(`/api/v1/topics/${topics[1]}/note/sharing`, { shared: true });
      await t.app.cohortSummaries.idle();
    });
    after(async () => t?.close());

    const request = async (actor: Actor, resource: Resource): Promise<number | boolean> => {
      const c = people[actor].client;
      const learner = people.learnerA.id;
      switch (resource) {
        case 'table A':
          return (await c.get(`/api/v1/cohorts/${cohortA}/learners`)).statusCode;
        case 'table A csv':
          return (await c.get(`/api/v1/cohorts/${cohortA}/learners.csv`)).statusCode;
        case 'events A': {
          // A refused stream answers at once; an accepted one is left open, so ask without waiting for its end.
          const res = await fetchStatusOfStream(t, c.cookie!, `/api/v1/cohorts/${cohortA}/events`);
          return res;
        }
        case 'learnerA detail':
          return (await c.get(`/api/v1/cohorts/${cohortA}/learners/${learner}`)).statusCode;
        case 'learnerA private note':
        case 'learnerA shared note': {
          const res = await c.get(`/api/v1/cohorts/${cohortA}/learners/${learner}`);
          const text = resource === 'learnerA private note' ? 'PRIVATE-NOTE' : 'SHARED-NOTE';
          return res.statusCode === 200 && res.body.includes(text);
        }
        case 'manage A invites':
          return (await c.get(`/api/v1/cohorts/${cohortA}/invites`)).statusCode;
      }
    };

    for (const resource of Object.keys(MATRIX) as Resource[]) {
      it(`${resource}: ${Object.entries(MATRIX[resource])
        .map(([a, v]) => `${a} ${v}`)
        .join(', ')}`, async () => {
        const got: Record<string, number | boolean> = {};
        for (const actor of Object.keys(MATRIX[resource]) as Actor[])
          got[actor] = await request(actor, resource);
        assert.deepEqual(got, MATRIX[resource]);
      });
    }

    it('a learner never sees another learner, even of their own cohort, nor any cohort’s table', async () => {
      const res = await people.learnerA2.client.get(
        `/api/v1/cohorts/${cohortA}/learners/${people.learnerA.id}`,
      );
      assert.equal(res.statusCode, 404);
      assert.ok(!res.body.includes('Learner A'));
    });

    it('a learner who left and a removed mentor get 404 on the next request', async () => {
      assert.equal(
        (await people.mentorA.client.get(`/api/v1/cohorts/${cohortA}/learners/${people.learnerA.id}`))
          .statusCode,
        200,
      );
      assert.equal(
        (await people.learnerA.client.delete(`/api/v1/cohorts/${cohortA}/membership`)).statusCode,
        204,
      );
      assert.equal(
        (await people.mentorA.client.get(`/api/v1/cohorts/${cohortA}/learners/${people.learnerA.id}`))
          .statusCode,
        404,
      );
      assert.equal((await people.learnerA.client.get(`/api/v1/cohorts/${cohortA}`)).statusCode, 404);
      assert.equal((await people.mentorA.client.get(`/api/v1/cohorts/${cohortA}/learners`)).statusCode, 200);
      const removed = await people.admin.client.delete(
        `/api/v1/cohorts/${cohortA}/members/${people.mentorA.id}`,
      );
      assert.equal(removed.statusCode, 204);
      assert.equal((await people.mentorA.client.get(`/api/v1/cohorts/${cohortA}/learners`)).statusCode, 404);
      assert.equal(
        (await people.mentorA.client.get(`/api/v1/cohorts/${cohortA}/learners/${people.learnerA2.id}`))
          .statusCode,
        404,
      );
    });
  });
}

/** The status an event-stream request answers with (the stream itself is closed at once). */
async function fetchStatusOfStream(t: TestApp, cookie: string, path: string): Promise<number> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { cookie: `waymark_session=${cookie}` },
    signal: controller.signal,
  });
  controller.abort();
  return res.status;
}
