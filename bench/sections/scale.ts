// Flat at scale: p99 for a random learner seen for the first time (cold caches) at 1,000,000 learners
// against 1,000 learners, PostgreSQL, same run. Needs the seeded databases:
//   npm run bench:seed -- --learners 1000 && npm run bench:seed -- --learners 1000000
// BENCH_ROUNDS rounds, each with fresh servers warmed up on learner 1 (never sampled); the ratio is
// the median p99 at 1,000,000 over the median p99 at 1,000, with the per-round ratios' range.
import pg from 'pg';
import { percentile, median, start, POSTGRES_SERVER, ROUNDS } from '../harness.js';
import { benchCookie } from '../seed-ids.js';

const SMALL = Number(process.env.BENCH_SCALE_SMALL ?? 1000);
const LARGE = Number(process.env.BENCH_SCALE_LARGE ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 400);
const CONCURRENCY = 4;

async function seededLearners(database: string): Promise<number | null> {
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    const result = await client.query<{ n: string }>(
      "select count(*) as n from users where id like 'bench-user-%'",
    );
    return Number(result.rows[0]?.n ?? 0);
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

type Kind = 'GET progress' | 'PUT progress' | 'GET plan' | 'GET dashboard';
const KINDS: Kind[] = ['GET progress', 'PUT progress', 'GET plan', 'GET dashboard'];

/** Latency of one request per learner, for SAMPLES distinct learners never asked before. */
async function sample(
  base: string,
  origin: string,
  kind: Kind,
  learners: number[],
  topics: string[],
  round: number,
): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < learners.length) {
      const n = learners[next++]!;
      const cookie = `waymark_session=${benchCookie(n)}`;
      const t = performance.now();
      const response =
        kind === 'PUT progress'
          ? await fetch(`${base}/api/v1/topics/${topics[n % topics.length]}/progress`, {
              method: 'PUT',
              headers: { cookie, origin, 'content-type': 'application/json' },
              // A real change in every round (a learner asked again in a later round flips back).
              body: JSON.stringify({ status: (n + round) % 2 ? 'learning' : 'done' }),
            })
          : await fetch(
              `${base}${kind === 'GET progress' ? '/api/v1/roadmaps/backend/progress' : kind === 'GET plan' ? '/api/v1/roadmaps/backend/plan' : '/api/v1/dashboard?roadmapId=backend'}`,
              { headers: { cookie } },
            );
      await response.arrayBuffer();
      times.push(performance.now() - t);
      if (!response.ok) throw new Error(`${kind} for learner ${n}: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return times;
}

export async function scaleSection(): Promise<void> {
  const databases = { small: `waymark_bench_${SMALL}`, large: `waymark_bench_${LARGE}` };
  const [small, large] = await Promise.all([
    seededLearners(databases.small),
    seededLearners(databases.large),
  ]);
  if (!small || !large) {
    console.log(
      `skipped: seed ${!small ? databases.small : ''} ${!large ? databases.large : ''} first:\n` +
        `  npm run bench:seed -- --learners ${SMALL}\n  npm run bench:seed -- --learners ${LARGE}`,
    );
    return;
  }
  const url = (db: string) => {
    const u = new URL(POSTGRES_SERVER);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const counts = { small, large };
  // Learner 1 warms each fresh server up (route schemas compile on first use, V8 optimises the
  // handlers) and is never sampled: "cold" means the learner's data, not the server.
  const WARM_LEARNER = 1;
  const usedLarge = new Set<number>([WARM_LEARNER]);
  const pick = (which: 'small' | 'large', n: number, used: Set<number>) => {
    const out: number[] = [];
    while (out.length < n && used.size < counts[which]) {
      const id = 1 + Math.floor(Math.random() * counts[which]);
      if (used.has(id)) continue;
      used.add(id);
      out.push(id);
    }
    return out;
  };
  const p99 = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    // Fresh servers each round, so no learner is in an application cache. The small database's
    // learners are asked again in later rounds (it has too few for more); at 1,000 learners its
    // pages are all in PostgreSQL's buffers anyway, and a large-database learner is never asked twice.
    const servers = {
      small: await start('./app-server.ts', {
        BENCH_DATABASE_URL: url(databases.small),
        BENCH_NO_LEARNER: '1',
      }),
      large: await start('./app-server.ts', {
        BENCH_DATABASE_URL: url(databases.large),
        BENCH_NO_LEARNER: '1',
      }),
    };
    try {
      const usedSmall = new Set<number>([WARM_LEARNER]);
      for (const which of ['small', 'large'] as const) {
        const s = servers[which];
        for (const kind of KINDS) {
          const base = `http://127.0.0.1:${s.info.port}`;
          await sample(
            base,
            s.info.origin,
            kind,
            [WARM_LEARNER, WARM_LEARNER, WARM_LEARNER],
            s.info.topics,
            0,
          );
        }
      }
      for (const kind of KINDS) {
        // Alternate which database goes first, so neither always follows the other's load.
        const order = round % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
        for (const which of order) {
          const s = servers[which];
          const learners = pick(which, SAMPLES, which === 'small' ? usedSmall : usedLarge);
          const times = await sample(
            `http://127.0.0.1:${s.info.port}`,
            s.info.origin,
            kind,
            learners,
            s.info.topics,
            round,
          );
          const key = `${kind}|${which}`;
          p99.set(key, [...(p99.get(key) ?? []), percentile(times, 99)]);
        }
      }
    } finally {
      await Promise.all([servers.small.stop(), servers.large.stop()]);
    }
  }
  {
    console.log(
      `cold learners (each asked once per round, fresh servers each round), ${SAMPLES} per sample, ${CONCURRENCY} at a time, ${ROUNDS} round(s)`,
    );
    console.log(
      `${'request'.padEnd(16)}${`p99 @ ${small.toLocaleString('en')}`.padStart(22)}${`p99 @ ${large.toLocaleString('en')}`.padStart(24)}${'ratio'.padStart(9)}${'per round'.padStart(18)}`,
    );
    for (const kind of KINDS) {
      const s = p99.get(`${kind}|small`) ?? [];
      const l = p99.get(`${kind}|large`) ?? [];
      const ratio = median(l) / median(s);
      const perRound = l.map((v, i) => v / (s[i] ?? v));
      const fmt = (v: number[]) =>
        `${median(v).toFixed(1)} ms [${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}]`;
      console.log(
        `${kind.padEnd(16)}${fmt(s).padStart(22)}${fmt(l).padStart(24)}${ratio.toFixed(2).padStart(9)}${`[${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}]`.padStart(18)} ${ratio <= 1.5 ? 'OK' : 'ABOVE TARGET (≤ 1.5)'}`,
      );
    }
    const size = new pg.Client({ connectionString: url(databases.large) });
    await size.connect();
    const bytes = Number(
      (await size.query<{ b: string }>('select pg_database_size(current_database()) as b')).rows[0]?.b ?? 0,
    );
    await size.end();
    console.log(
      `database size at ${large.toLocaleString('en')} learners: ${(bytes / 2 ** 30).toFixed(2)} GiB, ${(bytes / large / 1024).toFixed(1)} KiB per learner`,
    );
  }
}
