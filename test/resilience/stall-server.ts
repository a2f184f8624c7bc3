// A Waymark holding the largest account an import accepts, in its own process so that what the
// parent measures (/healthz latency) is the server's blocking and not the test client's own work.
// Reports { port, cookie, feedPath } to its parent; answers 'lag' with the longest event-loop
// stall it saw since the previous 'lag' (a 5 ms timer's lateness), then 'exit' ends it.
import { performance } from 'node:perf_hooks';
import { createTestApp, dialects, json } from '../helpers.js';
import { importLargestAccount } from './largest-account.js';

const [sqlite] = await dialects();
const t = await createTestApp(sqlite!);
const { client } = await importLargestAccount(t, 'largest@example.org');
const feed = json<{ url: string }>(await client.post('/api/v1/roadmaps/backend/plan/feed'));
await t.app.listen({ port: 0, host: '127.0.0.1' });
const address = t.app.server.address();

let worstLag = 0;
let expected = performance.now() + 5;
setInterval(() => {
  const now = performance.now();
  worstLag = Math.max(worstLag, now - expected);
  expected = now + 5;
}, 5);

process.on('message', (message) => {
  if (message === 'lag') {
    process.send?.({ lag: worstLag });
    worstLag = 0;
  } else if (message === 'exit') {
    void t.close().finally(() => process.exit(0));
  }
});
process.send?.({
  port: address && typeof address === 'object' ? address.port : 0,
  cookie: client.cookie,
  feedPath: new URL(feed.url).pathname,
});
