import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { maskSecrets, responseExcerpt } from '../../src/projects/runner.excerpts.js';
import { normaliseBaseUrl, runChecks } from '../../src/projects/runner.js';
import type { CheckResult } from '../../src/projects/runner.js';
import { listen } from '../fixtures/projects/http.js';

// The runner's own guarantees, independent of any project: limits, cancellation, the agents hook,
// and evidence that never shows a secret.

function collection(...items: { name: string; path: string; test?: string; pre?: string }[]): unknown {
  return {
    info: {
      name: 'runner test',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    item: items.map((item) => ({
      name: item.name,
      event: [
        ...(item.pre ? [{ listen: 'prerequest', script: { exec: [item.pre] } }] : []),
        {
          listen: 'test',
          script: { exec: [item.test ?? "pm.test('answers 200', () => pm.response.to.have.status(200));"] },
        },
      ],
      request: { method: 'GET', url: `{{baseUrl}}${item.path}` },
    })),
  };
}

async function withServer<T>(handler: http.RequestListener, fn: (url: string) => Promise<T>): Promise<T> {
  const server = await listen(handler);
  try {
    return await fn(server.url);
  } finally {
    await server.close();
  }
}

describe('runChecks', () => {
  it('reports each check as it completes, in collection order, and passes when all do', async () => {
    const seen: CheckResult[] = [];
    const run = await withServer(
      (req, res) => res.end(req.url),
      (url) =>
        runChecks({
          collection: collection({ name: 'first', path: '/a' }, { name: 'second', path: '/b' }),
          baseUrl: `${url}/`,
          onCheck: (check) => seen.push(check),
        }),
    );
    assert.equal(run.outcome, 'passed');
    assert.deepEqual(
      seen.map((c) => [c.index, c.name, c.method, c.status, c.passed]),
      [
        [0, 'first', 'GET', 200, true],
        [1, 'second', 'GET', 200, true],
      ],
    );
    assert.match(seen[1]?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/b$/);
    assert.deepEqual(seen[0]?.assertions, [{ name: 'answers 200', passed: true }]);
  });

  it('fails a check whose assertion fails and keeps the assertion message', async () => {
    const run = await withServer(
      (_req, res) => {
        res.statusCode = 500;
        res.end();
      },
      (url) => runChecks({ collection: collection({ name: 'only', path: '/' }), baseUrl: url }),
    );
    assert.equal(run.outcome, 'failed');
    assert.equal(run.checks[0]?.status, 500);
    assert.match(run.checks[0]?.assertions[0]?.error ?? '', /500/);
  });

  it('ends errored with a clear message when nothing answers, or the base URL is unusable', async () => {
    const closed = await listen((_req, res) => res.end());
    await closed.close();
    const run = await runChecks({ collection: collection({ name: 'only', path: '/' }), baseUrl: closed.url });
    assert.equal(run.outcome, 'errored');
    assert.match(run.error ?? '', /no response from the API: connection refused/);
    const bad = await runChecks({ collection: collection({ name: 'only', path: '/' }), baseUrl: 'ftp://x' });
    assert.equal(bad.outcome, 'errored');
    assert.match(bad.error ?? '', /http:\/\/ or https:\/\//);
    assert.deepEqual(normaliseBaseUrl('http://localhost:3000/api/'), { url: 'http://localhost:3000/api' });
  });

  it('cuts off a response larger than maxResponseBytes', async () => {
    const run = await withServer(
      (_req, res) => res.end('x'.repeat(200_000)),
      (url) =>
        runChecks({
          collection: collection({ name: 'huge', path: '/' }),
          baseUrl: url,
          limits: { maxResponseBytes: 10_000 },
        }),
    );
    assert.equal(run.checks[0]?.passed, false);
    assert.match(run.checks[0]?.error ?? '', /larger than the 10000-byte limit/);
  });

  it('fails a request that exceeds requestTimeoutMs', async () => {
    const run = await withServer(
      (_req, res) => void setTimeout(() => res.end(), 3000),
      (url) =>
        runChecks({
          collection: collection({ name: 'slow', path: '/' }),
          baseUrl: url,
          limits: { requestTimeoutMs: 200 },
        }),
    );
    assert.equal(run.checks[0]?.passed, false);
    assert.match(run.checks[0]?.error ?? '', /no response within 200 ms/);
  });

  it('stops a run that loops past maxRequests, or past totalTimeoutMs, or is cancelled', async () => {
    const loop = collection({
      name: 'loop',
      path: '/',
      test: "pm.test('answers', () => pm.expect(pm.response.code).to.equal(200)); pm.execution.setNextRequest('loop');",
    });
    await withServer(
      (_req, res) => res.end(),
      async (url) => {
        const many = await runChecks({ collection: loop, baseUrl: url, limits: { maxRequests: 5 } });
        assert.equal(many.outcome, 'errored');
        assert.match(many.error ?? '', /more than 5 requests/);
        const long = await runChecks({
          collection: loop,
          baseUrl: url,
          limits: { totalTimeoutMs: 300, maxRequests: 100_000 },
        });
        assert.equal(long.outcome, 'errored');
        assert.match(long.error ?? '', /longer than/);
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 200);
        const cancelled = await runChecks({
          collection: loop,
          baseUrl: url,
          signal: controller.signal,
          limits: { maxRequests: 100_000 },
        });
        assert.equal(cancelled.outcome, 'errored');
        assert.equal(cancelled.error, 'the run was cancelled');
      },
    );
  });

  it('fails a repeated (polled) check when any attempt failed, even if the last one passed', async () => {
    let calls = 0;
    const seen: CheckResult[] = [];
    const run = await withServer(
      (_req, res) => {
        calls += 1;
        res.statusCode = calls === 1 ? 500 : 200;
        res.end();
      },
      (url) =>
        runChecks({
          collection: collection({
            name: 'poll',
            path: '/',
            test:
              "pm.test('answers 200', () => pm.response.to.have.status(200));" +
              " if (pm.collectionVariables.get('again') !== 'no') { pm.collectionVariables.set('again', 'no'); pm.execution.setNextRequest('poll'); }",
          }),
          baseUrl: url,
          onCheck: (check) => seen.push(check),
        }),
    );
    assert.equal(calls, 2);
    assert.deepEqual(
      seen.map((check) => [check.index, check.passed]),
      [
        [0, false],
        [0, false],
      ],
    );
    assert.equal(run.outcome, 'failed');
    assert.equal(run.checks.length, 1);
    assert.deepEqual(
      run.checks[0]?.assertions.map((a) => [a.name, a.passed]),
      [
        ['answers 200', true],
        ['answers 200 (earlier attempt)', false],
      ],
    );
  });

  it('sends every request through the agents it is given', async () => {
    const agent = new http.Agent({ keepAlive: false });
    let connections = 0;
    const create = agent.createConnection.bind(agent);
    agent.createConnection = (options, callback) => {
      connections += 1;
      return create(options, callback);
    };
    const run = await withServer(
      (_req, res) => res.end(),
      (url) =>
        runChecks({
          collection: collection({ name: 'a', path: '/1' }, { name: 'b', path: '/2' }),
          baseUrl: url,
          requestAgents: { http: agent },
        }),
    );
    assert.equal(run.outcome, 'passed');
    assert.equal(connections, 2);
  });

  it('masks credentials and token-looking values in the stored excerpts', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlMTIzNDU2';
    const run = await withServer(
      (_req, res) => {
        res.setHeader('Set-Cookie', 'sid=abc123; HttpOnly');
        res.setHeader('Content-Type', 'application/json');
        res.end(
          JSON.stringify({
            token: 'plain-secret',
            user: 'ada',
            key: 'k3y9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3',
            jwt,
          }),
        );
      },
      (url) =>
        runChecks({
          collection: collection({
            name: 'login',
            path: '/?api_key=hunter2',
            pre: "pm.request.headers.add({ key: 'Authorization', value: 'Bearer abc.def' });",
          }),
          baseUrl: url,
        }),
    );
    const check = run.checks[0];
    const evidence = `${check?.requestExcerpt}\n${check?.responseExcerpt}`;
    for (const secret of [
      'plain-secret',
      'abc123',
      'abc.def',
      'hunter2',
      'k3y9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3',
      jwt,
    ]) {
      assert.ok(!evidence.includes(secret), `${secret} leaked into ${evidence}`);
    }
    assert.match(evidence, /"user":"ada"/);
    assert.match(evidence, /^HTTP 200 OK$/m);
  });
});

describe('excerpts', () => {
  it('are capped at 2 KB', () => {
    const excerpt = responseExcerpt(200, 'OK', [], 'a b '.repeat(5000));
    assert.ok(Buffer.byteLength(excerpt) <= 2048);
    assert.match(excerpt, /… \(cut\)$/);
  });

  it('keep readable ids and paths but hide bearer tokens and secret fields', () => {
    assert.equal(
      maskSecrets('{"id":"first-json-service","password":"pw"} Bearer xyz'),
      '{"id":"first-json-service","password":"•••"} Bearer •••',
    );
  });
});
