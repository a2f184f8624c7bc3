// One of several client threads of the fan-out section: holds its share of the event streams and
// notes, on the shared wall clock (timeOrigin + now), when each stream received each event. With
// several threads the reading of 10,000 sockets is spread, so the client is less of the measurement.
// Plain JavaScript: worker threads do not get tsx's loader on Node 20.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ port: number, path: string, cookie: string, count: number, marker: string }} */
const { port, path, cookie, count, marker } = workerData;
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
/** @type {(() => void)[]} */
const closers = [];
/** @type {number[]} */
let times = [];
let armed = false;

const now = () => performance.timeOrigin + performance.now();

function received() {
  if (!armed) return;
  times.push(now());
  if (times.length === count) {
    armed = false;
    parentPort.postMessage({ type: 'times', times });
  }
}

/** @returns {Promise<() => void>} */
function openStream() {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { cookie, accept: 'text/event-stream' }, agent },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          for (let at = chunk.indexOf(marker); at !== -1; at = chunk.indexOf(marker, at + 1)) received();
        });
        res.on('error', () => {});
        resolve(() => req.destroy());
      },
    );
    req.on('error', reject);
    req.end();
  });
}

parentPort.on('message', (message) => {
  if (message.type === 'arm') {
    times = [];
    armed = true;
  } else if (message.type === 'collect') {
    // Whatever arrived (a timeout on the main thread): report it as it is.
    armed = false;
    parentPort.postMessage({ type: 'times', times });
  } else if (message.type === 'close') {
    for (const close of closers) close();
    agent.destroy();
    parentPort.close();
  }
});

try {
  for (let opened = 0; opened < count; opened += 100)
    closers.push(...(await Promise.all(Array.from({ length: Math.min(100, count - opened) }, openStream))));
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'failed', error: String(error) });
}
