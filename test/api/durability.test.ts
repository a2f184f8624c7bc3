import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';

async function waitForHealth(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not start');
}

describe('durability', () => {
  it('an acknowledged write survives kill -9 of the server (SQLite, WAL)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-kill-'));
    const port = 31_000 + Math.floor(Math.random() * 2000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        WAYMARK_DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        WAYMARK_SCRYPT_COST: '10',
        DATABASE_URL: '',
      },
      stdio: 'ignore',
    });
    try {
      const url = `http://localhost:${port}`;
      await waitForHealth(url, Date.now() + 60_000);
      const first = await fetch(`${url}/api/v1/topics/dns/progress`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ status: 'done', note: 'written just before the crash' }),
      });
      assert.equal(first.status, 200);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const db = openDatabase(`sqlite:${join(dir, 'waymark.db')}`);
      const row = await db.kysely
        .selectFrom('progress')
        .selectAll()
        .where('topic_id', '=', 'dns')
        .executeTakeFirst();
      await db.close();
      assert.equal(row?.status, 'done');
      assert.equal(row?.note, 'written just before the crash');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
