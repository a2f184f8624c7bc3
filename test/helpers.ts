import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadValidContent } from '../src/bootstrap.js';
import { loadConfig, type Config } from '../src/config.js';
import type { Content } from '../src/content/content.types.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { applyTopicAliases } from '../src/progress/progress.service.js';
import { ManualClock, type Clock } from '../src/lib/clock.js';
import { userDataSections, type FeatureManifest } from '../src/features.js';

export const ORIGIN = 'http://localhost:3000';
const POSTGRES_URL = process.env.WAYMARK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The Redis the scale-out, worker and read-your-writes tests share (each uses its own key prefix). */
export const REDIS_URL = process.env.WAYMARK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Null when Redis answers at {@link REDIS_URL}, else why not (printed as the skip message).
 * With CI=true an unreachable Redis fails the run instead of skipping.
 */
export async function redisSkip(): Promise<string | null> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    const reason = `Redis is not reachable at ${REDIS_URL} (${error instanceof Error ? error.message : error}); set WAYMARK_TEST_REDIS_URL to run these tests`;
    if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
    return reason;
  } finally {
    probe.disconnect();
  }
}

let contentPromise: Promise<Content> | null = null;
/** The real roadmaps shipped in the repository, loaded once per test process. */
export function realContent(): Promise<Content> {
  contentPromise ??= loadValidContent(process.env.WAYMARK_TEST_CONTENT_DIR ?? 'roadmaps');
  return contentPromise;
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** Null when this dialect cannot run here; the reason is printed as the skip message. */
  skip: string | null;
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL is not reachable at ${POSTGRES_URL} (${error instanceof Error ? error.message : error}); set WAYMARK_TEST_POSTGRES_URL to run these tests`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The SQL dialects every repository/API test runs against. SQLite always; PostgreSQL when
 * reachable. With CI=true an unreachable PostgreSQL fails the run instead of skipping.
 */
export async function dialects(): Promise<Dialect[]> {
  const pgSkip = await postgresReachable();
  if (pgSkip && process.env.CI === 'true') throw new Error(`CI=true but ${pgSkip}`);
  if (pgSkip) console.log(`# SKIPPED PostgreSQL runs: ${pgSkip}`);
  return [
    {
      name: 'sqlite',
      skip: null,
      async create() {
        const dir = mkdtempSync(join(tmpdir(), 'waymark-test-'));
        return {
          url: `sqlite:${join(dir, 'waymark.db')}`,
          drop: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
    {
      name: 'postgres',
      skip: pgSkip,
      async create() {
        const name = `waymark_test_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: POSTGRES_URL });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const url = new URL(POSTGRES_URL);
        url.pathname = `/${name}`;
        return {
          url: url.toString(),
          async drop() {
            const client = new pg.Client({ connectionString: POSTGRES_URL });
            await client.connect();
            await client.query(`drop database if exists ${name} with (force)`);
            await client.end();
          },
        };
      },
    },
  ];
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  clock: ManualClock;
  content: Content;
  close(): Promise<void>;
}

/** A fully built app on a fresh database of the given dialect, with a controllable clock. */
export async function createTestApp(
  dialect: Dialect,
  options: {
    config?: Partial<Config>;
    content?: Content;
    clock?: Clock;
    now?: string;
    /** Wraps the database the app is given (e.g. to hold a read in flight). */
    wrapDb?: (db: Db) => Db;
    /** More environment variables for the configuration. */
    env?: Record<string, string>;
    /** The features to install (all of src/features.ts by default). */
    features?: readonly FeatureManifest[];
  } = {},
): Promise<TestApp> {
  const { url, drop } = await dialect.create();
  const config = loadConfig(
    {
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      WAYMARK_SCRYPT_COST: '10',
      WAYMARK_AUTH_RATE_LIMIT: '1000',
      WAYMARK_GUEST_RATE_LIMIT: '1000',
      ...options.env,
    },
    options.config ?? {},
  );
  const content = options.content ?? (await realContent());
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  await db.write(
    (trx) => applyTopicAliases(trx, content, new Date().toISOString(), userDataSections()),
    null,
  );
  const clock = new ManualClock(new Date(options.now ?? '2026-03-02T09:00:00Z'));
  const app = await buildApp({
    config,
    db: options.wrapDb?.(db) ?? db,
    content,
    clock,
    logger: false,
    ...(options.features ? { features: options.features } : {}),
  });
  await app.ready();
  return {
    app,
    db,
    config,
    clock,
    content,
    async close() {
      await app.close();
      await db.close();
      await drop();
    },
  };
}

/** A tiny browser: keeps the session cookie and sends our Origin on state-changing requests. */
export class Client {
  cookie: string | null = null;
  constructor(
    private readonly app: FastifyInstance,
    private readonly fixedOrigin?: string,
  ) {}

  /**
   * The Origin a page of this app would send: ORIGIN for an app that is not listening (inject only), or
   * the loopback origin of the port it listens on, which is all Waymark accepts without WAYMARK_PUBLIC_URL.
   */
  get ownOrigin(): string {
    const address = this.app.server.listening ? this.app.server.address() : null;
    return typeof address === 'object' && address !== null ? `http://localhost:${address.port}` : ORIGIN;
  }

  /** The Origin header sent: the app's own, unless the test chose another (cross-site tests). */
  get origin(): string {
    return this.fixedOrigin ?? this.ownOrigin;
  }

  async request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      headers: {
        host: new URL(this.ownOrigin).host,
        origin: this.origin,
        ...(this.cookie ? { cookie: `waymark_session=${this.cookie}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const setCookie = response.cookies.find((c) => c.name === 'waymark_session');
    if (setCookie)
      this.cookie =
        setCookie.value === '' || (setCookie.maxAge !== undefined && setCookie.maxAge <= 0)
          ? null
          : setCookie.value;
    return response;
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  put(url: string, body: unknown) {
    return this.request('PUT', url, body);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
  delete(url: string, body?: unknown) {
    return this.request('DELETE', url, body);
  }
  async signup(email: string, password = 'correct horse battery') {
    return this.post('/api/v1/auth/signup', { email, password });
  }
  async login(email: string, password = 'correct horse battery') {
    return this.post('/api/v1/auth/login', { email, password });
  }
}

export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return response.json() as T;
}

/**
 * Two app instances sharing one SQLite database and one Redis (their keys under a fresh prefix), as
 * behind a load balancer. `env` adds configuration; the clients send ORIGIN, so it is the public URL.
 */
export async function twoInstances(
  env: Record<string, string> = {},
): Promise<{ apps: [FastifyInstance, FastifyInstance]; db: Db; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-two-'));
  const prefix = `test-${randomBytes(6).toString('hex')}:`;
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'waymark.db')}`,
    REDIS_URL,
    LOG_LEVEL: 'silent',
    WAYMARK_SCRYPT_COST: '10',
    WAYMARK_PUBLIC_URL: ORIGIN,
    ...env,
  });
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const content = await realContent();
  const clients: Redis[] = [];
  const apps: FastifyInstance[] = [];
  for (let i = 0; i < 2; i++) {
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix });
    clients.push(redis);
    const app = await buildApp({ config, db, content, redis, logger: false });
    await app.ready();
    apps.push(app);
  }
  return {
    apps: [apps[0]!, apps[1]!],
    db,
    async close() {
      for (const app of apps) await app.close();
      for (const redis of clients) redis.disconnect();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
