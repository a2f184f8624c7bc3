import { parentPort } from 'node:worker_threads';
import { runChecks, type RunInput } from './runner.js';
import type { ToWorker } from './runner.thread.js';

// A check worker thread (started by runner.thread.ts). newman runs each check's test scripts in a
// sandbox synchronously, which would stall every other request of the app for as long as they take;
// here they stall only this thread. The run's guarded agents are built in this thread from the
// `guard` the executor sent (see runner.ts), so every socket is vetted and pinned exactly as in-thread.

const port = parentPort;
if (!port) throw new Error('runner.worker.ts runs only as a worker thread (see runner.thread.ts)');

const running = new Map<number, AbortController>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') {
    running.get(message.id)?.abort();
    return;
  }
  const { id, input } = message;
  const controller = new AbortController();
  if (message.aborted) controller.abort();
  running.set(id, controller);
  const run: RunInput = {
    ...input,
    signal: controller.signal,
    onCheck: (check) => port.postMessage({ type: 'check', id, check }),
  };
  void runChecks(run).then((outcome) => {
    running.delete(id);
    port.postMessage({ type: 'done', id, outcome });
  });
});
