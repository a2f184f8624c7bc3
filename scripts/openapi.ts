// Writes Waymark's OpenAPI document (what GET /api/v1/openapi.json serves) to a file, from the app
// itself: a throwaway SQLite database, no network, no listening port. `npm run lint:api` lints it.
//
//   node --import tsx scripts/openapi.ts [out-file]   (default: build/openapi.json)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildApp } from '../src/app.js';
import { startRuntime } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';

const out = process.argv[2] ?? 'build/openapi.json';
const dir = mkdtempSync(join(tmpdir(), 'waymark-openapi-'));
try {
  const config = loadConfig(
    { DATABASE_URL: `sqlite:${join(dir, 'waymark.db')}` },
    {
      logLevel: 'silent',
    },
  );
  const runtime = await startRuntime(config);
  const app = await buildApp({ config, db: runtime.db, content: runtime.content, logger: false });
  try {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    if (response.statusCode !== 200)
      throw new Error(`GET /api/v1/openapi.json answered ${response.statusCode}`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(response.json(), null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    await app.close();
    await runtime.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
