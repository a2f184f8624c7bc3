// The pages a learner opens most, against GET progress in the same rounds: each should serve at least
// a quarter of its requests per second. The roadmap page is fetched compressed and signed in.
import { interleaved, printTable, ratioLine, start, CONNECTIONS, SECONDS } from '../harness.js';

export async function pagesSection(): Promise<void> {
  const app = await start('./app-server.ts');
  const { port, cookie } = app.info;
  const base = `http://127.0.0.1:${port}`;
  try {
    const common = { seconds: SECONDS, connections: CONNECTIONS };
    const page = await fetch(`${base}/roadmaps/backend`, {
      headers: { cookie, 'accept-encoding': 'br, gzip' },
    });
    const pageBytes = (await page.arrayBuffer()).byteLength;
    console.log(
      `roadmap page: ${page.status}, ${page.headers.get('content-encoding') ?? 'identity'}, ${(pageBytes / 1024).toFixed(1)} KB decoded`,
    );
    const results = await interleaved([
      {
        name: 'b) GET /api/v1/roadmaps/backend/progress',
        options: () => ({ ...common, url: `${base}/api/v1/roadmaps/backend/progress`, headers: { cookie } }),
      },
      {
        name: 'p) GET /roadmaps/backend (br/gzip, signed in)',
        options: () => ({
          ...common,
          url: `${base}/roadmaps/backend`,
          headers: { cookie, 'accept-encoding': 'br, gzip' },
        }),
      },
      {
        name: 'l) GET /api/v1/roadmaps/backend/plan',
        options: () => ({ ...common, url: `${base}/api/v1/roadmaps/backend/plan`, headers: { cookie } }),
      },
      {
        name: 'd) GET /api/v1/dashboard',
        options: () => ({
          ...common,
          url: `${base}/api/v1/dashboard?roadmapId=backend`,
          headers: { cookie },
        }),
      },
      {
        name: 'pp) GET /roadmaps/backend/plan (page, br/gzip)',
        options: () => ({
          ...common,
          url: `${base}/roadmaps/backend/plan`,
          headers: { cookie, 'accept-encoding': 'br, gzip' },
        }),
      },
      {
        name: 'dp) GET /dashboard (page, br/gzip)',
        options: () => ({
          ...common,
          url: `${base}/dashboard`,
          headers: { cookie, 'accept-encoding': 'br, gzip' },
        }),
      },
    ]);
    const [b, p, l, d, pp, dp] = [...results.values()];
    if (!b || !p || !l || !d || !pp || !dp) throw new Error('missing results');
    printTable([b, p, l, d, pp, dp]);
    console.log(ratioLine('p/b (roadmap page vs progress)', p, b, 0.25));
    console.log(ratioLine('l/b (plan vs progress)        ', l, b, 0.25));
    console.log(ratioLine('d/b (dashboard vs progress)   ', d, b, 0.25));
    console.log(ratioLine('pp/b (plan page vs progress)  ', pp, b, 0.25));
    console.log(ratioLine('dp/b (dashboard page)         ', dp, b, 0.25));
  } finally {
    await app.stop();
  }
}
