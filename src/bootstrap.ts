import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { readSnapshot, writeSnapshot } from './content/content.snapshot.js';
import type { Content, LintProblem } from './content/content.types.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { applyTopicAliases } from './progress/progress.service.js';
import { userDataSections } from './features.js';
import { openRedis } from './lib/redis.js';

export class ContentError extends Error {
  constructor(readonly problems: LintProblem[]) {
    super(
      `Roadmap content has ${problems.filter((p) => p.severity === 'error').length} error(s):\n` +
        problems.map((p) => `${p.file}:${p.line}: ${p.severity}: ${p.message}`).join('\n'),
    );
    this.name = 'ContentError';
  }
}

/** Loads and validates content; throws {@link ContentError} with `file:line` messages when invalid. */
export async function loadValidContent(dir: string): Promise<Content> {
  // The compiled server takes the parsed content from its build's snapshot when the files are unchanged.
  const snapshot = await readSnapshot(dir);
  if (snapshot.content) return snapshot.content;
  // The parser (YAML, Markdown) is loaded only when there is something to parse.
  const { loadContent } = await import('./content/content.loader.js');
  const { content, problems } = await loadContent(dir);
  if (!content) throw new ContentError(problems);
  await writeSnapshot(dir, content, snapshot.files);
  return content;
}

export interface Runtime {
  config: Config;
  content: Content;
  db: Db;
  redis: Redis | null;
  close(): Promise<void>;
}

/**
 * Everything the server and the local CLI commands need: validated content, a migrated database
 * with topic aliases applied, and Redis when configured.
 */
export async function startRuntime(config: Config, options: { content?: Content } = {}): Promise<Runtime> {
  const content = options.content ?? (await loadValidContent(config.contentDir));
  const db = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  try {
    await migrateToLatest(db);
    const now = new Date().toISOString();
    // Before any server serves (nothing cached yet), so there is nobody to tell.
    await db.write((trx) => applyTopicAliases(trx, content, now, userDataSections()), null);
    // Expired sessions and abandoned guests are purged by a background job (src/maintenance), not here.
  } catch (error) {
    await db.close();
    throw error;
  }
  // Every command is bounded (src/lib/redis.ts): no request waits for ever on a Redis that stopped
  // answering. ioredis is loaded only when Redis is configured (a laptop's start does not pay for it).
  const redis = config.redisUrl ? await openRedis(config.redisUrl) : null;
  if (redis) {
    // ioredis reconnects by itself; say once that it is away and once that it is back.
    let away = false;
    redis.on('error', (error: Error) => {
      if (!away)
        console.error(`Redis is not answering (${error.message}); serving without it until it returns.`);
      away = true;
    });
    redis.on('ready', () => {
      if (away) console.error('Redis is answering again.');
      away = false;
    });
  }
  return {
    config,
    content,
    db,
    redis,
    async close() {
      await db.close();
      // quit() lets queued commands (e.g. a change announcement from the CLI) reach Redis first.
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
