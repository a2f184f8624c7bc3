// `npm run bench`: throughput of Waymark's hot API paths relative to a bare node:http handler,
// measured in one run on this machine (absolute numbers vary; the ratios are the target).
//   b/a = GET progress (signed in) vs hello     target ≥ 0.5
//   c/a = PUT progress vs hello                 target ≥ 0.3
// Two references run in the same rounds: bare Fastify sending a body of the same size (fb) and
// bare Fastify validating the same PUT body and running one SQLite upsert (fc), with no auth,
// hooks or activity log. They show how much of each ratio the framework and the database take
// on this machine, and how much is Waymark's own (b/fb, c/fc).
// Scenarios are interleaved over several rounds and medians compared, so a burst of load from
// elsewhere on a shared machine skews one sample, not a whole scenario.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;

interface Started {
  child: ChildProcess;
  info: { port: number; cookie?: string; origin?: string; topics?: string[]; dialect?: string };
}

function start(script: string, env: Record<string, string> = {}, message?: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (message !== undefined) child.send(message);
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

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface Scenario {
  name: string;
  options: () => autocannon.Options;
}

/** Runs every scenario once per round, in turn, and keeps the median of each. */
async function measureInterleaved(scenarios: Scenario[]): Promise<Result[]> {
  const samples = new Map<string, autocannon.Result[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of scenarios) {
      const result = await autocannon({
        duration: DURATION,
        connections: CONNECTIONS,
        ...scenario.options(),
      });
      samples.set(scenario.name, [...(samples.get(scenario.name) ?? []), result]);
    }
  }
  return scenarios.map(({ name }) => {
    const results = samples.get(name) ?? [];
    return {
      name,
      rps: median(results.map((r) => r.requests.average)),
      p99: median(results.map((r) => r.latency.p99)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    };
  });
}

function printTable(results: Result[]): void {
  console.log(
    'scenario'.padEnd(44) +
      'req/s'.padStart(10) +
      'p99 ms'.padStart(10) +
      'errors'.padStart(8) +
      'non-2xx'.padStart(9),
  );
  for (const r of results) {
    console.log(
      r.name.padEnd(44) +
        r.rps.toFixed(0).padStart(10) +
        r.p99.toFixed(1).padStart(10) +
        String(r.errors).padStart(8) +
        String(r.non2xx).padStart(9),
    );
  }
}

async function apiBenchmark(): Promise<void> {
  const hello = await start('./hello-server.ts');
  const app = await start('./app-server.ts');
  const { port, cookie = '', origin = '', topics = [] } = app.info;
  const progressUrl = `http://127.0.0.1:${port}/api/v1/roadmaps/backend/progress`;
  const progressBody = await (await fetch(progressUrl, { headers: { cookie } })).text();
  const floor = await start('./fastify-floor.ts', {}, progressBody);
  let i = 0;
  const putRequests = (path: (topic: string) => string, headers: Record<string, string>) => [
    {
      method: 'PUT' as const,
      setupRequest: (request: autocannon.Request) => {
        i += 1;
        const topic = topics[i % topics.length] ?? 'dns';
        return {
          ...request,
          path: path(topic),
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ status: i % 2 ? 'done' : 'learning' }),
        };
      },
    },
  ];
  try {
    // Warm every server so the JIT and caches are hot before measuring.
    for (const options of [
      { url: `http://127.0.0.1:${hello.info.port}/` },
      { url: progressUrl, headers: { cookie } },
      { url: `http://127.0.0.1:${floor.info.port}/progress` },
    ])
      await autocannon({ ...options, duration: 2, connections: CONNECTIONS });
    const floorUrl = `http://127.0.0.1:${floor.info.port}`;
    const [a, b, c, fb, fc] = await measureInterleaved([
      { name: 'a) node:http hello', options: () => ({ url: `http://127.0.0.1:${hello.info.port}/` }) },
      {
        name: 'b) GET /api/v1/roadmaps/backend/progress',
        options: () => ({ url: progressUrl, headers: { cookie } }),
      },
      {
        name: 'c) PUT /api/v1/topics/{id}/progress',
        options: () => ({
          url: `http://127.0.0.1:${port}`,
          requests: putRequests((topic) => `/api/v1/topics/${topic}/progress`, { origin, cookie }),
        }),
      },
      {
        name: `fb) bare Fastify, same ${(Buffer.byteLength(progressBody) / 1024).toFixed(1)} KB body`,
        options: () => ({ url: `${floorUrl}/progress` }),
      },
      {
        name: 'fc) bare Fastify PUT + 1 SQLite upsert',
        options: () => ({
          url: floorUrl,
          requests: putRequests((topic) => `/topics/${topic}/progress`, {}),
        }),
      },
    ]);
    if (!a || !b || !c || !fb || !fc) throw new Error('missing results');
    console.log(
      `\nWaymark API benchmark (${app.info.dialect}, ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${DURATION}s runs, loopback)\n`,
    );
    printTable([a, b, c, fb, fc]);
    const ratio = (x: Result, y: Result) => (x.rps / y.rps).toFixed(2);
    const ba = b.rps / a.rps;
    const ca = c.rps / a.rps;
    console.log(`\nratio b/a = ${ba.toFixed(2)} (target ≥ 0.5) ${ba >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
    console.log(`ratio c/a = ${ca.toFixed(2)} (target ≥ 0.3) ${ca >= 0.3 ? 'OK' : 'BELOW TARGET'}`);
    console.log(
      `references: fb/a = ${ratio(fb, a)}, fc/a = ${ratio(fc, a)} (bare Fastify's ceiling here); ` +
        `Waymark vs bare Fastify: b/fb = ${ratio(b, fb)}, c/fc = ${ratio(c, fc)}`,
    );
    if (b.non2xx || c.non2xx || fb.non2xx || fc.non2xx)
      console.log('warning: some benchmark requests failed; the figures above are not meaningful');
  } finally {
    hello.child.kill();
    app.child.kill();
    floor.child.kill();
  }
}

await apiBenchmark();

// Page weight and first contentful paint of the roadmap page (needs built assets and Chromium).
if (!existsSync('dist/web')) {
  console.log('\npage weight: skipped (run `npm run build:web` first)');
} else if (!existsSync('/usr/bin/chromium')) {
  console.log('\npage weight: skipped (no /usr/bin/chromium; apt-get install -y chromium)');
} else {
  const { measurePageWeight, formatPageWeight } = await import('./page-weight.js');
  console.log(`\n${formatPageWeight(await measurePageWeight())}`);
}
