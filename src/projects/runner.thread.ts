import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CheckResult, RunInput, RunOutcome } from './runner.js';
import { DEFAULT_LIMITS } from './runner.js';
import type { RunChecks } from './run-executor.js';

// Runs project checks off the app's event loop. newman executes test scripts synchronously, so ten
// runs in the app's own thread took GET progress p99 from ~8 ms to ~1.6 s. The runs go to a small
// pool of worker threads (runner.worker.ts) instead; each thread takes several runs at once.
// Everything a run is judged by stays where it was: limits, response caps and cancellation are
// enforced by runner.ts inside the worker, and the network guard is sent as data (`input.guard`) and
// rebuilt into agents there. A worker that dies or hangs ends its runs `errored`, never silently.

/** Messages to a worker. */
export type ToWorker =
  { type: 'run'; id: number; input: WorkerRunInput; aborted: boolean } | { type: 'abort'; id: number };
/** Messages from a worker. */
type FromWorker =
  { type: 'check'; id: number; check: CheckResult } | { type: 'done'; id: number; outcome: RunOutcome };

/** The part of {@link RunInput} that can cross threads (no agents, signal or callback). */
export type WorkerRunInput = Omit<RunInput, 'requestAgents' | 'signal' | 'onCheck'>;

/** Extra time a worker gets past a run's own total limit before it counts as hung and is ended. */
const HANG_GRACE_MS = 10_000;
/** An idle worker is ended after this long, so a server with no runs holds no newman in memory. */
const IDLE_MS = 30_000;

interface Pending {
  input: RunInput;
  resolve(outcome: RunOutcome): void;
  cleanup(): void;
}

interface Thread {
  worker: Worker;
  runs: Map<number, Pending>;
  idle?: NodeJS.Timeout;
}

export interface ThreadedRunner {
  runChecks: RunChecks;
  /** Ends every worker; runs still executing end `errored`. */
  close(): Promise<void>;
}

/** How the worker module is started: compiled JavaScript directly, TypeScript sources through tsx. */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./runner.worker.js', here));
  const entry = new URL('./runner.worker.ts', here).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true });
}

/** Plain data only: the guard's policy without an injected resolver (the worker resolves itself). */
function portable(input: RunInput): WorkerRunInput {
  const { collection, baseUrl, limits, insecureTls, guard } = input;
  return {
    collection,
    baseUrl,
    ...(limits ? { limits } : {}),
    ...(insecureTls ? { insecureTls } : {}),
    ...(guard
      ? {
          guard: {
            policy: {
              allowPrivate: guard.policy.allowPrivate,
              ...(guard.policy.allowAddresses ? { allowAddresses: [...guard.policy.allowAddresses] } : {}),
            },
            pins: guard.pins,
            rejectUnauthorized: guard.rejectUnauthorized,
          },
        }
      : {}),
  };
}

const errored = (error: string): RunOutcome => ({ outcome: 'errored', checks: [], durationMs: 0, error });

/**
 * A pool of check worker threads, started on first use.
 *
 * @param size threads (default: one less than the cores, at least one), each taking any number of runs
 * @example
 * const runner = createThreadedRunner();
 * const outcome = await runner.runChecks({ collection, baseUrl, guard: { policy, pins, rejectUnauthorized: true } });
 */
export function createThreadedRunner(size = Math.max(1, availableParallelism() - 1)): ThreadedRunner {
  const threads: Thread[] = [];
  let nextId = 0;
  let closed = false;

  /** Ends every run of `thread` with `error` (the worker died, hung, idled out or is closing). */
  function endAll(thread: Thread, error: string): void {
    const index = threads.indexOf(thread);
    if (index >= 0) threads.splice(index, 1);
    clearTimeout(thread.idle);
    for (const pending of thread.runs.values()) {
      pending.cleanup();
      pending.resolve(errored(error));
    }
    thread.runs.clear();
  }

  function spawn(): Thread {
    const thread: Thread = { worker: startWorker(), runs: new Map() };
    thread.worker.unref();
    thread.worker.on('message', (message: FromWorker) => {
      const pending = thread.runs.get(message.id);
      if (!pending) return;
      if (message.type === 'check') {
        pending.input.onCheck?.(message.check);
        return;
      }
      thread.runs.delete(message.id);
      pending.cleanup();
      pending.resolve(message.outcome);
      if (thread.runs.size === 0) {
        thread.idle = setTimeout(() => {
          if (thread.runs.size > 0) return;
          endAll(thread, 'the checks could not run: the check worker was idle');
          void thread.worker.terminate();
        }, IDLE_MS);
        thread.idle.unref();
      }
    });
    thread.worker.on('error', (error) =>
      endAll(thread, `the checks could not run: the check worker failed (${error.message})`),
    );
    thread.worker.on('exit', (code) =>
      endAll(thread, `the checks could not run: the check worker stopped (exit code ${code})`),
    );
    threads.push(thread);
    return thread;
  }

  /** The least busy thread, or a new one while the pool has room. */
  function pick(): Thread {
    const least = threads.reduce<Thread | undefined>(
      (best, thread) => (!best || thread.runs.size < best.runs.size ? thread : best),
      undefined,
    );
    if (least && (least.runs.size === 0 || threads.length >= size)) return least;
    return spawn();
  }

  function runChecks(input: RunInput): Promise<RunOutcome> {
    if (closed) return Promise.resolve(errored('the checks could not run: the server is shutting down'));
    if (input.requestAgents) {
      // Agents cannot cross threads; taking them silently would drop whatever they enforce.
      return Promise.reject(new Error('a threaded check run takes `guard`, not `requestAgents`'));
    }
    const thread = pick();
    clearTimeout(thread.idle);
    const id = ++nextId;
    const totalMs = input.limits?.totalTimeoutMs ?? DEFAULT_LIMITS.totalTimeoutMs;
    return new Promise<RunOutcome>((resolve) => {
      const onAbort = () => thread.worker.postMessage({ type: 'abort', id } satisfies ToWorker);
      // The run enforces its own total limit; this only catches a worker that stopped answering.
      const hung = setTimeout(() => {
        endAll(thread, `the run took longer than the ${Math.round(totalMs / 1000)} s limit`);
        void thread.worker.terminate();
      }, totalMs + HANG_GRACE_MS);
      const cleanup = () => {
        clearTimeout(hung);
        input.signal?.removeEventListener('abort', onAbort);
      };
      thread.runs.set(id, { input, resolve, cleanup });
      const aborted = input.signal?.aborted === true;
      thread.worker.postMessage({ type: 'run', id, input: portable(input), aborted } satisfies ToWorker);
      if (!aborted) input.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return {
    runChecks,
    async close() {
      closed = true;
      await Promise.all(
        [...threads].map(async (thread) => {
          endAll(thread, 'the checks could not run: the server is shutting down');
          await thread.worker.terminate();
        }),
      );
    },
  };
}
