import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { backupDatabase, BackupError, restoreDatabase } from '../../src/cli/backup.js';
import { loadConfig } from '../../src/config.js';
import { Client, createTestApp, dialects, json, type TestApp } from '../helpers.js';

const [sqlite] = await dialects();

describe('waymark backup and restore (SQLite)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!);
  });
  after(async () => t?.close());

  it('a backup taken under write load holds every write acknowledged before it, and restores', async () => {
    const user = new Client(t.app);
    await user.signup('backup@example.org');
    const me = json<{ id: string }>(await user.get('/api/v1/me'));
    const acknowledged: string[] = [];
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing) {
        const note = `note ${n++}`;
        const res = await user.put('/api/v1/topics/dns/note', { note });
        if (res.statusCode === 200) acknowledged.push(note);
      }
    })();
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    const ackedBefore = acknowledged.length;
    const dir = mkdtempSync(join(tmpdir(), 'waymark-backup-'));
    const file = join(dir, 'backup.db');
    await backupDatabase(t.config, file);
    const moreAfter = acknowledged.length + 10;
    while (acknowledged.length < moreAfter) await new Promise((resolve) => setTimeout(resolve, 5));
    writing = false;
    await writer;

    const copy = new SQLite(file, { readonly: true });
    const activity = copy
      .prepare("select count(*) as n from activity where user_id = ? and kind = 'note'")
      .get(me.id) as { n: number };
    const note = copy
      .prepare('select note from progress where user_id = ? and topic_id = ?')
      .get(me.id, 'dns') as {
      note: string;
    };
    copy.close();
    assert.ok(
      activity.n >= ackedBefore,
      `${activity.n} note changes in the backup, ${ackedBefore} acknowledged before it`,
    );
    const index = acknowledged.indexOf(note.note);
    assert.ok(
      index >= ackedBefore - 1,
      'the backup holds at least the last note acknowledged before it began',
    );

    // Restore into another database file and read the data back through a fresh app.
    const targetDir = mkdtempSync(join(tmpdir(), 'waymark-restore-'));
    const target = loadConfig({ DATABASE_URL: `sqlite:${join(targetDir, 'waymark.db')}` });
    await restoreDatabase(target, file);
    const restored = new SQLite(join(targetDir, 'waymark.db'), { readonly: true });
    const restoredNote = restored
      .prepare('select note from progress where user_id = ? and topic_id = ?')
      .get(me.id, 'dns') as { note: string };
    restored.close();
    assert.equal(restoredNote.note, note.note);
  });

  it('refuses to overwrite a file, to restore something that is not a Waymark database, and PostgreSQL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-backup-'));
    const file = join(dir, 'b.db');
    await backupDatabase(t.config, file);
    await assert.rejects(backupDatabase(t.config, file), BackupError);
    const junk = join(dir, 'junk.db');
    new SQLite(junk).close();
    await assert.rejects(restoreDatabase(t.config, junk), /not a Waymark database/);
    await assert.rejects(
      backupDatabase(loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/y' }), join(dir, 'pg.db')),
      /pg_dump/,
    );
  });
});
