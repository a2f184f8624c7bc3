import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verifySignedRecord } from '../../src/projects/evidence.js';
import { Client, createTestApp, dialects, json, realContent, type TestApp } from '../helpers.js';
import {
  checksConfig,
  contentWithProjects,
  fixtureProject,
  startFixtureApi,
  type FixtureApi,
} from './fixture.js';

// The projects API end to end on both databases: the catalogue, starting runs (validation, the
// network guard, the per-minute limit), runs executed by the in-process queue against a fixture API
// on 127.0.0.1, verification records with signatures, sharing, applying topics, export/import/delete.

interface Run {
  id: string;
  state: string;
  verified: boolean;
  verificationId: string | null;
  summary: { total: number; passed: number; failed: number };
  checks?: Array<{
    index: number;
    name: string;
    passed: boolean;
    status: number | null;
    requestExcerpt: string | null;
    responseExcerpt: string | null;
  }>;
}

const FINAL = ['passed', 'failed', 'errored', 'interrupted'];

for (const dialect of await dialects()) {
  describe(`projects API (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    let t: TestApp;
    let api: FixtureApi;
    const project = fixtureProject();
    const other = fixtureProject({ id: 'fixture-other', title: 'Another project', topics: ['caching'] });

    before(async () => {
      api = await startFixtureApi();
      const content = contentWithProjects(await realContent(), [project, other]);
      t = await createTestApp(dialect, { content, config: { checks: checksConfig() } });
    });
    after(async () => {
      await t?.close();
      await api?.close();
    });

    async function learner(email: string): Promise<Client> {
      const client = new Client(t.app);
      assert.equal((await client.signup(email)).statusCode, 201);
      return client;
    }

    /** Starts a run and waits (bounded) until it reaches a final state. */
    async function runToEnd(client: Client, projectId = project.id, baseUrl = api.url): Promise<Run> {
      t.clock.advance(61_000); // a new minute for the per-minute limit
      const started = await client.post(`/api/v1/projects/${projectId}/runs`, { baseUrl });
      assert.equal(started.statusCode, 202, started.body);
      const run = json<Run>(started);
      assert.equal(started.headers.location, `/api/v1/projects/${projectId}/runs/${run.id}`);
      for (let i = 0; i < 400; i++) {
        const current = json<Run>(await client.get(`/api/v1/projects/${projectId}/runs/${run.id}`));
        if (FINAL.includes(current.state)) return current;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('the run did not finish');
    }

    it('lists projects with "not started" for a visitor and shows a sanitised brief', async () => {
      const anonymous = new Client(t.app);
      const list = json<{ projects: Array<{ id: string; status: { state: string } }> }>(
        await anonymous.get('/api/v1/projects'),
      );
      assert.deepEqual(
        list.projects.map((p) => [p.id, p.status.state]),
        [
          [project.id, 'not-started'],
          [other.id, 'not-started'],
        ],
      );
      const detail = json<{ briefHtml: string; hints: string[]; collectionUrl: string }>(
        await anonymous.get(`/api/v1/projects/${project.id}`),
      );
      assert.match(detail.briefHtml, /<strong>JSON<\/strong>/);
      assert.doesNotMatch(detail.briefHtml, /<script>/);
      const download = await anonymous.get(detail.collectionUrl);
      assert.equal(download.statusCode, 200);
      assert.equal(download.body, project.collectionJson);
      assert.match(
        String(download.headers['content-disposition']),
        /fixture-json-service\.postman_collection\.json/,
      );
      assert.equal((await anonymous.get('/api/v1/projects/no-such-project')).statusCode, 404);
    });

    it('starting a run needs a session and a valid http(s) URL', async () => {
      const anonymous = new Client(t.app);
      assert.equal(
        (await anonymous.post(`/api/v1/projects/${project.id}/runs`, { baseUrl: api.url })).statusCode,
        401,
      );
      const client = await learner('validate@example.org');
      for (const baseUrl of [
        'not a url',
        'ftp://example.org',
        'http://user:pw@example.org',
        'https://example.org/?q=1',
      ]) {
        const response = await client.post(`/api/v1/projects/${project.id}/runs`, { baseUrl });
        assert.equal(response.statusCode, 400, baseUrl);
        assert.equal(json(response).code, 'validation_failed');
      }
      assert.equal((await client.post(`/api/v1/projects/${project.id}/runs`, {})).statusCode, 400);
    });

    it('refuses internal targets with a clear problem and never contacts them', async () => {
      const client = await learner('ssrf@example.org');
      for (const [baseUrl, words] of [
        ['http://10.0.0.1:8080', /private network address/],
        ['http://169.254.169.254', /cloud metadata/],
        ['http://[::1]:3000', /loopback/],
        ['http://[::ffff:127.0.0.2]/', /loopback/],
        ['http://127.0.0.2:9', /loopback/],
        ['http://100.64.1.2', /carrier-grade NAT/],
        ['http://[fe80::1]/', /link-local/],
        ['http://224.0.0.1/', /multicast/],
      ] as const) {
        const response = await client.post(`/api/v1/projects/${project.id}/runs`, { baseUrl });
        assert.equal(response.statusCode, 422, baseUrl);
        const problem = json<{ code: string; detail: string }>(response);
        assert.equal(problem.code, 'target_refused');
        assert.match(problem.detail, words);
      }
      const runs = json<{ runs: unknown[] }>(await client.get(`/api/v1/projects/${project.id}/runs`));
      assert.equal(runs.runs.length, 0, 'no run was queued');
    });

    it('a passing run stores every check (credentials masked) and a signed verification', async () => {
      const client = await learner('pass@example.org');
      const run = await runToEnd(client);
      assert.equal(run.state, 'passed');
      assert.equal(run.verified, true);
      assert.deepEqual(run.summary, {
        total: 3,
        passed: 3,
        failed: 0,
        durationMs: run.summary['durationMs' as keyof Run['summary']],
      });
      assert.deepEqual(
        run.checks?.map((c) => [c.index, c.passed, c.status]),
        [
          [0, true, 200],
          [1, true, 200],
          [2, true, 404],
        ],
      );
      const excerpts = JSON.stringify(run.checks);
      assert.doesNotMatch(excerpts, /secret-token-123/);
      assert.doesNotMatch(excerpts, /c2lnbmF0dXJl/);

      const list = json<{
        projects: Array<{ id: string; status: { state: string; verificationId: string } }>;
      }>(await client.get('/api/v1/projects'));
      const mine = list.projects.find((p) => p.id === project.id)!;
      assert.equal(mine.status.state, 'verified');
      assert.equal(mine.status.verificationId, run.verificationId);

      const verification = json<{ signed: unknown; shared: boolean }>(
        await client.get(`/api/v1/verifications/${run.verificationId}`),
      );
      assert.equal(verification.shared, false);
      const key = json<{ publicKey: string; keyId: string }>(await client.get('/api/v1/verification-key'));
      const checked = verifySignedRecord(verification.signed, key.publicKey);
      assert.ok(checked.valid, JSON.stringify(checked));
      assert.equal(checked.record.project.id, project.id);
      assert.equal(checked.record.collectionHash, project.collectionHash);
      assert.deepEqual(checked.record.results, {
        ...checked.record.results,
        checks: 3,
        passed: 3,
        failed: 0,
      });
      assert.doesNotMatch(JSON.stringify(checked.record), /pass@example\.org/);
      // The well-known URL serves the same key.
      assert.deepEqual(json(await client.get('/.well-known/waymark-verification-key')), key);
      // A tampered record no longer verifies.
      const tampered = structuredClone(verification.signed) as { record: { results: { failed: number } } };
      tampered.record.results.failed = 0 + 1;
      assert.equal(verifySignedRecord(tampered, key.publicKey).valid, false);
      // Somebody else cannot read it.
      const stranger = await learner('stranger@example.org');
      assert.equal((await stranger.get(`/api/v1/verifications/${run.verificationId}`)).statusCode, 404);
      assert.equal((await stranger.get(`/api/v1/projects/${project.id}/runs/${run.id}`)).statusCode, 404);
    });

    it('a later failing run keeps the verification and the history', async () => {
      const client = await learner('history@example.org');
      const first = await runToEnd(client);
      assert.equal(first.state, 'passed');
      api.mode.broken = true;
      try {
        const second = await runToEnd(client);
        assert.equal(second.state, 'failed');
        assert.equal(second.verified, false);
        const failedCheck = second.checks?.find((c) => c.index === 1);
        assert.equal(failedCheck?.passed, false);
        assert.equal(failedCheck?.status, 500);
      } finally {
        api.mode.broken = false;
      }
      const runs = json<{ runs: Run[] }>(await client.get(`/api/v1/projects/${project.id}/runs`));
      assert.deepEqual(
        runs.runs.map((r) => r.state),
        ['failed', 'passed'],
      );
      const detail = json<{ status: { state: string } }>(await client.get(`/api/v1/projects/${project.id}`));
      assert.equal(detail.status.state, 'verified');
      const verifications = json<{ verifications: unknown[] }>(
        await client.get(`/api/v1/projects/${project.id}/verifications`),
      );
      assert.equal(verifications.verifications.length, 1);
    });

    it('streams a finished run as server-sent events ending with its state', async () => {
      const client = await learner('stream@example.org');
      const run = await runToEnd(client);
      const response = await client.get(`/api/v1/projects/${project.id}/runs/${run.id}/events`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /text\/event-stream/);
      const events = [...response.body.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => [
        m[1],
        JSON.parse(m[2]!),
      ]);
      assert.deepEqual(
        events.map(([type, data]) => (type === 'check' ? `check ${data.index}` : `state ${data.state}`)),
        ['check 0', 'check 1', 'check 2', 'state passed'],
      );
    });

    it('shares a record through an unguessable link that can be turned off', async () => {
      const client = await learner('share@example.org');
      const run = await runToEnd(client);
      const on = json<{ shareUrl: string; verification: { shared: boolean } }>(
        await client.put(`/api/v1/verifications/${run.verificationId}/sharing`, { shared: true }),
      );
      assert.equal(on.verification.shared, true);
      const token = on.shareUrl.replace('/v/', '');
      assert.ok(token.length >= 32);
      const publicView = await new Client(t.app).get(`/api/v1/verifications/shared/${token}`);
      assert.equal(publicView.statusCode, 200);
      assert.equal(json<{ record: { id: string } }>(publicView).record.id, run.verificationId);
      await client.put(`/api/v1/verifications/${run.verificationId}/sharing`, { shared: false });
      assert.equal((await new Client(t.app).get(`/api/v1/verifications/shared/${token}`)).statusCode, 404);
      assert.equal((await new Client(t.app).get('/api/v1/verifications/shared/wv_guess')).statusCode, 404);
    });

    it('applies verified topics as done only when the learner asks, and only for a verified project', async () => {
      const client = await learner('apply@example.org');
      const refused = await client.post(`/api/v1/projects/${other.id}/apply-topics`);
      assert.equal(refused.statusCode, 409);
      assert.equal(json(refused).code, 'project_not_verified');
      await runToEnd(client);
      const detail = json<{ topics: string[] }>(await client.get(`/api/v1/projects/${project.id}`));
      const before = json<{ topics: Array<{ topicId: string }> }>(
        await client.get('/api/v1/me/verified-topics'),
      );
      assert.deepEqual(before.topics.map((t) => t.topicId).sort(), [...detail.topics].sort());
      // Reading the roadmap fills the progress cache; applying must not leave it serving the old rows.
      type Statuses = { statuses: Record<string, string> };
      const cached = json<Statuses>(await client.get(`/api/v1/roadmaps/${project.roadmapId}`));
      for (const topicId of detail.topics) assert.notEqual(cached.statuses[topicId], 'done');
      const applied = json<{ changed: string[] }>(
        await client.post(`/api/v1/projects/${project.id}/apply-topics`),
      );
      assert.deepEqual(applied.changed.sort(), [...detail.topics].sort());
      const fresh = json<Statuses>(await client.get(`/api/v1/roadmaps/${project.roadmapId}`));
      for (const topicId of detail.topics) assert.equal(fresh.statuses[topicId], 'done', topicId);
      for (const topicId of detail.topics) {
        const topic = json<{ progress: { status: string }; verifiedBy: string[] }>(
          await client.get(`/api/v1/topics/${topicId}`),
        );
        assert.equal(topic.progress.status, 'done');
        assert.deepEqual(topic.verifiedBy, [project.id]);
      }
      const again = json<{ changed: string[] }>(
        await client.post(`/api/v1/projects/${project.id}/apply-topics`),
      );
      assert.deepEqual(again.changed, []);
    });

    it('limits runs per learner per minute with a 429 and Retry-After', async () => {
      const client = await learner('limit@example.org');
      t.clock.advance(61_000);
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await client.post(`/api/v1/projects/${project.id}/runs`, { baseUrl: api.url })).statusCode,
          202,
        );
      }
      const limited = await client.post(`/api/v1/projects/${project.id}/runs`, { baseUrl: api.url });
      assert.equal(limited.statusCode, 429);
      assert.equal(json(limited).code, 'too_many_runs');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      t.clock.advance(61_000);
      assert.equal(
        (await client.post(`/api/v1/projects/${project.id}/runs`, { baseUrl: api.url })).statusCode,
        202,
      );
    });

    it('exports runs and verifications, imports them elsewhere, and deleting the account removes them', async () => {
      const client = await learner('export@example.org');
      const run = await runToEnd(client);
      const exported = json<{
        projects: { runs: Array<{ id: string; checks: unknown[] }>; verifications: Array<{ id: string }> };
      }>(await client.get('/api/v1/me/export'));
      assert.equal(exported.projects.runs.length, 1);
      assert.equal(exported.projects.runs[0]!.checks.length, 3);
      assert.equal(exported.projects.verifications[0]!.id, run.verificationId);

      // Importing into the same account is idempotent.
      const again = await client.post('/api/v1/me/import', exported);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(
        json<{ runs: unknown[] }>(await client.get(`/api/v1/projects/${project.id}/runs`)).runs.length,
        1,
      );

      const deleted = await client.delete('/api/v1/me', { password: 'correct horse battery' });
      assert.equal(deleted.statusCode, 204);
      const left = await t.db.kysely
        .selectFrom('project_runs')
        .select('id')
        .where('id', '=', run.id)
        .execute();
      assert.equal(left.length, 0);
      const verifications = await t.db.kysely
        .selectFrom('project_verifications')
        .select('id')
        .where('id', '=', run.verificationId!)
        .execute();
      assert.equal(verifications.length, 0);

      // A new account can import the export (e.g. moving to another server).
      const moved = await learner('moved@example.org');
      assert.equal((await moved.post('/api/v1/me/import', exported)).statusCode, 200);
      const runs = json<{ runs: Run[] }>(await moved.get(`/api/v1/projects/${project.id}/runs`));
      assert.equal(runs.runs[0]?.state, 'passed');
      assert.equal(runs.runs[0]?.verified, true);
    });

    it('every projects route is in the OpenAPI document with an operationId', async () => {
      const doc = json<{ paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>> }>(
        await new Client(t.app).get('/api/v1/openapi.json'),
      );
      const ours = Object.entries(doc.paths).filter(([path]) => /projects|verification/.test(path));
      assert.ok(ours.length >= 9);
      for (const [path, methods] of ours) {
        for (const [method, operation] of Object.entries(methods)) {
          assert.ok(operation.operationId, `${method} ${path} has an operationId`);
          assert.ok(operation.tags?.length, `${method} ${path} has tags`);
        }
      }
    });
  });
}
