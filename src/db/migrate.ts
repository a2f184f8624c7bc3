import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

/**
 * Applies every pending migration. Safe to run from several instances at once: Kysely takes a
 * lock table so only one applies them (PostgreSQL advisory lock / SQLite write lock).
 * `through` names the last migration to apply instead (an older release's schema).
 */
export async function migrateToLatest(db: Db, options: { through?: string } = {}): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const all: Record<string, Migration> = {};
      for (const migration of migrations) {
        all[migration.name] = { up: (kysely) => migration.up(kysely, db.dialect) };
      }
      return all;
    },
  };
  const migrator = new Migrator({
    db: db.kysely,
    provider,
    migrationTableName: 'waymark_migrations',
    migrationLockTableName: 'waymark_migrations_lock',
    // Numbers are reserved per feature, so a lower one (007) can ship after a higher one (010) ran.
    allowUnorderedMigrations: true,
  });
  // `through`: stop after that migration (tests build a database as an older release left it).
  const { error, results } = options.through
    ? await migrator.migrateTo(options.through)
    : await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
