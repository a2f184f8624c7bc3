// Read-your-writes across instances, the way a bootcamp deploys Waymark: two server processes on
// PostgreSQL and Redis behind nginx (round robin). After any instance acknowledges a write, no
// instance may serve that learner older data. Caches on each instance check the learner's shared
// version in Redis, so this must hold with 0 stale reads, not "usually".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dialects, REDIS_URL, redisSkip } from '../helpers.js';
import { freePort, nginxSkip, startNginx, type Nginx } from '../../scripts/nginx.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** Write/read pairs in all, spread over learners who work at the same time. */
const PAIRS = Number(process.env.WAYMARK_TEST_RYW_PAIRS ?? 10_000);
const LEARNERS = 8;
const TOPICS = [
  'dns',
  'hosting-basics',
  'acid-transactions',
  'api-versioning',
  'serverless',
  'horizontal-scaling',
];

const postgres = (await dialects()).find((d) => d.name === 'postgres')!;
const skip = postgres.skip ?? (await redisSkip()) ?? nginxSkip();
if (skip && process.env.CI === 'true') throw new Error(`CI=true but ${skip}`);
if (skip) console.log(`# SKIPPED read-your-writes test: ${skip}`);

async function waitUntil(what: string, ok: () => Promise<boolean>, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: the process exited (${child.exitCode})`);
    if (await ok().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within 90 s`);
}

interface Body {
  topics?: { topicId: string; status: string; note: string | null }[];
}

/** A browser-like client of the proxy: keeps its session cookie, sends the public Origin. */
class Learner {
  cookie = '';
  constructor(
    private readonly base: string,
    readonly instances: Map<string, number>,
  ) {}

  /** The roadmap page's HTML (served from a per-user response cache on each instance). */
  async page(path: string): Promise<string> {
    const response = await fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
    const served = response.headers.get('x-served-by') ?? '?';
    this.instances.set(served, (this.instances.get(served) ?? 0) + 1);
    assert.equal(response.status, 200);
    return response.text();
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: Body }> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        origin: this.base,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = response.headers.getSetCookie().find((c) => c.startsWith('waymark_session='));
    if (set) this.cookie = set.split(';')[0]!;
    const served = response.headers.get('x-served-by') ?? '?';
    this.instances.set(served, (this.instances.get(served) ?? 0) + 1);
    return { status: response.status, json: (await response.json()) as Body };
  }
}

describe(
  'read-your-writes through two instances behind nginx (PostgreSQL + Redis)',
  { skip: skip ?? false },
  () => {
    let nginx: Nginx | undefined;
    let database: { url: string; drop(): Promise<void> };
    const children: ChildProcess[] = [];
    let proxy: string;

    before(async () => {
      database = await postgres.create();
      const db = openDatabase(database.url);
      await migrateToLatest(db);
      await db.close();

      const proxyPort = await freePort();
      proxy = `http://127.0.0.1:${proxyPort}`;
      const ports = [await freePort(), await freePort()];
      for (const port of ports) {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
          env: {
            ...process.env,
            PORT: String(port),
            HOST: '127.0.0.1',
            DATABASE_URL: database.url,
            REDIS_URL,
            WAYMARK_PUBLIC_URL: proxy,
            WAYMARK_TRUST_PROXY: 'true',
            WAYMARK_INSECURE_COOKIES: 'true',
            WAYMARK_GUEST_RATE_LIMIT: '1000',
            WAYMARK_PURGE_INTERVAL_MINUTES: '0',
            WAYMARK_SCRYPT_COST: '10',
            LOG_LEVEL: 'warn',
          },
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        children.push(child);
      }
      nginx = await startNginx({ upstreams: ports, port: proxyPort, servedBy: true });
      for (const [i, port] of ports.entries()) {
        await waitUntil(
          `instance ${i + 1} answering /healthz`,
          async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
          children[i],
        );
      }
      await nginx.ready();
    });

    after(async () => {
      const errors = await nginx?.stop();
      if (errors) console.log(`# nginx error log:\n${errors}`);
      for (const child of children) {
        if (child.exitCode === null) child.kill('SIGTERM');
      }
      await Promise.all(
        children.map((child) =>
          child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null,
        ),
      );
      await database?.drop();
    });

    it(`${PAIRS} alternating write/read pairs by ${LEARNERS} learners at once: 0 stale reads, on both instances`, async () => {
      const instances = new Map<string, number>();
      const stale: string[] = [];
      let pairs = 0;
      const statuses = ['learning', 'done', 'skipped', 'pending'] as const;

      async function learner(n: number): Promise<void> {
        const me = new Learner(proxy, instances);
        // The first write makes this visitor a guest (the cookie comes back through nginx).
        const first = await me.request('PUT', `/api/v1/topics/${TOPICS[0]}/progress`, { status: 'learning' });
        assert.equal(first.status, 200, JSON.stringify(first.json));
        assert.ok(me.cookie, 'the first write set a session cookie');
        for (let i = 0; i < PAIRS / LEARNERS; i++) {
          const topic = TOPICS[i % TOPICS.length]!;
          const status = statuses[i % statuses.length]!;
          const note = `learner ${n}, write ${i}`;
          const put = await me.request('PUT', `/api/v1/topics/${topic}/progress`, { status, note });
          assert.equal(put.status, 200, JSON.stringify(put.json));
          // Every learner reads the cached progress view; with round robin the read usually lands
          // on the other instance, whose cache was filled before this write.
          const read = await me.request('GET', '/api/v1/roadmaps/backend/progress');
          assert.equal(read.status, 200, JSON.stringify(read.json));
          const seen = (read.json.topics as { topicId: string; status: string; note: string | null }[]).find(
            (t) => t.topicId === topic,
          );
          if (seen?.status !== status || seen?.note !== note) {
            stale.push(`${note}: read ${seen?.status}/${JSON.stringify(seen?.note)}`);
          }
          // Every fiftieth write, the roadmap page too: its node for the topic shows the new status.
          if (i % 50 === 0) {
            const html = await me.page('/roadmaps/backend');
            const node = new RegExp(`<a [^>]*class="node s-([a-z]+)[^"]*" data-topic="${topic}"`).exec(html);
            assert.ok(node, `the roadmap page has a node for ${topic}`);
            if (node[1] !== status) stale.push(`${note}: the page showed ${node[1]}`);
          }
          // An extra read now and then shifts which instance takes the writes.
          if (i % 7 === n % 7) await me.request('GET', '/api/v1/roadmaps/backend/progress');
          pairs++;
        }
      }

      await Promise.all(Array.from({ length: LEARNERS }, (_, n) => learner(n)));
      assert.equal(pairs, PAIRS);
      assert.deepEqual(stale.slice(0, 10), [], `${stale.length} stale reads in ${PAIRS} pairs`);
      // Both instances took part (round robin), each answering a fair share of the requests.
      const counts = [...instances.entries()].filter(([addr]) => addr !== '?');
      assert.equal(counts.length, 2, `requests were served by ${JSON.stringify([...instances])}`);
      for (const [addr, count] of counts)
        assert.ok(count > PAIRS / 2, `${addr} served only ${count} requests`);
    });
  },
);
