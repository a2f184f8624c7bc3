// The dashboard's cost must not grow with a learner's history: p99 for a learner with 1,000,000
// activity rows within 1.5× of one with 1,000, same server, same rounds.
import { interleaved, printTable, ratioLine, start, SECONDS } from '../harness.js';

export async function historySection(): Promise<void> {
  const sizes = (process.env.BENCH_HISTORY_SIZES ?? '1000,1000000').split(',');
  console.log(`seeding learners with ${sizes.join(' and ')} activity rows…`);
  const app = await start('./app-server.ts', { BENCH_HISTORY_ROWS: sizes.join(',') });
  const base = `http://127.0.0.1:${app.info.port}`;
  try {
    const scenarios = sizes.map((size) => ({
      name: `GET /api/v1/dashboard, ${Number(size).toLocaleString('en')} activity rows`,
      options: () => ({
        seconds: SECONDS,
        connections: 8,
        url: `${base}/api/v1/dashboard?roadmapId=backend`,
        headers: { cookie: app.info.history[size] ?? '' },
      }),
    }));
    const results = [...(await interleaved(scenarios)).values()];
    printTable(results);
    const [small, large] = results;
    if (small && large) console.log(ratioLine('p99 large/small history', large, small, 1.5, 'p99', true));
  } finally {
    await app.stop();
  }
}
