import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { setRole } from '../../src/auth/auth.service.js';
import { Client, json, realContent, redisSkip, twoInstances } from '../helpers.js';
import { openStream } from '../api/event-stream.js';

// The mentor's table updates live across instances: a learner's progress on instance A reaches the
// mentor's open cohort stream on instance B through Redis, and the mentor's removal on A ends that
// stream on B at once.

const skip = await redisSkip();
if (skip && process.env.CI === 'true') throw new Error(`CI=true but ${skip}`);
if (skip) console.log(`# SKIPPED cohort live-update tests: ${skip}`);

describe(
  'cohort table live across two instances sharing the database and Redis',
  { skip: skip ?? false },
  () => {
    const apps: FastifyInstance[] = [];
    let instances: Awaited<ReturnType<typeof twoInstances>> | undefined;

    before(async () => {
      instances = await twoInstances();
      apps.push(...instances.apps);
      await apps[1]!.listen({ port: 0, host: '127.0.0.1' });
    });

    after(async () => {
      await instances?.close();
    });

    it('a learner’s progress on A reaches the mentor’s stream on B; the mentor’s removal on A ends it', async () => {
      const [a, b] = [apps[0]!, apps[1]!];
      const boss = new Client(a);
      await boss.signup('boss@live.test');
      assert.ok(await setRole(a.authDeps, 'boss@live.test', 'admin'));
      const mentorOnA = new Client(a);
      const mentorId = json<{ user: { id: string } }>(await mentorOnA.signup('mentor@live.test')).user.id;
      const learner = new Client(a);
      const learnerId = json<{ user: { id: string } }>(await learner.signup('learner@live.test')).user.id;
      const cohort = json<{ id: string }>(
        await boss.post('/api/v1/cohorts', {
          name: 'Live',
          roadmapIds: ['backend'],
          startDate: '2026-03-02',
          targetWeeks: 20,
          hoursPerWeek: 10,
        }),
      );
      assert.equal(
        (await boss.post(`/api/v1/cohorts/${cohort.id}/mentors`, { email: 'mentor@live.test' })).statusCode,
        201,
      );
      const { token } = json<{ token: string }>(
        await boss.post(`/api/v1/cohorts/${cohort.id}/invites`, { expiresInDays: 1 }),
      );
      const joined = await learner.post(`/api/v1/cohort-invites/${token}/join`, {
        displayName: 'Lee',
        consent: true,
      });
      assert.equal(joined.statusCode, 201, joined.body);
      await a.cohortSummaries.idle();

      const address = b.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const stream = await openStream(
        `http://127.0.0.1:${port}`,
        { cookie: `waymark_session=${mentorOnA.cookie}` },
        `/api/v1/cohorts/${cohort.id}/events`,
      );
      const topic = (await realContent()).roadmaps.get('backend')!.topicIds[0]!;
      const changed = stream.next('learner');
      assert.equal(
        (await learner.put(`/api/v1/topics/${topic}/progress`, { status: 'done' })).statusCode,
        200,
      );
      assert.deepEqual(await changed, { learnerId });

      const mentorOnB = new Client(b);
      mentorOnB.cookie = mentorOnA.cookie;
      // The join's own summary refresh announces the learner too, and under load its message may
      // reach B after the stream opened: then the event above is that one, and the PUT's refresh
      // (which follows it) is what the table must show next.
      const done = async () =>
        json<{ learners: { learnerId: string; progress: { done: number } }[] }>(
          await mentorOnB.get(`/api/v1/cohorts/${cohort.id}/learners`),
        ).learners.map((l) => [l.learnerId, l.progress.done]);
      const deadline = Date.now() + 30_000;
      let rows = await done();
      while (rows[0]?.[1] !== 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        rows = await done();
      }
      assert.deepEqual(rows, [[learnerId, 1]]);

      assert.equal((await boss.delete(`/api/v1/cohorts/${cohort.id}/members/${mentorId}`)).statusCode, 204);
      assert.equal(await stream.ended, 'no longer a mentor of this cohort');
      assert.equal((await mentorOnB.get(`/api/v1/cohorts/${cohort.id}/learners`)).statusCode, 404);
    });
  },
);
