import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

const run = promisify(execFile);

async function waymark(args: string[], env: Record<string, string>, input?: string) {
  const child = run(process.execPath, ['bin/waymark.js', ...args], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the waymark CLI', () => {
  let t: TestApp;
  let env: Record<string, string>;
  let dir: string;
  before(async () => {
    const [sqlite] = await dialects();
    t = await createTestApp(sqlite!);
    env = { DATABASE_URL: t.config.databaseUrl, WAYMARK_SCRYPT_COST: '10', LOG_LEVEL: 'silent' };
    dir = mkdtempSync(join(tmpdir(), 'waymark-cli-'));
    const c = new Client(t.app);
    await c.signup('cli@example.org');
    await c.put('/api/v1/topics/backend-role/progress', { status: 'done' });
    await c.put('/api/v1/topics/dns/progress', { status: 'done', note: 'dig +trace' });
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help explains every command', async () => {
    const { stdout } = await waymark(['--help'], env);
    for (const command of ['serve', 'migrate', 'lint', 'status', 'export', 'import', 'user'])
      assert.match(stdout, new RegExp(`\\b${command}\\b`));
  });

  it('status prints progress per step from the local database', async () => {
    const { code, stdout } = await waymark(['status'], env);
    assert.equal(code, 0);
    assert.match(stdout, /Backend Developer — 2\/\d+ topics/);
    assert.match(stdout, /Foundations .* 2\/\d+/);
  });

  it('export then import round-trips into the same account without changes', async () => {
    const file = join(dir, 'export.json');
    assert.equal((await waymark(['export', '-o', file], env)).code, 0);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(doc.format, 'waymark-export');
    assert.equal(doc.progress.topics.length, 2);
    const imported = await waymark(['import', file], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /"progress":0/);
  });

  it('import rejects a broken file with a precise message', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'waymark-export',
        version: 1,
        progress: { topics: [{ topicId: 'dns' }], activity: [] },
      }),
    );
    const { code, stderr } = await waymark(['import', file], env);
    assert.equal(code, 1);
    assert.match(stderr, /\/body\/progress\/topics\/0/);
  });

  it('user reset-password sets a new password read from standard input and signs out every session', async () => {
    const { code, stdout } = await waymark(
      ['user', 'reset-password', 'cli@example.org'],
      env,
      'a fresh password 42\n',
    );
    assert.equal(code, 0);
    assert.match(stdout, /Password changed/);
    assert.equal((await new Client(t.app).login('cli@example.org', 'a fresh password 42')).statusCode, 200);
    const unknown = await waymark(
      ['user', 'reset-password', 'nobody@example.org'],
      env,
      'whatever password\n',
    );
    assert.equal(unknown.code, 1);
  });

  it('export and import with --url but no --token refuse, and touch neither the local database nor a file', async () => {
    const progressRows = () =>
      t.db.kysely.selectFrom('progress').select(['topic_id', 'status', 'note']).orderBy('topic_id').execute();
    const before = await progressRows();
    const out = join(dir, 'remote-export.json');
    const exported = await waymark(['export', '--url', 'http://127.0.0.1:9', '-o', out], env);
    assert.notEqual(exported.code, 0);
    assert.match(exported.stderr, /--url and --token go together \(--token is missing/);
    assert.equal(existsSync(out), false, 'no local export was written');
    assert.equal(exported.stdout, '');

    // A file that would change the local account if it were (wrongly) imported there.
    const file = join(dir, 'changes.json');
    const doc = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8'));
    doc.progress.topics[0].status = 'skipped';
    doc.progress.topics[0].note = 'changed by a file meant for a server';
    writeFileSync(file, JSON.stringify(doc));
    const imported = await waymark(['import', file, '--url', 'http://127.0.0.1:9'], env);
    assert.notEqual(imported.code, 0);
    assert.match(imported.stderr, /--url and --token go together \(--token is missing/);
    assert.doesNotMatch(imported.stdout, /imported/);
    const tokenOnly = await waymark(['import', file, '--token', 'wm_x'], env);
    assert.notEqual(tokenOnly.code, 0);
    assert.match(tokenOnly.stderr, /--url is missing/);
    assert.deepEqual(await progressRows(), before, 'the local progress is unchanged');
  });

  it('status works through the API with a token', async () => {
    const c = new Client(t.app);
    await c.login('cli@example.org', 'a fresh password 42');
    const { secret } = json<{ secret: string }>(await c.post('/api/v1/me/tokens', { name: 'cli' }));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    const { code, stdout } = await waymark(
      ['status', '--url', `http://127.0.0.1:${port}`, '--token', secret],
      env,
    );
    assert.equal(code, 0);
    assert.match(stdout, /2\/\d+ topics/);
  });

  it('lint validates content with file:line messages', async () => {
    const ok = await waymark(['lint'], env);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /0 errors/);
    const broken = join(dir, 'roadmaps');
    cpSync('test/fixtures/content/valid', broken, { recursive: true });
    const topic = join(broken, 'backend/topics/http-basics.md');
    writeFileSync(
      topic,
      readFileSync(topic, 'utf8').replace(/^prerequisites:.*$/m, 'prerequisites: [no-such-topic]'),
    );
    const bad = await waymark(['lint', broken], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /backend\/topics\/http-basics\.md:\d+: error: .*no-such-topic/);
  });

  it('status without any configuration creates no database: it says where it looked and how to start one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'waymark-cli-empty-'));
    try {
      const bare = { ...process.env, WAYMARK_SCRYPT_COST: '10', LOG_LEVEL: 'silent' } as Record<
        string,
        string
      >;
      delete bare.DATABASE_URL;
      const { code, stderr } = await waymark(['status'], { ...bare, WAYMARK_DATA_DIR: join(empty, 'data') });
      assert.equal(code, 1);
      assert.match(stderr, /no database at the default path .*waymark\.db/);
      assert.match(stderr, /npx waymark serve/);
      assert.equal(existsSync(join(empty, 'data', 'waymark.db')), false, 'no empty database was created');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('status with several accounts lists them (with the admins) when no --email is given', async () => {
    await new Client(t.app).signup('second@example.org');
    assert.equal((await waymark(['user', 'promote', 'second@example.org'], env)).code, 0);
    const { code, stderr } = await waymark(['status'], env);
    assert.equal(code, 1);
    assert.match(stderr, /choose one with --email/);
    assert.match(stderr, /2 accounts \(1 admin\):/);
    assert.match(stderr, /^ {2}cli@example\.org$/m);
    assert.match(stderr, /^ {2}second@example\.org \(admin\)$/m);
  });
});
