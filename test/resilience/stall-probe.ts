import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Every page, export and feed of one account (issue 14, item 1: "every page of that account"). */
export function accountPaths(feedPath: string): string[] {
  return [
    '/',
    '/roadmaps/backend',
    '/roadmaps/backend?view=list',
    '/roadmaps/backend/print',
    '/roadmaps/backend/plan',
    '/roadmaps/backend/plan/print',
    '/roadmaps/backend/plan/versions/1',
    '/dashboard',
    '/review',
    '/settings',
    '/api/v1/me/export',
    '/api/v1/me/export.csv',
    '/api/v1/roadmaps/backend/progress',
    '/api/v1/roadmaps/backend/checklist.md',
    '/api/v1/roadmaps/backend/plan',
    '/api/v1/roadmaps/backend/plan/versions',
    '/api/v1/roadmaps/backend/plan.ics',
    '/api/v1/dashboard',
    '/api/v1/review/queue',
    '/api/v1/review/summary',
    feedPath,
  ];
}

export interface StallServer {
  base: string;
  paths: string[];
  /** GETs a path as the account's owner; resolves with the status once the body is read. */
  get(path: string): Promise<number>;
  /** The longest event-loop block (ms) since the previous call: own work, and raw timer lateness. */
  block(): Promise<{ block: number; wall: number }>;
  close(): Promise<void>;
}

/** Starts stall-server.ts in a child process holding the largest accepted account. */
export async function startStallServer(dialect: string): Promise<StallServer> {
  const child = fork(fileURLToPath(new URL('./stall-server.ts', import.meta.url)), [dialect], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = (await once(child, 'message'))[0] as { port: number; cookie: string; feedPath: string };
  const base = `http://127.0.0.1:${ready.port}`;
  const headers = { cookie: `waymark_session=${ready.cookie}`, accept: 'text/html,application/json' };
  return {
    base,
    paths: accountPaths(ready.feedPath),
    async get(path) {
      const res = await fetch(base + path, { headers });
      await res.arrayBuffer();
      return res.status;
    },
    async block() {
      child.send('lag');
      const { lag, wall } = (await once(child, 'message'))[0] as { lag: number; wall: number };
      return { block: lag, wall };
    },
    async close() {
      child.send('exit');
      await once(child, 'exit');
    },
  };
}
