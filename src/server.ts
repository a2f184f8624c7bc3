import { pathToFileURL } from 'node:url';
import { buildApp } from './app.js';
import { startRuntime } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { startPurgeJob } from './maintenance/purge.job.js';

/** Starts Waymark and listens. Building the app lives in app.ts so tests never need a port. */
export async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let runtime;
  try {
    runtime = await startRuntime(config);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const app = await buildApp({ config, db: runtime.db, content: runtime.content, redis: runtime.redis });
  const purge = startPurgeJob(runtime.db, app.clock, {
    guestRetentionDays: config.guestRetentionDays,
    intervalMinutes: config.purgeIntervalMinutes,
    log: app.log,
  });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    purge.stop();
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  app.log.info(
    `Waymark is ready on http://${shown}:${config.port} (${config.dialect}, ${runtime.content.topics.size} topics in ${runtime.content.roadmaps.size} roadmaps)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await serve();
}
