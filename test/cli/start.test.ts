// What `npm start` runs: the build step (scripts/build.mjs) and the compiled server (build/server.js,
// no TypeScript at run time). The compiled server keeps the parsed content as a snapshot beside the
// build; these tests show it starts, serves, stops cleanly on SIGTERM, and never serves a stale
// snapshot when the content files change.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../resilience/server-process.js';

type Started = Awaited<ReturnType<typeof startServer>>;

/** The compiled server, as `npm start` runs it (no TypeScript loader). */
function startCompiled(env: Record<string, string>): Promise<Started> {
  return startServer({ WAYMARK_PURGE_INTERVAL_MINUTES: '0', ...env }, ['build/server.js']);
}

async function stop(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null) return started.child.exitCode;
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  return exited;
}

describe('the compiled server (npm start)', { timeout: 600_000 }, () => {
  let dir: string;
  const running: Started[] = [];

  before(() => {
    // `npm start`'s own build step: builds only what changed since the last build.
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(build.status, 0, `scripts/build.mjs failed:\n${build.stdout}\n${build.stderr}`);
    dir = mkdtempSync(join(tmpdir(), 'waymark-start-'));
    cpSync('roadmaps', join(dir, 'roadmaps'), { recursive: true });
  });

  after(async () => {
    for (const started of running) await stop(started);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts without TypeScript, serves pages, and exits 0 on SIGTERM', async () => {
    const started = await startCompiled({ DATABASE_URL: `sqlite:${join(dir, 'one.db')}` });
    running.push(started);
    const page = await fetch(`${started.origin}/roadmaps/backend`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /ACID and transactions/);
    const api = await fetch(`${started.origin}/api/v1/roadmaps/backend`);
    assert.equal(api.status, 200);
    assert.match(
      started.output(),
      /Waymark is ready on http:\/\/127\.0\.0\.1:\d+ \(sqlite, \d+ topics in \d+ roadmaps\)/,
    );
    assert.equal(await stop(started), 0, started.output());
  });

  it('a content file edited between two starts is served as edited (the content snapshot is not reused)', async () => {
    const contentDir = join(dir, 'roadmaps');
    const env = { DATABASE_URL: `sqlite:${join(dir, 'two.db')}`, WAYMARK_CONTENT_DIR: contentDir };
    const title = async (base: string) => {
      const body = (await (await fetch(`${base}/api/v1/topics/acid-transactions`)).json()) as {
        title?: string;
      };
      return body.title;
    };
    // First start parses this folder and leaves a snapshot of it; the second takes it from there.
    const snapshot = () => statSync('dist/content-snapshot.bin', { throwIfNoEntry: false })?.mtimeMs;
    const stamps: (number | undefined)[] = [];
    for (let i = 0; i < 2; i++) {
      const started = await startCompiled(env);
      running.push(started);
      assert.equal(await title(started.origin), 'ACID and transactions');
      assert.equal(await stop(started), 0);
      stamps.push(snapshot());
    }
    assert.ok(stamps[0] !== undefined, 'the first start left a content snapshot');
    assert.equal(stamps[1], stamps[0], 'the second start read the snapshot instead of writing a new one');
    const file = join(contentDir, 'backend', 'topics', 'acid-transactions.md');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'title: ACID and transactions',
        'title: ACID, edited between starts',
      ),
    );
    const started = await startCompiled(env);
    running.push(started);
    assert.equal(await title(started.origin), 'ACID, edited between starts');
    assert.equal(await stop(started), 0);
    assert.notEqual(snapshot(), stamps[1], 'the edited folder was parsed and snapshotted again');
  });
});
