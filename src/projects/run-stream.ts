import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as repo from './projects.repository.js';
import { presentCheck, presentRun } from './projects.presenter.js';
import type { RunEvent, RunEvents } from './run-events.js';
import { openEventStream } from '../realtime/events.routes.js';

const HEARTBEAT_MS = 25_000;
const FINAL = new Set(['passed', 'failed', 'errored', 'interrupted']);

/**
 * Streams one run as server-sent events: the checks already stored, then each new one as it is
 * committed, and `state` events; the stream ends with the run. Listening starts before the stored
 * checks are read, so a check finishing in between is sent (a repeat of an index replaces it).
 */
export async function streamRun(
  app: FastifyInstance,
  events: RunEvents,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  runId: string,
  open: Set<() => void>,
): Promise<void> {
  const buffered: RunEvent[] = [];
  let live = false;
  let closed = false;
  const raw = reply.raw;
  const write = (event: RunEvent) => {
    if (closed) return;
    const data = event.type === 'check' ? event.check : event.run;
    raw.write(`event: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
    if (event.type === 'state' && FINAL.has(event.run.state)) close();
  };
  const unsubscribe = events.onRun(runId, (event) => (live ? write(event) : buffered.push(event)));
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    open.delete(close);
    if (!raw.writableEnded) raw.end();
  }
  open.add(close);
  request.raw.once('close', close);

  reply.hijack();
  openEventStream(raw, 3000);
  const [run, checks, verifications] = await Promise.all([
    repo.findUserRun(app.db.kysely, userId, runId),
    repo.listChecks(app.db.kysely, runId),
    repo.listVerifications(app.db.kysely, userId),
  ]);
  if (!run) return close();
  for (const check of checks) write({ type: 'check', runId, check: presentCheck(check) });
  const verification = verifications.find((v) => v.run_id === runId);
  live = true;
  write({ type: 'state', runId, run: presentRun(run, verification?.id ?? null) });
  for (const event of buffered.splice(0)) write(event);
}
