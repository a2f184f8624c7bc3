// Change events fan out after the response, off the request path: PUT latency with 10,000 open
// streams of the same learner against none, and how long after the PUT's response the streams
// receive the event.
//
// The client: the streams are held by BENCH_FANOUT_CLIENTS worker threads (default 4), each noting
// on the shared wall clock when each of its streams received the event; one JavaScript thread
// reading 10,000 sockets would otherwise be most of what is measured. On two cores the client
// still competes with the server for the CPU, so the same client also measures the floor: a bare
// node:http server writing one ready-made frame to the same number of streams (bench/fanout-floor.ts).
import { Worker } from 'node:worker_threads';
import { median, percentile, ROUNDS, start } from '../harness.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 10_000);
const CLIENTS = Math.max(1, Number(process.env.BENCH_FANOUT_CLIENTS ?? 4));
const WRITES = 20;
const now = () => performance.timeOrigin + performance.now();

/** The streams, spread over client threads; `fire` triggers one event and returns each stream's delay after the trigger's response. */
class StreamClients {
  private constructor(private readonly workers: Worker[]) {}

  static async open(port: number, path: string, cookie: string): Promise<StreamClients> {
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const count = Math.floor(STREAMS / CLIENTS) + (i < STREAMS % CLIENTS ? 1 : 0);
      const worker = new Worker(new URL('./fanout-client.mjs', import.meta.url), {
        workerData: { port, path, cookie, count, marker: 'event: changed' },
      });
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('message', (m: { type: string; error?: string }) =>
            m.type === 'ready' ? resolve() : reject(new Error(m.error)),
          );
          worker.once('error', reject);
        }),
      );
    }
    await Promise.all(ready);
    return new StreamClients(workers);
  }

  /** `alongside` runs once the trigger is answered, while the event is being fanned out. */
  async fire(
    trigger: () => Promise<void>,
    alongside?: () => Promise<void>,
  ): Promise<{ responseMs: number; delays: number[] }> {
    const arrivals = this.workers.map(
      (worker) =>
        new Promise<number[]>((resolve) => {
          worker.once('message', (m: { times: number[] }) => resolve(m.times));
        }),
    );
    for (const worker of this.workers) worker.postMessage({ type: 'arm' });
    // Let every thread see "arm" before the event can arrive.
    await new Promise((r) => setTimeout(r, 20));
    const sent = now();
    await trigger();
    const acked = now();
    const timeout = setTimeout(() => {
      for (const worker of this.workers) worker.postMessage({ type: 'collect' });
    }, 10_000);
    await alongside?.();
    const times = (await Promise.all(arrivals)).flat();
    clearTimeout(timeout);
    return { responseMs: acked - sent, delays: times.map((t) => Math.max(0, t - acked)) };
  }

  async close(): Promise<void> {
    for (const worker of this.workers) worker.postMessage({ type: 'close' });
    await Promise.all(this.workers.map((w) => new Promise((r) => w.once('exit', r))));
  }
}

const fmt = (values: number[], digits = 1) =>
  `${median(values).toFixed(digits)} [${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}]`;

interface Round {
  putP50: number;
  putP99: number;
  readP50: number;
  readP99: number;
  fanP50: number;
  fanP99: number;
  delivered: number;
}

function summarise(putMs: number[], delays: number[], readMs: number[] = []): Round {
  return {
    putP50: median(putMs),
    putP99: percentile(putMs, 99),
    readP50: readMs.length ? median(readMs) : NaN,
    readP99: readMs.length ? percentile(readMs, 99) : NaN,
    fanP50: delays.length ? median(delays) : NaN,
    fanP99: delays.length ? percentile(delays, 99) : NaN,
    delivered: delays.length,
  };
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
  // Every PUT is a real change (a no-op sends no event): each pass over the topics sets the next
  // status of a cycle that starts with one the learner's seeded progress never has.
  let write = 0;
  const put = async () => {
    const topic = topics[write % topics.length];
    const status = ['skipped', 'learning', 'done'][Math.floor(write / topics.length) % 3];
    write++;
    const response = await fetch(`${base}/api/v1/topics/${topic}/progress`, {
      method: 'PUT',
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`PUT answered ${response.status}`);
  };
  // A read of the same learner sent as soon as the PUT is answered: it lands while the event is being
  // written to the streams, so its latency shows how long a request waits behind a fan-out.
  const read = async (into: number[]) => {
    const t = now();
    const response = await fetch(`${base}/api/v1/roadmaps/backend/progress`, { headers: { cookie } });
    await response.arrayBuffer();
    into.push(now() - t);
  };
  const idle: Round[] = [];
  const busy: Round[] = [];
  const floor: Round[] = [];
  try {
    for (let i = 0; i < 5; i++) await put(); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      const putMs: number[] = [];
      const readMs: number[] = [];
      for (let i = 0; i < WRITES; i++) {
        // The same pause as before each PUT with streams (while the client threads are armed).
        await new Promise((r) => setTimeout(r, 20));
        const t = now();
        await put();
        putMs.push(now() - t);
        await read(readMs);
      }
      idle.push(summarise(putMs, [], readMs));
    }
    const clients = await StreamClients.open(port, '/api/v1/events', cookie);
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let round = 0; round < ROUNDS; round++) {
        const putMs: number[] = [];
        const delays: number[] = [];
        const readMs: number[] = [];
        for (let i = 0; i < WRITES; i++) {
          const fired = await clients.fire(put, () => read(readMs));
          putMs.push(fired.responseMs);
          delays.push(...fired.delays);
        }
        busy.push(summarise(putMs, delays, readMs));
      }
    } finally {
      await clients.close();
    }
  } finally {
    await app.stop();
  }
  const bare = await start('./fanout-floor.ts');
  try {
    const fireUrl = `http://127.0.0.1:${bare.info.port}/fire`;
    const clients = await StreamClients.open(bare.info.port, '/events', '');
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let round = 0; round < ROUNDS; round++) {
        const putMs: number[] = [];
        const delays: number[] = [];
        for (let i = 0; i < WRITES; i++) {
          const fired = await clients.fire(async () => {
            await (await fetch(fireUrl, { method: 'POST' })).arrayBuffer();
          });
          putMs.push(fired.responseMs);
          delays.push(...fired.delays);
        }
        floor.push(summarise(putMs, delays));
      }
    } finally {
      await clients.close();
    }
  } finally {
    await bare.stop();
  }
  const expected = STREAMS * WRITES;
  const p99 = median(busy.map((r) => r.fanP99));
  console.log(
    `${STREAMS.toLocaleString('en')} open event streams of one learner held by ${CLIENTS} client threads; ` +
      `${ROUNDS} rounds of ${WRITES} real changes; median [min–max] across rounds`,
  );
  console.log(
    `PUT p50 / p99 with no streams:        ${fmt(idle.map((r) => r.putP50))} / ${fmt(idle.map((r) => r.putP99))} ms`,
  );
  console.log(
    `PUT p50 / p99 with ${STREAMS} streams: ${fmt(busy.map((r) => r.putP50))} / ${fmt(busy.map((r) => r.putP99))} ms ` +
      `(p50 ratio ${(median(busy.map((r) => r.putP50)) / median(idle.map((r) => r.putP50))).toFixed(2)})`,
  );
  console.log(
    `a read sent as the PUT is answered, p50 / p99: ${fmt(busy.map((r) => r.readP50))} / ${fmt(busy.map((r) => r.readP99))} ms ` +
      `with ${STREAMS} streams (the fan-out under way), ${fmt(idle.map((r) => r.readP50))} / ${fmt(idle.map((r) => r.readP99))} ms without`,
  );
  console.log(
    `fan-out after the PUT's response: p50 ${fmt(busy.map((r) => r.fanP50))} ms, p99 ${fmt(busy.map((r) => r.fanP99))} ms ` +
      `(target ≤ 100 ms) ${p99 <= 100 ? 'OK' : 'ABOVE TARGET'}; ` +
      `${busy.map((r) => r.delivered).join(' / ')} of ${expected} events delivered per round`,
  );
  console.log(
    `floor, bare node:http writing one frame to ${STREAMS} streams, same client: p50 ${fmt(floor.map((r) => r.fanP50))} ms, ` +
      `p99 ${fmt(floor.map((r) => r.fanP99))} ms; Waymark p99 / floor p99 ${(p99 / median(floor.map((r) => r.fanP99))).toFixed(2)}`,
  );
}
