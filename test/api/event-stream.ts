import assert from 'node:assert/strict';

export interface Stream {
  /** Resolves with the first event of this type (its parsed data). */
  next(type: string): Promise<Record<string, unknown>>;
  /** Resolves once the server ended the stream, with the reason of its last `closed` event. */
  ended: Promise<string | null>;
  cancel(): Promise<void>;
}

/** Opens GET /api/v1/events (or another event stream) over a real socket and parses the server-sent events as they arrive. */
export async function openStream(
  base: string,
  headers: Record<string, string>,
  path = '/api/v1/events',
): Promise<Stream> {
  const response = await fetch(`${base}${path}`, { headers });
  assert.equal(response.status, 200, await (response.status === 200 ? Promise.resolve('') : response.text()));
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const seen: { type: string; data: Record<string, unknown> }[] = [];
  const waiters: { type: string; resolve: (data: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!type || !data) continue;
        const event = { type, data: JSON.parse(data) as Record<string, unknown> };
        seen.push(event);
        for (const waiter of waiters.filter((w) => w.type === type)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event.data);
        }
      }
    }
    const closed = seen.filter((e) => e.type === 'closed').at(-1);
    return closed ? String(closed.data.reason) : null;
  })();
  return {
    next(type) {
      const found = seen.find((e) => e.type === type);
      if (found) return Promise.resolve(found.data);
      return new Promise((resolve) => waiters.push({ type, resolve }));
    },
    ended,
    cancel: () => reader.cancel(),
  };
}
