import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * Issue 14, item 1: the largest account an import accepts must not stall the server. While every
 * page and export of that account is served (concurrently), /healthz keeps answering within 100 ms
 * and the event loop is never blocked that long. Two independent measurements: the longest
 * /healthz round trip from a poller running beside the page fetches, and the event loop's own
 * longest stall (the lateness of a 5 ms timer in the server process). Not yet met: see README.
 */
describe('import-stall check: the largest accepted account does not stall the server', () => {
  it('keeps /healthz under 100 ms while every page of that account is served', async () => {
    const server = fork(fileURLToPath(new URL('./stall-server.ts', import.meta.url)), {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const ready = (await once(server, 'message'))[0] as { port: number; cookie: string; feedPath: string };
      const base = `http://127.0.0.1:${ready.port}`;
      const headers = { cookie: `waymark_session=${ready.cookie}`, accept: 'text/html,application/json' };
      const paths = [
        '/',
        '/roadmaps/backend',
        '/roadmaps/backend?view=list',
        '/roadmaps/backend/print',
        '/roadmaps/backend/plan',
        '/roadmaps/backend/plan/print',
        '/roadmaps/backend/plan/versions/1',
        '/dashboard',
        '/review',
        '/settings',
        '/api/v1/me/export',
        '/api/v1/me/export.csv',
        '/api/v1/roadmaps/backend/progress',
        '/api/v1/roadmaps/backend/checklist.md',
        '/api/v1/roadmaps/backend/plan',
        '/api/v1/roadmaps/backend/plan/versions',
        '/api/v1/roadmaps/backend/plan.ics',
        '/api/v1/dashboard',
        '/api/v1/review/queue',
        '/api/v1/review/summary',
        ready.feedPath,
      ];
      const fetchAll = () =>
        Promise.all(
          paths.map(async (path) => {
            const res = await fetch(base + path, { headers });
            await res.arrayBuffer();
            return [path, res.status] as const;
          }),
        );
      // Warm-up: first renders compile templates and schemas; what matters is steady state.
      await fetchAll();
      const lag = async () => {
        server.send('lag');
        return ((await once(server, 'message'))[0] as { lag: number }).lag;
      };
      await lag();

      let polling = true;
      let worstHealthz = 0;
      const poller = (async () => {
        while (polling) {
          const started = performance.now();
          const res = await fetch(`${base}/healthz`);
          await res.arrayBuffer();
          assert.equal(res.status, 200);
          worstHealthz = Math.max(worstHealthz, performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const statuses = await fetchAll();
      polling = false;
      await poller;
      const worstLag = await lag();
      for (const [path, status] of statuses) assert.ok(status < 400, `${path} answered ${status}`);
      console.log(
        `# worst /healthz ${worstHealthz.toFixed(1)} ms; worst server event-loop stall ${worstLag.toFixed(1)} ms`,
      );
      assert.ok(worstLag < 100, `the server's event loop stalled for ${worstLag.toFixed(1)} ms`);
      assert.ok(worstHealthz < 100, `/healthz took ${worstHealthz.toFixed(1)} ms`);
    } finally {
      server.send('exit');
      await once(server, 'exit');
    }
  });
});
