// Waymark as the benchmark runs it: a fresh database, one signed-up learner, production settings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { startRuntime } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';

const databaseUrl =
  process.env.BENCH_DATABASE_URL ||
  `sqlite:${join(mkdtempSync(join(tmpdir(), 'waymark-bench-')), 'waymark.db')}`;
const config = loadConfig({
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
  WAYMARK_AUTH_RATE_LIMIT: '100000',
  WAYMARK_METRICS: 'true',
});
const runtime = await startRuntime(config);
const app = await buildApp({ config, db: runtime.db, content: runtime.content, logger: { level: 'warn' } });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = address && typeof address === 'object' ? address.port : 0;
const origin = `http://127.0.0.1:${port}`;
const signup = await fetch(`${origin}/api/v1/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin },
  body: JSON.stringify({ email: `bench-${Date.now()}@example.org`, password: 'benchmark password' }),
});
const cookie = signup.headers.get('set-cookie')?.split(';')[0] ?? '';
// A realistic learner: a third of the roadmap touched.
const topics = [...runtime.content.roadmaps.get('backend')!.topicIds];
for (const [i, topicId] of topics.entries()) {
  if (i % 3 !== 0) continue;
  await fetch(`${origin}/api/v1/topics/${topicId}/progress`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', origin, cookie },
    body: JSON.stringify({ status: i % 2 ? 'done' : 'learning', note: 'Some notes about this topic.' }),
  });
}
process.send?.({ port, cookie, origin, topics, dialect: config.dialect });
process.on('SIGINT', () => process.exit(0));
