// A Waymark holding the largest account an import accepts (on the dialect named by argv[2]), in its own process so that what the
// parent measures is the server's blocking and not the test client's own work. Reports
// { port, cookie, feedPath } to its parent; answers 'lag' with the longest event-loop block seen
// since the previous 'lag', then 'exit' ends it.
//
// The block is measured by a 5 ms timer: how late it fires (`wall`), and how much CPU time this
// process used meanwhile (`cpu`). On a busy shared machine a timer also fires late when the process
// simply did not get a core; then little CPU was used. `block` = min(wall, cpu) is the part that
// this process's own work held the loop, which is what a request of the account can cause.
import { performance } from 'node:perf_hooks';
import { createTestApp, dialects, json } from '../helpers.js';
import { importLargestAccount } from './largest-account.js';

const dialect = (await dialects()).find((d) => d.name === (process.argv[2] ?? 'sqlite'))!;
const t = await createTestApp(dialect);
const { client } = await importLargestAccount(t, 'largest@example.org');
const feed = json<{ url: string }>(await client.post('/api/v1/roadmaps/backend/plan/feed'));
await t.app.listen({ port: 0, host: '127.0.0.1' });
const address = t.app.server.address();

const TICK = 5;
let worst = { wall: 0, block: 0 };
let expected = performance.now() + TICK;
let cpu = process.cpuUsage();
setInterval(() => {
  const now = performance.now();
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  const wall = Math.max(0, now - expected);
  const block = Math.min(wall, (used.user + used.system) / 1000);
  worst = { wall: Math.max(worst.wall, wall), block: Math.max(worst.block, block) };
  expected = now + TICK;
}, TICK);

process.on('message', (message) => {
  if (message === 'lag') {
    process.send?.({ lag: worst.block, wall: worst.wall });
    worst = { wall: 0, block: 0 };
  } else if (message === 'exit') {
    void t.close().finally(() => process.exit(0));
  }
});
process.send?.({
  port: address && typeof address === 'object' ? address.port : 0,
  cookie: client.cookie,
  feedPath: new URL(feed.url).pathname,
});
