// Reference for the benchmark: what bare Fastify can do on this machine with the same work left
// out — no auth, no hooks, no Origin check, no activity log. GET sends a fixed body of the same
// size as Waymark's progress response; PUT parses and validates the same JSON body and runs one
// autocommitted SQLite upsert. The gap between these and node:http is the framework's and the
// database's; the gap between these and Waymark is Waymark's own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';

const sqlite = new SQLite(join(mkdtempSync(join(tmpdir(), 'waymark-floor-')), 'floor.db'));
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
sqlite.exec(
  'create table progress (user_id text, topic_id text, status text, updated_at text, primary key (user_id, topic_id))',
);
const upsert = sqlite.prepare(
  'insert into progress values (?, ?, ?, ?) on conflict (user_id, topic_id) do update set status = excluded.status, updated_at = excluded.updated_at',
);

const body = await new Promise<Buffer>((resolve) =>
  process.once('message', (message) => resolve(Buffer.from(String(message)))),
);
const app = Fastify({ logger: false });
app.get('/progress', async (_request, reply) => {
  reply.type('application/json; charset=utf-8');
  return reply.send(body);
});
app.put<{ Params: { topicId: string }; Body: { status: string } }>(
  '/topics/:topicId/progress',
  {
    schema: {
      body: {
        type: 'object',
        properties: { status: { enum: ['pending', 'learning', 'done', 'skipped'] } },
        required: ['status'],
        additionalProperties: false,
      },
    },
  },
  async (request) => {
    const updatedAt = new Date().toISOString();
    upsert.run('bench', request.params.topicId, request.body.status, updatedAt);
    return { topicId: request.params.topicId, status: request.body.status, updatedAt };
  },
);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ port: address && typeof address === 'object' ? address.port : 0 });
