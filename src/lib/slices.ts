// Cooperative slicing of long loops (issue 14): a request that walks a large account yields to the
// event loop every few milliseconds, so other requests — and /healthz — are served in between.

import { performance } from 'node:perf_hooks';

/** Lets every callback already waiting on the event loop run first. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A time budget for one loop: `await slices.pause()` between items yields to the event loop once
 * the current slice has run `budgetMs`, and otherwise costs only a clock read.
 *
 * @example const slices = new Slices(); for (const week of weeks) { await slices.pause(); render(week); }
 */
export class Slices {
  private started = performance.now();

  constructor(private readonly budgetMs = 5) {}

  async pause(): Promise<void> {
    if (performance.now() - this.started < this.budgetMs) return;
    await yieldToLoop();
    this.started = performance.now();
  }
}

const FLUSH_AT = 64 * 1024;

/**
 * `value` as JSON text (what `JSON.stringify(value)` gives), produced in pieces of about 64 KB
 * with a pause between array elements and object members down to `depth` levels, so a document of
 * many megabytes is written without holding the event loop. Deeper values are stringified whole.
 *
 * @example reply.type('application/json').send(Readable.from(jsonPieces(document)))
 */
export async function* jsonPieces(value: unknown, depth = 3, slices = new Slices()): AsyncGenerator<string> {
  let buffer = '';
  async function* write(item: unknown, level: number): AsyncGenerator<string> {
    const plain =
      item !== null && typeof item === 'object' && typeof (item as { toJSON?: unknown }).toJSON === 'function'
        ? (item as { toJSON: () => unknown }).toJSON()
        : item;
    if (level >= depth || plain === null || typeof plain !== 'object') {
      buffer += JSON.stringify(plain) ?? 'null';
    } else if (Array.isArray(plain)) {
      buffer += '[';
      for (let i = 0; i < plain.length; i += 1) {
        if (i > 0) buffer += ',';
        const element: unknown = plain[i];
        yield* write(element === undefined || typeof element === 'function' ? null : element, level + 1);
      }
      buffer += ']';
    } else {
      buffer += '{';
      let first = true;
      for (const [key, member] of Object.entries(plain)) {
        if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
        buffer += `${first ? '' : ','}${JSON.stringify(key)}:`;
        first = false;
        yield* write(member, level + 1);
      }
      buffer += '}';
    }
    if (buffer.length >= FLUSH_AT) {
      yield buffer;
      buffer = '';
    }
    await slices.pause();
  }
  yield* write(value, 0);
  if (buffer) yield buffer;
}
