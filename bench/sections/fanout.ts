// Change events fan out after the response, off the request path: PUT latency with 10,000 open
// streams of the same learner against none, and how long the last streams wait for the event.
import { request, Agent } from 'node:http';
import { median, percentile, start } from '../harness.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const WRITES = 20;

function openStream(port: number, cookie: string, agent: Agent, onEvent: () => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/events',
        headers: { cookie, accept: 'text/event-stream' },
        agent,
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (
            let at = chunk.indexOf('event: changed');
            at !== -1;
            at = chunk.indexOf('event: changed', at + 1)
          )
            onEvent();
        });
        res.on('error', () => {});
        resolve(() => req.destroy());
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function timedPuts(
  base: string,
  origin: string,
  cookie: string,
  topics: string[],
  count: number,
  offset: number,
  waitFor?: () => Promise<number[]>,
) {
  const putMs: number[] = [];
  const fanoutMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const topic = topics[(offset + i) % topics.length];
    const wait = waitFor?.();
    const t = performance.now();
    const response = await fetch(`${base}/api/v1/topics/${topic}/progress`, {
      method: 'PUT',
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ status: (offset + i) % 2 ? 'learning' : 'done' }),
    });
    await response.arrayBuffer();
    const acked = performance.now();
    putMs.push(acked - t);
    if (wait) for (const at of await wait) fanoutMs.push(Math.max(0, at - acked));
  }
  return { putMs, fanoutMs };
}

export async function fanoutSection(): Promise<void> {
  const app = await start('./app-server.ts', {
    BENCH_EXTRA_ENV: JSON.stringify({
      WAYMARK_MAX_EVENT_STREAMS: String(STREAMS + 10),
      // Opening thousands of streams at once on a busy machine must not trip the header deadline.
      WAYMARK_HEADERS_TIMEOUT_MS: '120000',
      WAYMARK_REQUEST_TIMEOUT_MS: '3600000',
    }),
  });
  const { port, cookie, origin, topics } = app.info;
  const base = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const closers: (() => void)[] = [];
  try {
    const idle = await timedPuts(base, origin, cookie, topics, WRITES, 0);
    let pending: { left: number; times: number[]; done: (t: number[]) => void } | null = null;
    const onEvent = () => {
      if (!pending) return;
      pending.times.push(performance.now());
      if (--pending.left === 0) pending.done(pending.times);
    };
    for (let opened = 0; opened < STREAMS; opened += 200)
      closers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(200, STREAMS - opened) }, () =>
            openStream(port, cookie, agent, onEvent),
          ),
        )),
      );
    await new Promise((r) => setTimeout(r, 500));
    const waitFor = () =>
      new Promise<number[]>((done) => {
        pending = { left: STREAMS, times: [], done };
        setTimeout(() => done(pending?.times ?? []), 10_000).unref();
      });
    const busy = await timedPuts(base, origin, cookie, topics, WRITES, 1000, waitFor);
    console.log(`${STREAMS.toLocaleString('en')} open event streams of one learner, ${WRITES} writes`);
    console.log(
      `PUT p50/p99 with no streams:      ${median(idle.putMs).toFixed(1)} / ${percentile(idle.putMs, 99).toFixed(1)} ms`,
    );
    console.log(
      `PUT p50/p99 with ${STREAMS} streams:  ${median(busy.putMs).toFixed(1)} / ${percentile(busy.putMs, 99).toFixed(1)} ms`,
    );
    const delivered = busy.fanoutMs.length;
    const p99 = percentile(busy.fanoutMs, 99);
    console.log(
      `fan-out after the PUT's response: p50 ${median(busy.fanoutMs).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms ` +
        `(target ≤ 100 ms) ${p99 <= 100 ? 'OK' : 'ABOVE TARGET'}; ${delivered} of ${STREAMS * WRITES} events delivered`,
    );
  } finally {
    for (const close of closers) close();
    agent.destroy();
    await app.stop();
  }
}
