// Waymark as the benchmark runs it: one signed-up learner a third of the way through the roadmap,
// production settings. Environment:
//   BENCH_DATABASE_URL   database (default: a fresh SQLite file)
//   BENCH_REDIS_URL      share caches and events through Redis (multi-instance runs)
//   BENCH_PORT           listen on this port (default: any free port)
//   BENCH_HISTORY_ROWS   comma-separated activity-history sizes: one extra learner per size, each
//                        with that many activity rows spread over the past years (dashboard scaling)
//   BENCH_NO_LEARNER     `1`: sign nobody up (a second instance sharing the first one's database)
// It reports { port, cookie, origin, topics, dialect, history: { rows: cookie } } to its parent.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
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
  WAYMARK_GUEST_RATE_LIMIT: '100000',
  WAYMARK_METRICS: 'true',
  WAYMARK_SCRYPT_COST: '14',
  ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
  ...(process.env.BENCH_PUBLIC_URL ? { WAYMARK_PUBLIC_URL: process.env.BENCH_PUBLIC_URL } : {}),
  ...(process.env.BENCH_EXTRA_ENV ? (JSON.parse(process.env.BENCH_EXTRA_ENV) as Record<string, string>) : {}),
});
const runtime = await startRuntime(config);
const app = await buildApp({
  config,
  db: runtime.db,
  content: runtime.content,
  redis: runtime.redis,
  logger: { level: 'warn' },
});
await app.listen({ port: Number(process.env.BENCH_PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
const port = address && typeof address === 'object' ? address.port : 0;
const origin = process.env.BENCH_PUBLIC_URL ?? `http://127.0.0.1:${port}`;
const local = `http://127.0.0.1:${port}`;
const topics = [...runtime.content.roadmaps.get('backend')!.topicIds];

async function learner(label: string): Promise<{ cookie: string; userId: string }> {
  const signup = await fetch(`${local}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({
      email: `bench-${label}-${Date.now()}@example.org`,
      password: 'benchmark password',
    }),
  });
  if (!signup.ok) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
  const cookie = signup.headers.get('set-cookie')?.split(';')[0] ?? '';
  const me = (await (await fetch(`${local}/api/v1/me`, { headers: { cookie } })).json()) as { id: string };
  // A realistic learner: a third of the roadmap touched.
  for (const [i, topicId] of topics.entries()) {
    if (i % 3 !== 0) continue;
    await fetch(`${local}/api/v1/topics/${topicId}/progress`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin, cookie },
      body: JSON.stringify({ status: i % 2 ? 'done' : 'learning', note: 'Some notes about this topic.' }),
    });
  }
  // A saved plan, as a learner who uses the planner has.
  await fetch(`${local}/api/v1/roadmaps/backend/plan`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', origin, cookie },
    body: JSON.stringify({ hoursPerWeek: 10 }),
  });
  return { cookie, userId: me.id };
}

/** Adds `rows` status changes to the learner's history, spread evenly backwards from now. */
async function addHistory(userId: string, rows: number): Promise<void> {
  const now = Date.now();
  const spanMs = 3 * 365 * 24 * 3600 * 1000;
  // SQLite takes at most 32,766 bound values per statement: 4,000 rows of 7 columns stay under it.
  const batch = 4000;
  for (let start = 0; start < rows; start += batch) {
    const values = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const at = new Date(now - Math.floor((spanMs * (i + 1)) / rows)).toISOString();
      values.push({
        user_id: userId,
        topic_id: topics[i % topics.length] ?? 'dns',
        kind: 'status' as const,
        from_status: 'learning',
        to_status: 'done',
        created_at: at,
        detail: null,
      });
    }
    await runtime.db.kysely.insertInto('activity').values(values).execute();
  }
  if (runtime.db.dialect === 'postgres') await sql`analyze activity`.execute(runtime.db.kysely);
}

let main: { cookie: string; userId: string } | null = null;
const history: Record<string, string> = {};
if (process.env.BENCH_NO_LEARNER !== '1') {
  main = await learner('main');
  for (const size of (process.env.BENCH_HISTORY_ROWS ?? '').split(',').filter(Boolean)) {
    const extra = await learner(`history-${size}`);
    await addHistory(extra.userId, Number(size));
    history[size] = extra.cookie;
  }
}
process.send?.({ port, cookie: main?.cookie ?? '', origin, topics, dialect: config.dialect, history });
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => runtime.close())
    .finally(() => process.exit(0));
});
