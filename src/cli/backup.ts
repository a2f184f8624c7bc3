import { existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import type { Config } from '../config.js';

export class BackupError extends Error {}

// Pages per backup step: everything at once, so concurrent writers cannot restart it forever.
const ALL_PAGES = 0x7fffffff;

function sqlitePath(config: Config): string {
  if (config.dialect !== 'sqlite')
    throw new BackupError(
      'This database is PostgreSQL: back it up with pg_dump and restore with pg_restore (see the README, "Backups").',
    );
  const path = config.databaseUrl.slice('sqlite:'.length);
  if (path === ':memory:') throw new BackupError('An in-memory database cannot be backed up.');
  return path;
}

/**
 * Copies the live SQLite database to `destination` with SQLite's online backup API, while the
 * server keeps running: the copy is one consistent snapshot, holding every write committed (and
 * so acknowledged) before it started. All pages are copied in one step so concurrent writers
 * cannot make the backup restart forever.
 *
 * @example await backupDatabase(config, '/backups/waymark-2026-12-02.db')
 */
export async function backupDatabase(config: Config, destination: string): Promise<{ pages: number }> {
  const source = sqlitePath(config);
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
  if (existsSync(destination))
    throw new BackupError(`${destination} already exists; choose a new file name.`);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const result = await db.backup(destination, { progress: () => ALL_PAGES });
    return { pages: result.totalPages };
  } finally {
    db.close();
  }
}

/** Checks that `file` is an intact Waymark database (integrity check and migrations table). */
function checkBackup(file: string): void {
  if (!existsSync(file)) throw new BackupError(`There is no backup at ${file}.`);
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new BackupError(`${file} is damaged (integrity check: ${String(integrity)}).`);
    const migrations = db
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'waymark_migrations'")
      .get() as { n: number };
    if (migrations.n === 0) throw new BackupError(`${file} is not a Waymark database.`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a readable SQLite database (${(error as Error).message}).`);
  } finally {
    db?.close();
  }
}

/**
 * Replaces the configured SQLite database with a backup. Stop the server first. The backup is
 * checked, copied beside the database, and moved into place in one rename, so an interrupted
 * restore leaves the old database untouched; newer migrations run at the next start.
 */
export async function restoreDatabase(config: Config, backup: string): Promise<void> {
  const target = sqlitePath(config);
  checkBackup(backup);
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  const source = new SQLite(backup, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staging, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  // The old database's write-ahead log belongs to the old file: drop it with the file.
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
}
