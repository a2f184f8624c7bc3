import type { Config } from '../../src/config.js';
import { createTestApp, dialects, type TestApp } from '../helpers.js';

/** A real listening Waymark (SQLite, fresh database) for browser tests and the page-weight bench. */
export async function startWebServer(config: Partial<Config> = {}): Promise<TestApp & { url: string }> {
  const sqlite = (await dialects()).find((d) => d.name === 'sqlite');
  if (!sqlite) throw new Error('SQLite dialect missing');
  const t = await createTestApp(sqlite, { config });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = new URL(address).port;
  return { ...t, url: `http://localhost:${port}` };
}
