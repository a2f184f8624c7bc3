import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../resilience/server-process.js';
import { Random } from './fuzz/values.js';

/**
 * Issue 14, the resilience suite's soak: the real server process (`src/server.ts`, SQLite) under a
 * mixed workload of learners and guests for a bounded time — reads of pages and the API, progress
 * and note writes, plans, exports, event streams opened and dropped, sign-ins — and a closing report
 * with the server's RSS and the p99 round trip at the start and at the end.
 *
 * Asserted are only things a user would notice whatever the machine's load: no 5xx, no failed
 * request, and memory that does not run away (RSS at the end below twice the start plus 100 MiB).
 * The timings are printed, not asserted. `WAYMARK_SOAK_SECONDS` sets the duration (default 35).
 */

const SECONDS = Number(process.env.WAYMARK_SOAK_SECONDS ?? 35);
const LEARNERS = 6;
const GUESTS = 2;
const WINDOW_MS = 5000;
const MiB = 1024 * 1024;

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib * 1024;
}

function p99(samples: number[]): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

const onLinux = (() => {
  try {
    readFileSync('/proc/self/status');
    return null;
  } catch {
    return 'reads RSS from /proc (Linux only)';
  }
})();

describe('soak: the server process under a mixed workload', { skip: onLinux ?? false }, () => {
  it(
    `serves ${SECONDS} s of mixed traffic without an error or a 5xx, and its memory stays bounded`,
    { timeout: (SECONDS + 120) * 1000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'waymark-soak-'));
      const { child, origin } = await startServer({
        DATABASE_URL: `sqlite:${join(dir, 'waymark.db')}`,
        WAYMARK_AUTH_RATE_LIMIT: '100000',
        WAYMARK_GUEST_RATE_LIMIT: '100000',
      });
      const random = new Random(14);
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      const samples: Array<{ at: number; ms: number }> = [];
      let requests = 0;
      try {
        /** One request; records its round trip and status. `ok` lists the statuses that are correct here. */
        async function send(
          cookie: string | null,
          method: string,
          path: string,
          body?: unknown,
          ok: readonly number[] = [200, 201, 204, 303],
        ): Promise<Response | null> {
          const started = performance.now();
          try {
            const response = await fetch(origin + path, {
              method,
              redirect: 'manual',
              headers: {
                origin,
                accept: path.startsWith('/api/') ? 'application/json' : 'text/html',
                ...(cookie ? { cookie } : {}),
                ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
              },
              ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            });
            await response.arrayBuffer();
            const ms = performance.now() - started;
            samples.push({ at: started, ms });
            requests++;
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (!ok.includes(response.status)) failures.push(`${method} ${path} answered ${response.status}`);
            return response;
          } catch (error) {
            failures.push(
              `${method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
            return null;
          }
        }
        const cookieOf = (response: Response | null) =>
          /waymark_session=[^;]+/.exec(response?.headers.get('set-cookie') ?? '')?.[0] ?? null;

        const topics = ['dns', 'git-basics', 'backend-role', 'acid-transactions', 'api-concepts', 'alerting'];
        const deadline = performance.now() + SECONDS * 1000;
        const startedAt = performance.now();

        // Warm-up: first renders compile templates; the start figures are taken after it.
        await send(null, 'GET', '/roadmaps/backend');
        await send(null, 'GET', '/api/v1/roadmaps/backend');
        const rssStart = rssOf(child.pid!);
        let rssMax = rssStart;
        const sampler = setInterval(() => {
          rssMax = Math.max(rssMax, rssOf(child.pid!));
        }, 1000);

        async function learner(n: number): Promise<void> {
          const email = `soak-${n}@example.org`;
          const password = 'correct horse battery';
          let cookie = cookieOf(await send(null, 'POST', '/api/v1/auth/signup', { email, password }, [201]));
          await send(cookie, 'PUT', '/api/v1/roadmaps/backend/plan', {});
          while (performance.now() < deadline) {
            const topic = random.pick(topics);
            switch (random.int(0, 11)) {
              case 0:
              case 1:
                await send(cookie, 'PUT', `/api/v1/topics/${topic}/progress`, {
                  status: random.pick(['pending', 'learning', 'done', 'skipped']),
                });
                break;
              case 2:
                await send(cookie, 'PUT', `/api/v1/topics/${topic}/note`, { note: `note ${random.word()}` });
                break;
              case 3:
                await send(cookie, 'GET', '/api/v1/roadmaps/backend/progress');
                break;
              case 4:
                await send(
                  cookie,
                  'GET',
                  random.pick(['/roadmaps/backend', '/roadmaps/backend?view=list', '/']),
                );
                break;
              case 5:
                await send(cookie, 'GET', random.pick(['/api/v1/dashboard', '/dashboard']));
                break;
              case 6:
                await send(
                  cookie,
                  'GET',
                  random.pick(['/api/v1/roadmaps/backend/plan', '/roadmaps/backend/plan']),
                );
                break;
              case 7:
                await send(
                  cookie,
                  'GET',
                  random.pick([
                    '/api/v1/me/export',
                    '/api/v1/me/export.csv',
                    '/api/v1/roadmaps/backend/checklist.md',
                  ]),
                );
                break;
              case 8:
                await send(
                  cookie,
                  'GET',
                  random.pick(['/api/v1/review/queue', '/review', `/roadmaps/backend/topics/${topic}`]),
                );
                break;
              case 9: {
                // An event stream opened, then dropped once its head arrived (a tab closed).
                const controller = new AbortController();
                const timer = setTimeout(() => controller.abort(), 30_000);
                try {
                  const stream = await fetch(`${origin}/api/v1/events`, {
                    headers: { cookie: cookie ?? '' },
                    signal: controller.signal,
                  });
                  requests++;
                  if (stream.status !== 200) failures.push(`GET /api/v1/events answered ${stream.status}`);
                } catch (error) {
                  failures.push(
                    `GET /api/v1/events failed: ${error instanceof Error ? error.message : String(error)}`,
                  );
                } finally {
                  clearTimeout(timer);
                  controller.abort();
                }
                break;
              }
              case 10:
                if (random.chance(0.3)) {
                  const signedIn = cookieOf(
                    await send(null, 'POST', '/api/v1/auth/login', { email, password }),
                  );
                  if (signedIn) cookie = signedIn;
                } else await send(cookie, 'GET', '/api/v1/me');
                break;
              default:
                await send(null, 'GET', '/healthz');
            }
          }
        }

        async function guest(): Promise<void> {
          while (performance.now() < deadline) {
            // A new visitor: reads, then ticks a topic (which makes them a guest), then reads it back.
            await send(null, 'GET', random.pick(['/', '/roadmaps/backend', '/api/v1/roadmaps']));
            const cookie = cookieOf(
              await send(null, 'PUT', `/api/v1/topics/${random.pick(topics)}/progress`, {
                status: 'learning',
              }),
            );
            await send(cookie, 'GET', '/api/v1/roadmaps/backend/progress');
          }
        }

        await Promise.all([
          ...Array.from({ length: LEARNERS }, (_, n) => learner(n)),
          ...Array.from({ length: GUESTS }, () => guest()),
        ]);
        clearInterval(sampler);
        const rssEnd = rssOf(child.pid!);
        rssMax = Math.max(rssMax, rssEnd);
        const endedAt = performance.now();
        const first = samples.filter((s) => s.at < startedAt + WINDOW_MS).map((s) => s.ms);
        const last = samples.filter((s) => s.at >= endedAt - WINDOW_MS - 1000).map((s) => s.ms);
        const seconds = (endedAt - startedAt) / 1000;
        console.log(
          `# soak: ${requests} requests in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)}/s), ${LEARNERS} learners + ${GUESTS} guest streams; statuses ${[
            ...statuses.entries(),
          ]
            .sort((a, b) => a[0] - b[0])
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
        );
        console.log(
          `# soak: p99 round trip ${p99(first).toFixed(1)} ms in the first ${WINDOW_MS / 1000} s (${first.length} requests) → ${p99(last).toFixed(1)} ms in the last ${WINDOW_MS / 1000} s (${last.length})`,
        );
        console.log(
          `# soak: server RSS ${(rssStart / MiB).toFixed(0)} MiB at the start → ${(rssEnd / MiB).toFixed(0)} MiB at the end (max ${(rssMax / MiB).toFixed(0)} MiB)`,
        );
        for (const failure of failures.slice(0, 20)) console.log(`# FAIL ${failure}`);
        assert.deepEqual(failures, [], `${failures.length} requests failed or answered an unexpected status`);
        assert.ok(requests > 0);
        assert.ok(
          rssEnd < 2 * rssStart + 100 * MiB,
          `RSS grew from ${(rssStart / MiB).toFixed(0)} to ${(rssEnd / MiB).toFixed(0)} MiB`,
        );
      } finally {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await once(child, 'exit');
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
