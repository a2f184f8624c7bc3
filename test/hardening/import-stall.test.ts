import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { dialects } from '../helpers.js';
import { startStallServer } from '../resilience/stall-probe.js';

/**
 * Issue 14, item 1: the largest account an import accepts does not stall the server. A server
 * process holds that account; every page, export and feed of it is fetched one at a time, and the
 * server's event loop must never be held 100 ms by one of them (the bound for /healthz).
 *
 * What is asserted is the block the server's own work causes — a 5 ms timer's lateness, counted
 * only as far as the process used CPU meanwhile — so a busy shared CI machine that merely delays
 * the process does not fail the test; the raw lateness is printed beside it. The work per request
 * is kept far below the bound (see the printed table): exports and the calendar are written in
 * slices, long reads are paged. Then every page is fetched at once while /healthz is polled, under
 * the same bound; `npm run test:resilience` repeats that and also asserts the /healthz round trips
 * (wall clock, so only meaningful on a quiet machine).
 */
for (const dialect of await dialects()) {
  describe(`import-stall (${dialect.name})`, { skip: dialect.skip ?? false }, () => {
    it('serves every page of the largest accepted account, one by one and all at once, without blocking the event loop 100 ms', async () => {
      const server = await startStallServer(dialect.name);
      try {
        // Warm-up: first renders compile templates and response serializers.
        for (const path of server.paths) assert.ok((await server.get(path)) < 400, path);
        await server.block();
        const rows: string[] = [];
        let worst = 0;
        for (const path of server.paths) {
          const status = await server.get(path);
          const { block, wall } = await server.block();
          assert.ok(status < 400, `${path} answered ${status}`);
          rows.push(`#   ${block.toFixed(1).padStart(6)} ms (timer late ${wall.toFixed(1)} ms)  ${path}`);
          worst = Math.max(worst, block);
          assert.ok(block < 100, `${path} blocked the event loop for ${block.toFixed(1)} ms`);
        }
        console.log(
          `# longest event-loop block per request (${dialect.name}), worst ${worst.toFixed(1)} ms:`,
        );
        console.log(rows.join('\n'));

        // All at once, with /healthz polled meanwhile: the same bound on the server's own block, which
        // is what delays a /healthz answer beyond its own tiny work. The round trips are printed;
        // they include the machine's load, so they are asserted only by npm run test:resilience.
        // A pass that meets heavy scheduling noise is repeated once; a real stall fails both.
        let together = { block: Infinity, wall: 0 };
        for (let attempt = 1; attempt <= 2 && together.block >= 100; attempt++) {
          let polling = true;
          let worstHealthz = 0;
          let polls = 0;
          const poller = (async () => {
            while (polling) {
              const started = performance.now();
              assert.equal(await server.get('/healthz'), 200);
              worstHealthz = Math.max(worstHealthz, performance.now() - started);
              polls++;
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          })();
          const statuses = await Promise.all(server.paths.map((path) => server.get(path)));
          polling = false;
          await poller;
          together = await server.block();
          statuses.forEach((status, i) => assert.ok(status < 400, `${server.paths[i]} answered ${status}`));
          console.log(
            `# all ${server.paths.length} at once (${dialect.name}, pass ${attempt}): event-loop block ${together.block.toFixed(1)} ms (timer late ${together.wall.toFixed(1)} ms); worst of ${polls} /healthz round trips ${worstHealthz.toFixed(1)} ms`,
          );
        }
        assert.ok(
          together.block < 100,
          `serving every page at once blocked the event loop for ${together.block.toFixed(1)} ms`,
        );
      } finally {
        await server.close();
      }
    });
  });
}
