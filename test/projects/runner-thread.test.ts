import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { GuardPolicy } from '../../src/projects/network-guard.js';
import type { CheckResult, RunGuard } from '../../src/projects/runner.js';
import { createThreadedRunner } from '../../src/projects/runner.thread.js';
import { listen } from '../fixtures/projects/http.js';

// Check runs execute in worker threads (so newman's test scripts never stall the app's requests).
// The network guard crosses into the worker as data and is rebuilt there: a threaded run is refused
// exactly what an in-thread run is refused, and limits, live results and cancellation still hold.

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const STATUS_200 = "pm.test('answers 200', () => pm.response.to.have.status(200));";

function collection(...items: { name: string; path: string; test?: string; follow?: boolean }[]): unknown {
  return {
    info: { name: 'threaded runner test', schema: SCHEMA },
    item: items.map((item) => ({
      name: item.name,
      ...(item.follow ? { protocolProfileBehavior: { followRedirects: true } } : {}),
      event: [{ listen: 'test', script: { exec: [item.test ?? STATUS_200] } }],
      request: { method: 'GET', url: `{{baseUrl}}${item.path}` },
    })),
  };
}

// Only the fixture's exact address is let through; the rest of loopback stays refused.
const FIXTURE_ONLY: GuardPolicy = { allowPrivate: false, allowAddresses: ['127.0.0.1'] };
const guard = (policy: GuardPolicy): RunGuard => ({ policy, pins: {}, rejectUnauthorized: true });

describe('check runs in worker threads', () => {
  const runner = createThreadedRunner(2);
  after(() => runner.close());

  it('runs every check in a worker and reports each one live, in order', async () => {
    const server = await listen((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('{}');
    });
    try {
      const seen: CheckResult[] = [];
      const outcome = await runner.runChecks({
        collection: collection({ name: 'home', path: '/' }, { name: 'missing', path: '/missing' }),
        baseUrl: server.url,
        guard: guard(FIXTURE_ONLY),
        onCheck: (check) => seen.push(check),
      });
      assert.equal(outcome.outcome, 'failed');
      assert.deepEqual(
        outcome.checks.map((c) => [c.name, c.status, c.passed]),
        [
          ['home', 200, true],
          ['missing', 404, false],
        ],
      );
      assert.deepEqual(
        seen.map((c) => c.name),
        ['home', 'missing'],
      );
      assert.match(
        outcome.checks[1]!.assertions[0]!.error ?? '',
        /expected response to have status code 200/,
      );
    } finally {
      await server.close();
    }
  });

  it('refuses internal addresses inside the worker, also behind a followed redirect', async () => {
    const hits: string[] = [];
    const server = await listen((req, res) => {
      hits.push(req.url ?? '');
      const target = /^\/redirect\?to=(.*)$/.exec(req.url ?? '');
      if (target) res.writeHead(302, { location: decodeURIComponent(target[1]!) });
      res.end();
    });
    try {
      const port = new URL(server.url).port;
      const outcome = await runner.runChecks({
        collection: collection(
          { name: 'to metadata', path: '/redirect?to=http%3A%2F%2F169.254.169.254%2Flatest', follow: true },
          {
            name: 'to loopback',
            path: `/redirect?to=http%3A%2F%2F127.0.0.2%3A${port}%2Fsecret`,
            follow: true,
          },
        ),
        baseUrl: server.url,
        guard: guard(FIXTURE_ONLY),
      });
      assert.notEqual(outcome.outcome, 'passed');
      assert.deepEqual(
        outcome.checks.map((c) => c.passed),
        [false, false],
      );
      assert.match(outcome.checks[0]!.error ?? '', /cloud metadata/);
      assert.match(outcome.checks[1]!.error ?? '', /127\.0\.0\.2 is a loopback address/);
      assert.ok(!hits.includes('/secret'), 'the refused address was never reached');

      const strict = await runner.runChecks({
        collection: collection({ name: 'home', path: '/' }),
        baseUrl: server.url,
        guard: guard({ allowPrivate: false }),
      });
      assert.equal(strict.outcome, 'errored');
      assert.match(strict.checks[0]!.error ?? '', /127\.0\.0\.1 is a loopback address/);
      assert.equal(hits.filter((path) => path === '/').length, 0, 'the fixture was never reached');
    } finally {
      await server.close();
    }
  });

  it('never takes agents it cannot carry into the worker (the guard would be lost)', async () => {
    await assert.rejects(
      runner.runChecks({ collection: collection(), baseUrl: 'http://127.0.0.1:9', requestAgents: {} }),
      /takes `guard`, not `requestAgents`/,
    );
  });

  it('keeps the limits: response cap, request count, and cancellation from the app', async () => {
    const server = await listen((req, res) => res.end(req.url === '/big' ? 'x'.repeat(50_000) : ''));
    try {
      const big = await runner.runChecks({
        collection: collection({ name: 'big', path: '/big' }),
        baseUrl: server.url,
        guard: guard(FIXTURE_ONLY),
        limits: { maxResponseBytes: 10_000 },
      });
      assert.match(big.checks[0]?.error ?? '', /larger than the 10000-byte limit/);

      const loop = collection({
        name: 'loop',
        path: '/',
        test: `${STATUS_200} pm.execution.setNextRequest('loop');`,
      });
      const many = await runner.runChecks({
        collection: loop,
        baseUrl: server.url,
        guard: guard(FIXTURE_ONLY),
        limits: { maxRequests: 5 },
      });
      assert.equal(many.outcome, 'errored');
      assert.match(many.error ?? '', /more than 5 requests/);

      const controller = new AbortController();
      const cancelled = await runner.runChecks({
        collection: loop,
        baseUrl: server.url,
        guard: guard(FIXTURE_ONLY),
        limits: { maxRequests: 100_000 },
        signal: controller.signal,
        onCheck: () => controller.abort(),
      });
      assert.equal(cancelled.outcome, 'errored');
      assert.equal(cancelled.error, 'the run was cancelled');
    } finally {
      await server.close();
    }
  });
});
