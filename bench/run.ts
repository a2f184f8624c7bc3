// `npm run bench`: Waymark's speed as ratios measured in one run on this machine (absolute numbers
// vary with the machine and its neighbours; ratios within one run do not). Load comes from wrk
// (Debian's package, one C thread — not the bottleneck), scenarios are interleaved over rounds, and
// every figure is printed as the median with the spread [min–max] across rounds.
//
// Sections (BENCH_ONLY=api,pages,postgres,history,scale,fanout,nginx,start,weight,checks,cohort picks some):
//   api       GET/PUT progress against bare node:http and bare Fastify doing the same I/O
//   pages     roadmap page (compressed, signed in), plan and dashboard against GET progress
//   postgres  PUT progress on PostgreSQL against the same PUT on SQLite
//   history   dashboard p99 for a learner with 1,000 vs 1,000,000 activity rows
//   scale     cold-cache p99 at 1,000 vs 1,000,000 learners (needs `npm run bench:seed`)
//   fanout    change-event fan-out to 10,000 open streams
//   nginx     two instances behind nginx with Redis against one direct instance
//   start     cold start to /healthz and idle RSS of the compiled server
//   weight    roadmap page weight and first contentful paint in Chromium
//   cohort    the mentor's cohort table for 5,000 learners among 1,000,000 (p99 ≤ 150 ms; needs
//             `npm run bench:seed -- --learners 1000000 --cohort-learners 5000`)
//   checks    project check runs per minute (one worker, reference fixture); GET progress p99 while
//             ten runs execute versus idle
// Environment: BENCH_SECONDS (per sample, default 3), BENCH_ROUNDS (default 3),
// BENCH_POSTGRES_URL (server for the PostgreSQL sections, default postgres://postgres@127.0.0.1:5432/postgres).
import { wrkAvailable } from './wrk.js';
import { apiSection } from './sections/api.js';
import { pagesSection } from './sections/pages.js';
import { postgresSection } from './sections/postgres.js';
import { historySection } from './sections/history.js';
import { scaleSection } from './sections/scale.js';
import { fanoutSection } from './sections/fanout.js';
import { nginxSection } from './sections/nginx.js';
import { startSection } from './sections/start.js';
import { weightSection } from './sections/weight.js';
import { checksSection } from './sections/checks.js';
import { cohortSection } from './sections/cohort.js';

const sections: Record<string, () => Promise<void>> = {
  api: apiSection,
  pages: pagesSection,
  postgres: postgresSection,
  history: historySection,
  scale: scaleSection,
  fanout: fanoutSection,
  nginx: nginxSection,
  start: startSection,
  weight: weightSection,
  checks: checksSection,
  cohort: cohortSection,
};

if (!(await wrkAvailable())) {
  console.error('npm run bench needs wrk (Debian: apt-get install -y wrk).');
  process.exit(1);
}
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
for (const name of only) if (!sections[name]) throw new Error(`BENCH_ONLY: unknown section ${name}`);
for (const [name, section] of Object.entries(sections)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== ${name} ${'='.repeat(60 - name.length)}`);
  try {
    await section();
  } catch (error) {
    console.log(
      `section ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  }
}
