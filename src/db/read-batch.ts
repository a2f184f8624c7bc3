/**
 * Coalesces lookups by key made in the same turn of the event loop into one query: requests read
 * from the network together (a burst of API calls, each resolving its session cookie) cost one round
 * trip to PostgreSQL between them instead of one each. The query runs at the end of the turn
 * (`setImmediate`), so it starts after every request that asked and sees everything committed before
 * any of them arrived. A failing query fails every lookup of its batch, as it would have failed each.
 *
 * @example
 *   const findSession = batchedLookup((hashes) => repo.findSessionsByTokenHashes(db, hashes));
 *   const session = await findSession(hash); // undefined when there is none
 */
interface Caller<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

export function batchedLookup<K, V>(
  load: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>,
  maxBatch = 200,
): (key: K) => Promise<V | undefined> {
  let waiting = new Map<K, Caller<V>[]>();
  let scheduled = false;
  const run = (batch: Map<K, Caller<V>[]>) => {
    load([...batch.keys()]).then(
      (found) => {
        for (const [key, callers] of batch) for (const caller of callers) caller.resolve(found.get(key));
      },
      (error: unknown) => {
        for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
      },
    );
  };
  const flush = () => {
    scheduled = false;
    const all = waiting;
    waiting = new Map();
    let batch = new Map<K, Caller<V>[]>();
    for (const [key, callers] of all) {
      batch.set(key, callers);
      if (batch.size >= maxBatch) {
        run(batch);
        batch = new Map();
      }
    }
    if (batch.size > 0) run(batch);
  };
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const callers = waiting.get(key);
      if (callers) callers.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
