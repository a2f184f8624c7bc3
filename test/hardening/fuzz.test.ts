import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { setRole } from '../../src/auth/auth.service.js';
import { features } from '../../src/features.js';
import { createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { documentedOperations, hiddenOperations, routeCollector, type Operation } from './fuzz/operations.js';
import {
  encodeLoose,
  mutatedValue,
  ODD_STRINGS,
  oddValue,
  Random,
  resolver,
  textOf,
  validValue,
  type Context,
  type Json,
  type Resolve,
  type Schema,
} from './fuzz/values.js';

/**
 * Issue 14, the resilience suite: a bounded, schema-aware fuzzer over every operation of the OpenAPI
 * document the app serves, and over the pages and form posts it hides from that document, on
 * SQLite and PostgreSQL. Inputs are generated from each operation's schemas — values the schema
 * accepts, and the same values broken: wrong types, huge strings, NUL and other odd Unicode,
 * `__proto__`, deep nesting, numbers at the edges, missing and extra fields, malformed JSON,
 * percent-escapes the URL parser refuses — sent as a guest, as a signed-in learner (cookie with
 * the right Origin, and a bearer token), and as a cohort's mentor and the instance admin, with real
 * ids in the paths so the requests get past "not found".
 *
 * Nothing may answer 5xx, and every error of the API must be `application/problem+json` (web
 * routes may answer an HTML page instead). The run is deterministic for a seed: it is printed, and
 * `WAYMARK_FUZZ_SEED=<n>` replays it; `WAYMARK_FUZZ_COUNT` sets the number of requests per dialect.
 */

const SEED = Number(process.env.WAYMARK_FUZZ_SEED ?? 14_2026);
const COUNT = Number(process.env.WAYMARK_FUZZ_COUNT ?? 12_000);
/**
 * A cap on each dialect's run, so a heavily loaded CI machine does not spend minutes here: the run
 * then stops early, having sent a prefix of the same sequence (and says so).
 */
const MAX_SECONDS = Number(process.env.WAYMARK_FUZZ_MAX_SECONDS ?? 75);
/** A request that has not answered after this long is reported (and the run goes on). */
const ANSWER_TIMEOUT_MS = 30_000;
const PASSWORD = 'correct horse battery';

interface Actor {
  name: string;
  headers(): Record<string, string>;
  /** Called when the actor got 401: sign in again (the fuzzer may have signed it out). */
  refresh(): Promise<void>;
  /** Follows Set-Cookie (the guest, who becomes a new guest or an account along the way). */
  follow?(cookie: string | null): void;
}

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

interface Failure {
  label: string;
  actor: string;
  status: number | string;
  contentType: string;
  request: Sent;
  answer: string;
}

function sessionCookieOf(response: LightMyRequestResponse): string | null | undefined {
  const cookie = response.cookies.find((c) => c.name === 'waymark_session');
  if (!cookie) return undefined;
  return cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0) ? null : cookie.value;
}

for (const dialect of await dialects()) {
  describe(
    `schema-aware fuzzer over every operation (${dialect.name})`,
    { skip: dialect.skip ?? false },
    () => {
      let t: TestApp;
      let operations: Operation[] = [];
      let resolve: Resolve;
      let origin = '';
      let host = '';
      const pools = new Map<string, string[]>();
      const actors: Actor[] = [];

      const inject = (request: Sent) => t.app.inject(request);

      before(async () => {
        const collector = routeCollector();
        t = await createTestApp(dialect, {
          // Check runs may be started with fuzzed base URLs: never toward this machine's services.
          env: { WAYMARK_CHECKS_ALLOW_PRIVATE: 'false' },
          features: [collector.feature, ...features],
        });
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        const address = t.app.server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        origin = `http://localhost:${port}`;
        host = `localhost:${port}`;
        const doc = json<{
          paths: Record<string, Record<string, unknown>>;
          components: { schemas: Record<string, Schema> };
        }>(await inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { host } }));
        resolve = resolver(doc.components.schemas);
        operations = [...documentedOperations(doc), ...hiddenOperations(collector.routes)];
        await buildWorld();
      });
      after(async () => t?.close());

      /** Signs up (or in) by the API; returns the session cookie. */
      async function signIn(email: string, signup: boolean): Promise<string> {
        const response = await inject({
          method: 'POST',
          url: signup ? '/api/v1/auth/signup' : '/api/v1/auth/login',
          headers: { host, origin, 'content-type': 'application/json' },
          payload: JSON.stringify({ email, password: PASSWORD }),
        });
        assert.ok(
          response.statusCode < 300,
          `${signup ? 'sign-up' : 'sign-in'} of ${email}: ${response.body}`,
        );
        return sessionCookieOf(response)!;
      }

      async function call(cookie: string, method: string, url: string, body?: unknown) {
        const response = await inject({
          method,
          url,
          headers: {
            host,
            origin,
            cookie: `waymark_session=${cookie}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
        });
        assert.ok(
          response.statusCode < 300,
          `${method} ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`,
        );
        return response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
      }

      function cookieActor(name: string, email: string, cookie: string): Actor {
        let current = cookie;
        return {
          name,
          headers: () => ({ cookie: `waymark_session=${current}`, origin }),
          async refresh() {
            // The fuzzer may have sent wrong passwords for this account; start from a clean count.
            await t.db.kysely.deleteFrom('login_failures').execute();
            current = await signIn(email, false);
          },
        };
      }

      /** An admin who owns a cohort, a mentor of it, a learner in it with a plan, a token and a feed. */
      async function buildWorld(): Promise<void> {
        const add = (name: string, ...values: unknown[]) => {
          const list = pools.get(name) ?? [];
          for (const value of values)
            if (typeof value === 'string' || typeof value === 'number') list.push(String(value));
          pools.set(name, list);
        };
        const adminEmail = 'fuzz-admin@example.org';
        const mentorEmail = 'fuzz-mentor@example.org';
        const learnerEmail = 'fuzz-learner@example.org';
        const adminCookie = await signIn(adminEmail, true);
        assert.ok(await setRole(t.app.authDeps, adminEmail, 'admin'));
        const mentorCookie = await signIn(mentorEmail, true);
        const learnerCookie = await signIn(learnerEmail, true);

        const cohort = await call(adminCookie, 'POST', '/api/v1/cohorts', {
          name: 'Fuzz cohort',
          roadmapIds: ['backend'],
          startDate: '2026-03-02',
          targetWeeks: 20,
          hoursPerWeek: 10,
        });
        const cohortId = String(cohort.id);
        await call(adminCookie, 'POST', `/api/v1/cohorts/${cohortId}/mentors`, { email: mentorEmail });
        const invite = await call(adminCookie, 'POST', `/api/v1/cohorts/${cohortId}/invites`, {
          expiresInDays: 7,
          emailDomain: null,
        });
        await call(learnerCookie, 'POST', `/api/v1/cohort-invites/${String(invite.token)}/join`, {
          displayName: 'Fuzz learner',
          consent: true,
          shareReflections: true,
        });
        const me = await call(learnerCookie, 'GET', '/api/v1/me');
        const learnerId = String(me.id);
        await call(learnerCookie, 'PUT', '/api/v1/topics/dns/progress', { status: 'done', note: 'fuzz' });
        await call(learnerCookie, 'PUT', '/api/v1/roadmaps/backend/plan', {});
        const feed = await call(learnerCookie, 'POST', '/api/v1/roadmaps/backend/plan/feed');
        await call(learnerCookie, 'PUT', '/api/v1/me/profile', {
          handle: 'fuzz-learner',
          displayName: 'Fuzz',
          public: true,
        });
        const token = await call(learnerCookie, 'POST', '/api/v1/me/tokens', {
          name: 'fuzz',
          scope: 'read-write',
        });
        const sessions = await call(learnerCookie, 'GET', '/api/v1/me/sessions');
        const projects = await call(learnerCookie, 'GET', '/api/v1/projects');

        const topics = [...t.content.topics.values()];
        add('roadmapId', ...t.content.roadmaps.keys());
        add('topicId', ...topics.slice(0, 40).map((topic) => topic.id));
        add('itemId', ...topics.flatMap((topic) => topic.checklist.map((item) => item.id)).slice(0, 20));
        add('cardId', ...topics.flatMap((topic) => topic.cards.map((card) => card.id)).slice(0, 20));
        add(
          'setId',
          ...[...t.content.roadmaps.values()].flatMap((roadmap) => roadmap.alternatives.map((set) => set.id)),
        );
        add('cohortId', cohortId);
        add('inviteId', String((invite.invite as { id: string }).id));
        add('token', String(invite.token));
        add('userId', learnerId);
        add('learnerId', learnerId);
        add('handle', 'fuzz-learner');
        add('file', new URL(String(feed.url)).pathname.split('/').pop());
        add('tokenId', (token.token as { id: string }).id);
        add(
          'sessionId',
          ...((sessions.sessions as Array<{ id: string }> | undefined) ?? []).map((s) => s.id),
        );
        add(
          'projectId',
          ...((projects.projects as Array<{ id: string }> | undefined) ?? []).map((p) => p.id),
        );
        add('version', 1, 2, 11);
        add('timeZone', 'UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata');
        add('roadmapIds', ...t.content.roadmaps.keys());
        add('email', mentorEmail, learnerEmail, 'someone-new@example.org');
        add('displayName', 'Fuzz learner', 'Ada');
        add('baseUrl', 'https://learner-api.example.org', 'http://127.0.0.1:1');
        add('weekIndex', 0, 1, 155);

        let guestCookie: string | null = null;
        actors.push({
          name: 'guest',
          headers: () => ({ origin, ...(guestCookie ? { cookie: `waymark_session=${guestCookie}` } : {}) }),
          async refresh() {
            guestCookie = null;
          },
          follow(cookie) {
            guestCookie = cookie;
          },
        });
        actors.push(cookieActor('learner', learnerEmail, learnerCookie));
        let bearer = String(token.secret);
        const learnerForTokens = cookieActor('learner', learnerEmail, learnerCookie);
        actors.push({
          name: 'token',
          headers: () => ({ authorization: `Bearer ${bearer}` }),
          async refresh() {
            await learnerForTokens.refresh();
            const cookie = /waymark_session=([^;]+)/.exec(learnerForTokens.headers().cookie ?? '')![1]!;
            const created = await call(cookie, 'POST', '/api/v1/me/tokens', {
              name: 'fuzz',
              scope: 'read-write',
            });
            bearer = String(created.secret);
          },
        });
        actors.push(cookieActor('mentor', mentorEmail, mentorCookie));
        actors.push(cookieActor('admin', adminEmail, adminCookie));
      }

      function paramValue(name: string, schema: Schema, ctx: Context, broken: boolean): string {
        const pool = pools.get(name);
        if (!broken) return textOf(validValue(schema, ctx, 0, name));
        if (pool?.length && ctx.random.chance(0.3))
          return ctx.random.pick(pool) + ctx.random.pick(ODD_STRINGS);
        return textOf(mutatedValue(schema, ctx, 0, name));
      }

      /** Builds one request for the operation: valid-ish, or broken in one or more places. */
      function requestFor(op: Operation, actor: Actor, ctx: Context): Sent {
        const { random } = ctx;
        const broken = random.chance(0.5);
        const headers: Record<string, string> = { host, ...actor.headers() };
        let path = op.path;
        for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
          const value = paramValue(parameter.name, parameter.schema, ctx, broken && random.chance(0.5));
          // Now and then the value goes into the URL as it is: malformed escapes, slashes, dots.
          const raw = broken && random.chance(0.15);
          const text = raw ? value.replace(/[\s#?]/g, '') || '%zz' : encodeLoose(value);
          path = path.replace(`{${parameter.name}}`, () => text);
        }
        const query = new URLSearchParams();
        for (const parameter of op.parameters.filter((p) => p.in === 'query')) {
          if (!parameter.required && random.chance(0.4)) continue;
          const value = paramValue(parameter.name, parameter.schema, ctx, broken && random.chance(0.5));
          query.append(parameter.name, value);
          if (broken && random.chance(0.1)) query.append(parameter.name, value);
        }
        if (broken && random.chance(0.1))
          query.append(random.pick(['__proto__', 'x', 'constructor[prototype]']), textOf(oddValue(random)));
        const search = query.toString();
        const url = search ? `${path}?${search}` : path;

        if (op.documented)
          headers.accept = random.pick(['application/json', '*/*', 'application/problem+json']);
        else
          headers.accept = random.pick(['text/html', 'text/html,application/xhtml+xml', 'application/json']);
        if (broken && random.chance(0.05)) delete headers.origin;

        let payload: string | undefined;
        if (op.body) {
          const value =
            broken && random.chance(0.7)
              ? mutatedValue(op.body.schema, ctx)
              : validValue(op.body.schema, ctx);
          if (op.body.kind === 'json') {
            headers['content-type'] = 'application/json';
            payload = JSON.stringify(value);
            if (broken && random.chance(0.1)) {
              payload = random.pick([
                '',
                '{"a":',
                '['.repeat(20_000),
                '{"__proto__":{"x":1}}',
                'null',
                '"\\u0000"',
                '{"a":"\\ud800"}',
                `{"x":"${'y'.repeat(1_100_000)}"}`,
              ]);
            }
            if (broken && random.chance(0.05))
              headers['content-type'] = random.pick([
                'text/plain',
                'application/x-www-form-urlencoded',
                'application/json; charset=latin1',
              ]);
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            const form = new URLSearchParams();
            const fields =
              value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value };
            for (const [name, field] of Object.entries(fields)) form.append(name, textOf(field as Json));
            if (broken && random.chance(0.3))
              form.append(
                'return',
                random.pick(['/\u0100', '/\u007f', '//evil.example', 'https://evil.example/', '/ok']),
              );
            if (broken && random.chance(0.1)) for (const [name, field] of [...form]) form.append(name, field);
            payload = form.toString();
          }
        } else if (broken && op.method !== 'GET' && random.chance(0.2)) {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(oddValue(random));
        }
        return { method: op.method, url, headers, ...(payload !== undefined ? { payload } : {}) };
      }

      /** An event stream over a socket: the status and type of its head, then cut. */
      async function stream(request: Sent): Promise<{ status: number; contentType: string; body: string }> {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), ANSWER_TIMEOUT_MS);
        try {
          const { host: _host, ...headers } = request.headers;
          void _host;
          const response = await fetch(`http://127.0.0.1:${new URL(origin).port}${request.url}`, {
            method: request.method,
            headers,
            ...(request.payload !== undefined ? { body: request.payload } : {}),
            signal: controller.signal,
          });
          const contentType = response.headers.get('content-type') ?? '';
          const body = contentType.includes('event-stream') ? '' : await response.text();
          controller.abort();
          return { status: response.status, contentType, body };
        } finally {
          clearTimeout(timer);
        }
      }

      it(`answers every generated request without a 5xx, errors as problem+json (seed ${SEED}, ${COUNT} requests)`, async () => {
        console.log(
          `# fuzz seed ${SEED} (WAYMARK_FUZZ_SEED replays it), ${COUNT} requests over ${operations.length} operations (${operations.filter((o) => o.documented).length} documented)`,
        );
        const random = new Random(SEED + (dialect.name === 'postgres' ? 1 : 0));
        const ctx: Context = { random, resolve, named: pools };
        const failures: Failure[] = [];
        const statuses = new Map<number, number>();
        const reached = new Map<string, Set<number>>();
        const started = Date.now();
        let sent = 0;
        for (let i = 0; i < COUNT; i++) {
          if (Date.now() - started > MAX_SECONDS * 1000 && i >= operations.length * actors.length) {
            console.log(`# stopped after ${i} requests: WAYMARK_FUZZ_MAX_SECONDS (${MAX_SECONDS} s) reached`);
            break;
          }
          sent = i + 1;
          const op = operations[i % operations.length]!;
          const actor = actors[Math.floor(i / operations.length) % actors.length]!;
          let request: Sent;
          try {
            request = requestFor(op, actor, ctx);
          } catch (error) {
            throw new Error(`could not build a request for ${op.label}: ${String(error)}`);
          }
          let status: number | string;
          let contentType = '';
          let body = '';
          try {
            if (op.stream) {
              ({ status, contentType, body } = await stream(request));
            } else {
              const timeout = new Promise<never>((_, reject) => {
                const timer = setTimeout(
                  () => reject(new Error(`no answer in ${ANSWER_TIMEOUT_MS} ms`)),
                  ANSWER_TIMEOUT_MS,
                );
                timer.unref();
              });
              let response: LightMyRequestResponse;
              try {
                response = await Promise.race([inject(request), timeout]);
              } catch (error) {
                // light-my-request refuses some raw URLs before the server sees them: nothing to check.
                if (
                  error instanceof Error &&
                  /^Invalid URL|ERR_INVALID_URL|ERR_UNESCAPED_CHARACTERS/.test(
                    `${error.message}${(error as { code?: string }).code ?? ''}`,
                  ) &&
                  !/no answer/.test(error.message)
                )
                  continue;
                throw error;
              }
              status = response.statusCode;
              contentType = String(response.headers['content-type'] ?? '');
              body = response.body;
              if (actor.follow) {
                const cookie = sessionCookieOf(response);
                if (cookie !== undefined) actor.follow(cookie);
              }
            }
          } catch (error) {
            status = `error: ${error instanceof Error ? error.message : String(error)}`;
          }
          if (typeof status === 'number') {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            const seen = reached.get(op.label) ?? new Set<number>();
            seen.add(status);
            reached.set(op.label, seen);
          }
          const wrongType =
            typeof status === 'number' &&
            status >= 400 &&
            !contentType.startsWith('application/problem+json') &&
            !(!op.documented && contentType.startsWith('text/html'));
          if (typeof status !== 'number' || status >= 500 || wrongType) {
            failures.push({
              label: op.label,
              actor: actor.name,
              status,
              contentType,
              request: { ...request, ...(request.payload ? { payload: request.payload.slice(0, 300) } : {}) },
              answer: body.slice(0, 300),
            });
          }
          if (status === 401 && actor.name !== 'guest') await actor.refresh();
        }
        const seconds = (Date.now() - started) / 1000;
        const documented = operations.filter((o) => o.documented).map((o) => o.label);
        const unreached = documented.filter((label) => !reached.has(label));
        const neverOk = documented.filter((label) => ![...(reached.get(label) ?? [])].some((s) => s < 400));
        const succeeded = documented.length - neverOk.length;
        console.log(
          `# ${dialect.name}: ${sent} requests in ${seconds.toFixed(1)} s; statuses ${[...statuses.entries()]
            .sort((a, b) => a[0] - b[0])
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}; ` +
            `${succeeded} of ${documented.length} documented operations answered 2xx/3xx at least once`,
        );
        console.log(
          `# never answered 2xx/3xx: ${neverOk.map((label) => `${label} [${[...(reached.get(label) ?? [])].join(',')}]`).join('; ')}`,
        );
        for (const failure of failures.slice(0, 20)) console.log(`# FAIL ${JSON.stringify(failure)}`);
        assert.deepEqual(unreached, [], 'every documented operation was called');
        assert.equal(
          failures.length,
          0,
          `${failures.length} answers were 5xx, not problem+json, or missing (first: ${JSON.stringify(failures[0])})`,
        );
      });
    },
  );
}
