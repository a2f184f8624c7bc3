import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Client, createTestApp, dialects, json, ORIGIN, type TestApp } from '../helpers.js';

const [sqlite] = await dialects();
// Fuzzing uses a fixed seed so a failure reproduces; fast-check prints it with the counterexample.
const FUZZ_SEED = 20260302;

describe('request security', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!, { config: { authRateLimit: 5, guestRateLimit: 3 } });
  });
  after(async () => t?.close());

  it('refuses cross-origin state-changing requests, JSON ones included', async () => {
    const victim = new Client(t.app);
    await victim.put('/api/v1/topics/dns/progress', { status: 'done' });
    const evil = new Client(t.app, 'https://evil.example');
    evil.cookie = victim.cookie;
    const res = await evil.put('/api/v1/topics/dns/progress', { status: 'pending' });
    assert.equal(res.statusCode, 403);
    assert.equal(json(res).code, 'origin_mismatch');
    const noOrigin = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/roadmaps/backend/progress',
      headers: { host: 'localhost:3000', cookie: `waymark_session=${victim.cookie}` },
    });
    assert.equal(noOrigin.statusCode, 403);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: {
        host: 'localhost:3000',
        origin: 'null',
        cookie: `waymark_session=${victim.cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: '',
    });
    assert.equal(form.statusCode, 403);
    const still = json<{ progress: { status: string } }>(await victim.get('/api/v1/topics/dns'));
    assert.equal(still.progress.status, 'done');
  });

  it('rate-limits login per client address: the limit, Retry-After, and the message', async () => {
    const statuses: number[] = [];
    const responses = [];
    for (let i = 0; i < 7; i++) {
      const response = await new Client(t.app).login('nobody@example.org', 'wrong password');
      responses.push(response);
      statuses.push(response.statusCode);
    }
    // WAYMARK_AUTH_RATE_LIMIT is 5 here: five answers, then the window is closed.
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    assert.equal(json(responses[0]!).detail, 'The email or password is incorrect.');
    const limited = responses[5]!;
    assert.equal(json(limited).code, 'rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter} within the one-minute window`);
    assert.match(json<{ detail: string }>(limited).detail, new RegExp(`Wait ${retryAfter} seconds`));
  });

  it('rate-limits guest creation per client address: the limit, Retry-After, and no guest beyond it', async () => {
    const guests = async () =>
      Number(
        (
          await t.db.kysely
            .selectFrom('users')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('is_guest', '=', 1)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await guests();
    const responses = [];
    for (let i = 0; i < 5; i++)
      responses.push(
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/topics/dns/progress',
          remoteAddress: '203.0.113.9',
          headers: { host: new URL(ORIGIN).host, origin: ORIGIN, 'content-type': 'application/json' },
          payload: JSON.stringify({ status: 'done' }),
        }),
      );
    // WAYMARK_GUEST_RATE_LIMIT is 3 here (per address per hour).
    assert.deepEqual(
      responses.map((r) => r.statusCode),
      [200, 200, 200, 429, 429],
    );
    const limited = responses[3]!;
    assert.equal(json(limited).code, 'rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After ${retryAfter} within the hour`);
    assert.equal(
      limited.cookies.find((c) => c.name === 'waymark_session'),
      undefined,
      'no session for a refused guest',
    );
    assert.equal(await guests(), before + 3, 'exactly three guests were created, none beyond the limit');
  });

  it('sends security headers and a strict Content-Security-Policy on pages', async () => {
    const res = await t.app.inject('/');
    assert.match(String(res.headers['content-type']), /text\/html/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  });

  it('locks machine-readable responses down further: they may load nothing and never be framed', async () => {
    for (const url of ['/healthz', '/api/v1/roadmaps', '/api/v1/no-such-thing', '/metrics']) {
      const res = await t.app.inject(url);
      assert.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    }
  });

  it('health, readiness, metrics and the OpenAPI 3.1 document', async () => {
    assert.equal(json(await t.app.inject('/healthz')).status, 'ok');
    const ready = json(await t.app.inject('/readyz'));
    assert.equal(ready.status, 'ready');
    assert.equal(ready.database, 'sqlite');
    const doc = json<{ openapi: string; paths: Record<string, unknown> }>(
      await t.app.inject('/api/v1/openapi.json'),
    );
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/api/v1/roadmaps',
      '/api/v1/topics/{topicId}/progress',
      '/api/v1/me/export',
      '/api/v1/auth/login',
    ]) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
    const docs = await t.app.inject('/api/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
    const metrics = await t.app.inject('/metrics');
    assert.match(metrics.body, /waymark_http_requests_total/);
  });

  it(`never answers a client mistake with a 5xx (fuzzed bodies, ids and headers; seed ${FUZZ_SEED})`, async () => {
    const c = new Client(t.app);
    await c.signup('fuzz@example.org');
    const paths = [
      '/api/v1/topics/dns/progress',
      '/api/v1/auth/login',
      '/api/v1/me/import',
      '/api/v1/me/tokens',
      '/api/v1/me/password',
      '/api/v1/topics/dns/note',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom('PUT', 'POST', 'DELETE') as fc.Arbitrary<'PUT' | 'POST' | 'DELETE'>,
        fc.jsonValue(),
        async (path, method, body) => {
          const res = await c.request(method, path, body);
          assert.ok(
            res.statusCode < 500,
            `${method} ${path} ${JSON.stringify(body)} -> ${res.statusCode} ${res.body}`,
          );
        },
      ),
      { seed: FUZZ_SEED, numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (id) => {
        const res = await c.get(`/api/v1/topics/${encodeURIComponent(id)}`);
        assert.ok(res.statusCode < 500, `${id} -> ${res.statusCode}`);
      }),
      { seed: FUZZ_SEED, numRuns: 100 },
    );
    const weird = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/topics/dns/progress',
      headers: { host: 'localhost:3000', origin: 'http://localhost:3000', 'content-type': 'text/xml' },
      payload: '<x/>',
    });
    assert.equal(weird.statusCode, 415);
    const huge = await c.put('/api/v1/topics/dns/progress', { status: 'done', note: 'y'.repeat(2_000_000) });
    assert.equal(huge.statusCode, 413);
  });
});
