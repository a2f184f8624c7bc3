// GET and PUT progress against bare node:http (a) and bare Fastify doing the same I/O (fb, fc).
import {
  interleaved,
  printTable,
  putProgressLua,
  ratioLine,
  start,
  CONNECTIONS,
  SECONDS,
  ROUNDS,
} from '../harness.js';

export async function apiSection(): Promise<void> {
  const hello = await start('./hello-server.ts');
  const app = await start('./app-server.ts');
  const { port, cookie, origin, topics } = app.info;
  const base = `http://127.0.0.1:${port}`;
  const progressBody = await (
    await fetch(`${base}/api/v1/roadmaps/backend/progress`, { headers: { cookie } })
  ).text();
  const floor = await start('./fastify-floor.ts', {}, progressBody);
  const floorUrl = `http://127.0.0.1:${floor.info.port}`;
  try {
    const common = { seconds: SECONDS, connections: CONNECTIONS };
    const results = await interleaved([
      {
        name: 'a) node:http hello',
        options: () => ({ ...common, url: `http://127.0.0.1:${hello.info.port}/` }),
      },
      {
        name: 'b) GET /api/v1/roadmaps/backend/progress',
        options: () => ({ ...common, url: `${base}/api/v1/roadmaps/backend/progress`, headers: { cookie } }),
      },
      {
        name: 'c) PUT /api/v1/topics/{id}/progress (changes)',
        options: () => ({ ...common, url: base, lua: putProgressLua(topics, { origin, cookie }) }),
      },
      {
        name: `fb) bare Fastify, same ${(Buffer.byteLength(progressBody) / 1024).toFixed(1)} KB body`,
        options: () => ({ ...common, url: `${floorUrl}/progress` }),
      },
      {
        name: 'fc) bare Fastify PUT + 1 SQLite upsert',
        options: () => ({ ...common, url: floorUrl, lua: putProgressLua(topics, {}, '/topics/') }),
      },
    ]);
    const [a, b, c, fb, fc] = [...results.values()];
    if (!a || !b || !c || !fb || !fc) throw new Error('missing results');
    console.log(
      `SQLite, wrk 1 thread × ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s\n`,
    );
    printTable([a, b, c, fb, fc]);
    console.log(ratioLine('b/fb (GET vs bare Fastify, same body)', b, fb, 0.5));
    console.log(ratioLine('c/fc (PUT vs bare Fastify + upsert)  ', c, fc, 0.5));
    console.log(
      `(for reference: b/a = ${(b.rps / a.rps).toFixed(2)}, c/a = ${(c.rps / a.rps).toFixed(2)}, fb/a = ${(fb.rps / a.rps).toFixed(2)})`,
    );
  } finally {
    await Promise.all([hello.stop(), app.stop(), floor.stop()]);
  }
}
