import { isIP } from 'node:net';
import { resolve } from 'node:path';

/**
 * Waymark's configuration, read from the environment exactly once at start-up.
 * Nothing else in the program reads `process.env`: pass this object (or parts of it) instead.
 * A wrong value stops the program with a message naming the variable and what it expects.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `sqlite:<path>` or `postgres://…` */
  readonly databaseUrl: string;
  readonly dialect: 'sqlite' | 'postgres';
  readonly redisUrl: string | null;
  /** PostgreSQL connections this process keeps (more in flight lets the server share each WAL flush among more commits). */
  readonly databasePoolSize: number;
  readonly contentDir: string;
  /** Origins allowed to make state-changing requests; empty means "the origin the request was sent to". */
  readonly publicOrigins: readonly string[];
  readonly trustProxy: boolean;
  readonly secureCookies: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly sessionDays: number;
  /** scrypt CPU/memory cost as a power of two (OWASP: 17). Lower only for tests. */
  readonly scryptLog2N: number;
  /** Attempts per minute per client address for login and signup. */
  readonly authRateLimit: number;
  /** Guest accounts one client address may create per hour. */
  readonly guestRateLimit: number;
  readonly metricsEnabled: boolean;
  /** Bearer secret `/metrics` requires; null leaves it open (only sensible on a private listen address). */
  readonly metricsToken: string | null;
  /** Time allowed to receive a whole request (Node's requestTimeout), so slow-trickle bodies cannot pile up. */
  readonly requestTimeoutMs: number;
  /** Time allowed to receive the request headers (Node's headersTimeout). */
  readonly headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
  /** Socket inactivity timeout (Fastify's connectionTimeout); event streams send a heartbeat well within it. */
  readonly connectionTimeoutMs: number;
  /** Live event streams (`GET /api/v1/events`) one user may hold open on one instance. */
  readonly maxEventStreamsPerUser: number;
  /** Days a guest who never signed up is kept after their last visit (with data; without data, a day). */
  readonly guestRetentionDays: number;
  /** Minutes between purges of expired sessions and abandoned guests; 0 turns the job off. */
  readonly purgeIntervalMinutes: number;
  /** Project checks: how runs reach learners' APIs (src/projects). */
  readonly checks: ChecksConfig;
  /** Outgoing email (verification, password reset, notices); null when no SMTP server is configured. */
  readonly mail: MailConfig | null;
}

/** How Waymark sends email (src/mail). Only present with WAYMARK_SMTP_URL. */
export interface MailConfig {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  readonly smtpUrl: string;
  /** The From header, e.g. `Waymark <no-reply@learn.example.org>`. */
  readonly from: string;
  /** Where emailed links point: the first WAYMARK_PUBLIC_URL. */
  readonly publicUrl: string;
  /** Longest one SMTP conversation may take (connect, greet, send) before the message is given up and logged. */
  readonly timeoutMs: number;
}

/** Limits and safety settings for project check runs. */
export interface ChecksConfig {
  /** May runs reach loopback/private/link-local/CGNAT targets? Default: only when HOST is loopback. */
  readonly allowPrivate: boolean;
  /** Runs one process executes at once (in-process queue and `waymark worker`). */
  readonly concurrency: number;
  readonly totalTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRequests: number;
  /** Runs one learner may start per minute. */
  readonly runsPerMinute: number;
  /** Whether an instance with REDIS_URL also consumes runs (false: only `waymark worker` does). */
  readonly inlineWorker: boolean;
  /** Exact addresses runs may reach whatever their range (e.g. a bootcamp's staging host). */
  readonly allowAddresses: readonly string[];
  /** Prefix of the run queue's Redis keys and channel (deployments sharing one Redis set different ones). */
  readonly queueNamespace: string;
  /** Accept self-signed certificates on check targets. */
  readonly insecureTls: boolean;
  /** How long a run may go without a worker's heartbeat before it counts as abandoned (retried, then errored). */
  readonly stallMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
    got: string,
  ) {
    super(`Invalid configuration: ${variable} must be ${expected} (got "${got}").`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, '"true" or "false"', raw);
}

function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const trimmed = part.trim();
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new ConfigError(name, 'a comma-separated list of URLs such as https://waymark.example.org', raw);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(name, 'http:// or https:// URLs', raw);
    }
    return url.origin;
  });
}

function secret(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16 || /\s/.test(raw))
    throw new ConfigError(name, 'a secret of at least 16 characters without spaces', '…');
  return raw;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True when `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function addresses(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const value = part.trim().replace(/^\[|\]$/g, '');
    if (isIP(value) === 0) throw new ConfigError(name, 'a comma-separated list of IP addresses', raw);
    return value;
  });
}

/** Validates WAYMARK_SMTP_URL without ever echoing its password. */
function smtpUrl(env: Env): string | null {
  const raw = env.WAYMARK_SMTP_URL?.trim();
  if (raw === undefined || raw === '') return null;
  const expected = 'smtp://user:password@host:port or smtps://user:password@host:port';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('WAYMARK_SMTP_URL', expected, redactUrl(raw));
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '')
    throw new ConfigError('WAYMARK_SMTP_URL', expected, redactUrl(raw));
  return raw;
}

function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^/@]*)@/, '//…@');
}

/** A mailbox for the From header: `name@host` or `Name <name@host>`. */
const MAILBOX = /^(?:[^<>\r\n]{1,100} )?<?[^\s@<>]{1,64}@[^\s@<>]{1,255}>?$/;

function mailConfig(env: Env, publicOrigins: readonly string[]): MailConfig | null {
  const rawFrom = env.WAYMARK_MAIL_FROM?.trim() || null;
  if (rawFrom !== null && (!MAILBOX.test(rawFrom) || rawFrom.includes('<') !== rawFrom.includes('>')))
    throw new ConfigError(
      'WAYMARK_MAIL_FROM',
      'an address such as no-reply@example.org or "Waymark <no-reply@example.org>"',
      rawFrom,
    );
  const timeoutMs = integer(env, 'WAYMARK_SMTP_TIMEOUT_MS', 15_000, 1000, 300_000);
  const url = smtpUrl(env);
  if (url === null) {
    if (rawFrom !== null)
      throw new ConfigError(
        'WAYMARK_SMTP_URL',
        'set when WAYMARK_MAIL_FROM is (email needs an SMTP server)',
        '',
      );
    return null;
  }
  const publicUrl = publicOrigins[0];
  if (publicUrl === undefined) {
    throw new ConfigError(
      'WAYMARK_PUBLIC_URL',
      'set when WAYMARK_SMTP_URL is: emailed links must point at the address people use (e.g. https://waymark.example.org)',
      '',
    );
  }
  const from = rawFrom ?? `Waymark <no-reply@${new URL(publicUrl).hostname}>`;
  return { smtpUrl: url, from, publicUrl, timeoutMs };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the configuration. Throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const dataDir = resolve(env.WAYMARK_DATA_DIR || './data');
  const rawDatabaseUrl = env.DATABASE_URL?.trim() || `sqlite:${resolve(dataDir, 'waymark.db')}`;
  let dialect: Config['dialect'];
  let databaseUrl = rawDatabaseUrl;
  if (/^postgres(ql)?:\/\//.test(rawDatabaseUrl)) {
    dialect = 'postgres';
    try {
      new URL(rawDatabaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL', 'a valid postgres:// URL', rawDatabaseUrl);
    }
  } else if (rawDatabaseUrl.startsWith('sqlite:')) {
    dialect = 'sqlite';
    const path = rawDatabaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '')
      throw new ConfigError('DATABASE_URL', 'sqlite:<file path> or postgres://…', rawDatabaseUrl);
    databaseUrl = path === ':memory:' ? 'sqlite::memory:' : `sqlite:${resolve(path)}`;
  } else {
    throw new ConfigError(
      'DATABASE_URL',
      'sqlite:<file path> or postgres://user@host:port/database',
      rawDatabaseUrl,
    );
  }

  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', 'a redis:// or rediss:// URL', redisUrl);
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', LOG_LEVELS.join(', '), logLevel);

  const publicOrigins = origins(env, 'WAYMARK_PUBLIC_URL');
  const config: Config = {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host,
    dataDir,
    databaseUrl,
    dialect,
    redisUrl,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    contentDir: resolve(env.WAYMARK_CONTENT_DIR || './roadmaps'),
    publicOrigins,
    trustProxy: boolean(env, 'WAYMARK_TRUST_PROXY', false),
    secureCookies: !boolean(env, 'WAYMARK_INSECURE_COOKIES', false),
    logLevel,
    sessionDays: integer(env, 'WAYMARK_SESSION_DAYS', 30, 1, 365),
    scryptLog2N: integer(env, 'WAYMARK_SCRYPT_COST', 17, 10, 20),
    authRateLimit: integer(env, 'WAYMARK_AUTH_RATE_LIMIT', 10, 1, 100000),
    guestRateLimit: integer(env, 'WAYMARK_GUEST_RATE_LIMIT', 30, 1, 100000),
    metricsEnabled: boolean(env, 'WAYMARK_METRICS', true),
    metricsToken: secret(env, 'WAYMARK_METRICS_TOKEN'),
    requestTimeoutMs: integer(env, 'WAYMARK_REQUEST_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    headersTimeoutMs: integer(env, 'WAYMARK_HEADERS_TIMEOUT_MS', 15_000, 1000, 600_000),
    keepAliveTimeoutMs: integer(env, 'WAYMARK_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    connectionTimeoutMs: integer(env, 'WAYMARK_CONNECTION_TIMEOUT_MS', 120_000, 30_000, 3_600_000),
    maxEventStreamsPerUser: integer(env, 'WAYMARK_MAX_EVENT_STREAMS', 10, 1, 100_000),
    guestRetentionDays: integer(env, 'WAYMARK_GUEST_RETENTION_DAYS', 30, 1, 3650),
    purgeIntervalMinutes: integer(env, 'WAYMARK_PURGE_INTERVAL_MINUTES', 60, 0, 10_080),
    checks: {
      allowPrivate: boolean(env, 'WAYMARK_CHECKS_ALLOW_PRIVATE', isLoopbackHost(host)),
      concurrency: integer(env, 'WAYMARK_CHECK_CONCURRENCY', 2, 1, 64),
      totalTimeoutMs: integer(env, 'WAYMARK_CHECK_TIMEOUT_MS', 120_000, 1000, 3_600_000),
      requestTimeoutMs: integer(env, 'WAYMARK_CHECK_REQUEST_TIMEOUT_MS', 10_000, 100, 600_000),
      maxResponseBytes: integer(env, 'WAYMARK_CHECK_MAX_RESPONSE_BYTES', 262_144, 1024, 100_000_000),
      maxRequests: integer(env, 'WAYMARK_CHECK_MAX_REQUESTS', 200, 1, 10_000),
      runsPerMinute: integer(env, 'WAYMARK_CHECK_RUNS_PER_MINUTE', 5, 1, 10_000),
      inlineWorker: boolean(env, 'WAYMARK_CHECK_INLINE_WORKER', true),
      stallMs: integer(env, 'WAYMARK_CHECK_STALL_MS', 30_000, 1000, 600_000),
      allowAddresses: addresses(env, 'WAYMARK_CHECKS_ALLOW_ADDRESSES'),
      insecureTls: boolean(env, 'WAYMARK_CHECKS_INSECURE_TLS', false),
      queueNamespace: env.WAYMARK_CHECK_QUEUE_NAMESPACE?.trim() ?? '',
    },
    mail: mailConfig(env, publicOrigins),
    ...overrides,
  };
  // Without a public URL the allowed origin would come from the request's own Host header, which a
  // DNS-rebinding page controls; that is only safe when nobody but this machine can connect.
  if (config.publicOrigins.length === 0 && !isLoopbackHost(config.host)) {
    throw new ConfigError(
      'WAYMARK_PUBLIC_URL',
      `set to the address people use (e.g. https://waymark.example.org) when HOST is not a loopback address (HOST is ${config.host})`,
      '',
    );
  }
  return Object.freeze(config);
}
