// Two instances behind nginx (Debian's package) sharing PostgreSQL and Redis, against one instance
// reached directly. On a 2-core machine this shows the proxy's overhead, not scaling: both
// instances, nginx, PostgreSQL and the load generator share the same two cores.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort, nginxSkip, startNginx } from '../../scripts/nginx.js';
import { interleaved, printTable, start, CONNECTIONS, POSTGRES_SERVER, SECONDS } from '../harness.js';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function nginxSection(): Promise<void> {
  const skip = nginxSkip();
  if (skip) return console.log(`skipped: ${skip}`);
  const name = `waymark_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_SERVER });
  try {
    await admin.connect();
  } catch (error) {
    return console.log(`skipped: PostgreSQL not reachable (${(error as Error).message})`);
  }
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  const proxyPort = await freePort();
  const publicUrl = `http://127.0.0.1:${proxyPort}`;
  const env = { BENCH_DATABASE_URL: url.toString(), BENCH_REDIS_URL: REDIS_URL, BENCH_PUBLIC_URL: publicUrl };
  const one = await start('./app-server.ts', env);
  const two = await start('./app-server.ts', { ...env, BENCH_NO_LEARNER: '1' });
  const nginx = await startNginx({
    upstreams: [one.info.port, two.info.port],
    port: proxyPort,
    unbuffered: true,
    workerConnections: 4096,
  });
  await nginx.ready();
  try {
    const { cookie } = one.info;
    const common = { seconds: SECONDS, connections: CONNECTIONS, headers: { cookie } };
    const results = await interleaved([
      {
        name: 'GET progress, one instance direct',
        options: () => ({
          ...common,
          url: `http://127.0.0.1:${one.info.port}/api/v1/roadmaps/backend/progress`,
        }),
      },
      {
        name: 'GET progress, nginx → two instances',
        options: () => ({ ...common, url: `${publicUrl}/api/v1/roadmaps/backend/progress` }),
      },
    ]);
    const [direct, proxied] = [...results.values()];
    if (!direct || !proxied) throw new Error('missing results');
    printTable([direct, proxied]);
    const overhead = 1 - proxied.rps / direct.rps;
    console.log(
      `nginx overhead on GET progress: ${(overhead * 100).toFixed(0)} % (target < 30 %) ${overhead < 0.3 ? 'OK' : 'ABOVE TARGET'} — ` +
        'two cores shared by nginx, both instances, PostgreSQL and wrk: this measures overhead, not scaling',
    );
  } finally {
    await nginx.stop();
    await Promise.all([one.stop(), two.stop()]);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
