import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config.js';

// Configuration validation (issue 9): a bad value for any variable stops start-up with an error
// that names the variable, and every variable src/config.ts reads is covered here.

/** One bad value per variable that has a rule. */
const BAD: Record<string, string[]> = {
  DATABASE_URL: ['mysql://db/waymark', 'postgres://[broken'],
  DATABASE_POOL_SIZE: ['0', 'lots', '501'],
  REDIS_URL: ['localhost:6379', 'http://redis'],
  LOG_LEVEL: ['verbose'],
  PORT: ['http', '-1', '65536', '80.5'],
  WAYMARK_PUBLIC_URL: ['waymark.example.org', 'ftp://waymark.example.org'],
  WAYMARK_TRUST_PROXY: ['maybe'],
  WAYMARK_INSECURE_COOKIES: ['perhaps'],
  WAYMARK_SESSION_DAYS: ['0', '366', 'a month'],
  WAYMARK_SCRYPT_COST: ['9', '21'],
  WAYMARK_AUTH_RATE_LIMIT: ['0', 'none'],
  WAYMARK_GUEST_RATE_LIMIT: ['0', '100001'],
  WAYMARK_METRICS: ['2'],
  WAYMARK_METRICS_TOKEN: ['short', 'sixteen chars but spaces'],
  WAYMARK_REQUEST_TIMEOUT_MS: ['999', '3600001'],
  WAYMARK_HEADERS_TIMEOUT_MS: ['10'],
  WAYMARK_KEEP_ALIVE_TIMEOUT_MS: ['99'],
  WAYMARK_CONNECTION_TIMEOUT_MS: ['29999'],
  WAYMARK_MAX_EVENT_STREAMS: ['0'],
  WAYMARK_GUEST_RETENTION_DAYS: ['0', '3651'],
  WAYMARK_PURGE_INTERVAL_MINUTES: ['-1', '10081'],
  WAYMARK_CHECKS_ALLOW_PRIVATE: ['sometimes'],
  WAYMARK_CHECK_CONCURRENCY: ['0', '65'],
  WAYMARK_CHECK_TIMEOUT_MS: ['999'],
  WAYMARK_CHECK_REQUEST_TIMEOUT_MS: ['99'],
  WAYMARK_CHECK_MAX_RESPONSE_BYTES: ['1023'],
  WAYMARK_CHECK_MAX_REQUESTS: ['0'],
  WAYMARK_CHECK_RUNS_PER_MINUTE: ['0'],
  WAYMARK_CHECK_INLINE_WORKER: ['nope'],
  WAYMARK_CHECK_STALL_MS: ['999'],
  WAYMARK_CHECKS_ALLOW_ADDRESSES: ['staging.example.org', '10.0.0.1, not-an-ip'],
  WAYMARK_CHECKS_INSECURE_TLS: ['ok'],
  WAYMARK_SMTP_URL: ['http://mail.example.org', 'smtp://', 'mail.example.org:25'],
  WAYMARK_MAIL_FROM: ['not an address', 'Waymark <no-reply@example.org'],
  WAYMARK_SMTP_TIMEOUT_MS: ['999', '300001'],
};

/** Variables that take any value (names and paths); what each may be is said here. */
const FREE_FORM: Record<string, string> = {
  HOST: 'any interface name or address (a non-loopback one needs WAYMARK_PUBLIC_URL, tested below)',
  WAYMARK_DATA_DIR: 'a folder path',
  WAYMARK_CONTENT_DIR: 'a folder path (the content is validated when it loads)',
  WAYMARK_CHECK_QUEUE_NAMESPACE: 'any key prefix',
};

function variablesReadByConfig(): Set<string> {
  const source = readFileSync('src/config.ts', 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/env(?:\.|, ')([A-Z][A-Z0-9_]+)/g)) names.add(match[1]!);
  return names;
}

describe('configuration validation', () => {
  it('covers every variable src/config.ts reads (and the README documents each one)', () => {
    const read = variablesReadByConfig();
    assert.ok(read.size >= 30, `found only ${read.size} variables; the scan is broken`);
    const covered = new Set([...Object.keys(BAD), ...Object.keys(FREE_FORM)]);
    assert.deepEqual(
      [...read].filter((name) => !covered.has(name)),
      [],
      'give each new variable a bad value here',
    );
    assert.deepEqual(
      [...covered].filter((name) => !read.has(name)),
      [],
      'variables this test lists that config.ts no longer reads',
    );
    const readme = readFileSync('README.md', 'utf8');
    assert.deepEqual(
      [...read].filter((name) => !readme.includes(`\`${name}\``)),
      [],
      'variables missing from the README configuration table',
    );
  });

  for (const [name, values] of Object.entries(BAD)) {
    it(`a bad ${name} stops start-up with an error naming ${name}`, () => {
      for (const value of values) {
        assert.throws(
          () => loadConfig({ [name]: value }),
          (error: unknown) =>
            error instanceof ConfigError &&
            error.variable === name &&
            error.message.startsWith(`Invalid configuration: ${name} must be `),
          `${name}=${JSON.stringify(value)} was accepted`,
        );
      }
    });
  }

  it('good values pass and take effect', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: 'rediss://cache.example.org:6380',
      WAYMARK_PUBLIC_URL: 'https://a.example.org, http://b.example.org:8080/path',
      WAYMARK_INSECURE_COOKIES: 'yes',
      WAYMARK_METRICS_TOKEN: 'a-long-enough-secret',
      WAYMARK_CHECKS_ALLOW_ADDRESSES: '10.0.0.1, [::1]',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.databasePoolSize, 5);
    assert.equal(config.redisUrl, 'rediss://cache.example.org:6380');
    assert.deepEqual(config.publicOrigins, ['https://a.example.org', 'http://b.example.org:8080']);
    assert.equal(config.secureCookies, false);
    assert.deepEqual(config.checks.allowAddresses, ['10.0.0.1', '::1']);
  });

  it('a non-loopback HOST without WAYMARK_PUBLIC_URL is refused, naming WAYMARK_PUBLIC_URL', () => {
    assert.throws(
      () => loadConfig({ HOST: '0.0.0.0' }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'WAYMARK_PUBLIC_URL',
    );
  });

  it('email: needs WAYMARK_PUBLIC_URL for its links, never echoes the SMTP password, and takes effect', () => {
    assert.throws(
      () => loadConfig({ WAYMARK_SMTP_URL: 'smtp://mail.example.org:587' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.variable === 'WAYMARK_PUBLIC_URL' &&
        error.message.includes('WAYMARK_SMTP_URL'),
    );
    assert.throws(
      () => loadConfig({ WAYMARK_SMTP_URL: 'http://waymark:hunter2secret@mail.example.org' }),
      (error: unknown) => error instanceof ConfigError && !error.message.includes('hunter2secret'),
    );
    assert.throws(
      () => loadConfig({ WAYMARK_MAIL_FROM: 'no-reply@example.org' }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'WAYMARK_SMTP_URL',
    );
    assert.equal(loadConfig({}).mail, null, 'no SMTP server, no email');
    const config = loadConfig({
      WAYMARK_SMTP_URL: 'smtps://waymark:secret@mail.example.org:465',
      WAYMARK_PUBLIC_URL: 'https://learn.example.org',
    });
    assert.deepEqual(config.mail, {
      smtpUrl: 'smtps://waymark:secret@mail.example.org:465',
      from: 'Waymark <no-reply@learn.example.org>',
      publicUrl: 'https://learn.example.org',
      timeoutMs: 15_000,
    });
    assert.equal(
      loadConfig({
        WAYMARK_SMTP_URL: 'smtp://mail.example.org',
        WAYMARK_PUBLIC_URL: 'https://learn.example.org',
        WAYMARK_MAIL_FROM: 'Learning <learn@example.org>',
      }).mail?.from,
      'Learning <learn@example.org>',
    );
  });

  it('the metrics token is never echoed in the error', () => {
    assert.throws(
      () => loadConfig({ WAYMARK_METRICS_TOKEN: 'secret with spaces in it' }),
      (error: unknown) => error instanceof Error && !error.message.includes('secret with spaces'),
    );
  });

  it('the CLI prints the message and exits 2 on a bad value', async () => {
    const result = await promisify(execFile)(process.execPath, ['bin/waymark.js', 'migrate'], {
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /Invalid configuration: PORT must be a whole number from 0 to 65535 \(got "eighty"\)/,
    );
  });
});
