// `npm run bench`: throughput of Waymark's hot API paths relative to a bare node:http handler,
// measured in one run on this machine (absolute numbers vary; the ratios are the target).
//   b/a = GET progress (signed in) vs hello     target ≥ 0.5
//   c/a = PUT progress vs hello                 target ≥ 0.3
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 10;

interface Started {
  child: ChildProcess;
  info: { port: number; cookie?: string; origin?: string; topics?: string[]; dialect?: string };
}

function start(script: string, env: Record<string, string> = {}): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (info) => resolve({ child, info: info as Started['info'] }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

interface Result {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function measure(name: string, options: autocannon.Options): Promise<Result> {
  const result = await autocannon({ duration: DURATION, connections: CONNECTIONS, ...options });
  return {
    name,
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

const hello = await start('./hello-server.ts');
const app = await start('./app-server.ts');
const { port, cookie = '', origin = '', topics = [] } = app.info;
try {
  // Warm up both servers so JIT and caches are hot before measuring.
  await autocannon({ url: `http://127.0.0.1:${hello.info.port}/`, duration: 2, connections: CONNECTIONS });
  await autocannon({
    url: `http://127.0.0.1:${port}/api/v1/roadmaps/backend/progress`,
    headers: { cookie },
    duration: 2,
    connections: CONNECTIONS,
  });

  const a = await measure('a) node:http hello', { url: `http://127.0.0.1:${hello.info.port}/` });
  const b = await measure('b) GET /api/v1/roadmaps/backend/progress', {
    url: `http://127.0.0.1:${port}/api/v1/roadmaps/backend/progress`,
    headers: { cookie },
  });
  let i = 0;
  const c = await measure('c) PUT /api/v1/topics/{id}/progress', {
    url: `http://127.0.0.1:${port}`,
    requests: [
      {
        method: 'PUT',
        setupRequest: (request) => {
          i += 1;
          const topic = topics[i % topics.length];
          return {
            ...request,
            path: `/api/v1/topics/${topic}/progress`,
            headers: { 'content-type': 'application/json', origin, cookie },
            body: JSON.stringify({ status: i % 2 ? 'done' : 'learning' }),
          };
        },
      },
    ],
  });

  console.log(
    `\nWaymark API benchmark (${app.info.dialect}, ${CONNECTIONS} connections, ${DURATION}s each, loopback)\n`,
  );
  console.log(
    'scenario'.padEnd(44) +
      'req/s'.padStart(10) +
      'p99 ms'.padStart(10) +
      'errors'.padStart(8) +
      'non-2xx'.padStart(9),
  );
  for (const r of [a, b, c]) {
    console.log(
      r.name.padEnd(44) +
        r.rps.toFixed(0).padStart(10) +
        r.p99.toFixed(1).padStart(10) +
        String(r.errors).padStart(8) +
        String(r.non2xx).padStart(9),
    );
  }
  const ba = b.rps / a.rps;
  const ca = c.rps / a.rps;
  console.log(`\nratio b/a = ${ba.toFixed(2)} (target ≥ 0.5) ${ba >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
  console.log(`ratio c/a = ${ca.toFixed(2)} (target ≥ 0.3) ${ca >= 0.3 ? 'OK' : 'BELOW TARGET'}`);
  if (b.non2xx || c.non2xx)
    console.log('warning: some benchmark requests failed; the figures above are not meaningful');
} finally {
  hello.child.kill();
  app.child.kill();
}
