/**
 * Calls that arrive while earlier ones run are handed to `run` together (group commit): a job calls with its id and
 * waits for its own result, and a burst of jobs costs one batch's statements instead of one set per job. A lone call
 * runs at once (on the next turn of the event loop), so nothing waits for a batch to fill up.
 */
export function grouped<K, R>(run: (keys: K[]) => Promise<R[]>, options: { maxBatch: number; maxRunning: number }) {
  type Waiting = { key: K; resolve: (result: R) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let running = 0;
  let scheduled = false;

  function flush() {
    scheduled = false;
    while (running < options.maxRunning && waiting.length) {
      const batch = waiting.slice(0, options.maxBatch);
      waiting = waiting.slice(batch.length);
      running += 1;
      run(batch.map((entry) => entry.key))
        .then(
          (results) => batch.forEach((entry, index) => entry.resolve(results[index])),
          (error: unknown) => batch.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          running -= 1;
          flush();
        });
    }
  }

  return function call(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };
}
