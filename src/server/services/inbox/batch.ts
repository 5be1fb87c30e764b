/**
 * Coalesces the calls made during one turn of the event loop into a single call of `run` per key
 * (the organisation's slug). The ingest worker runs many jobs at once; each costs the database a
 * round trip per step, and a round trip costs the same for one document as for fifty. Callers still
 * await their own item: a job goes on only once its own write is done, so per-job ordering and the
 * acknowledgement rules stay what they were. `run` answers item by item, in order; an `Error` in
 * its place rejects that caller only.
 */
type Waiter<I, O> = { item: I; resolve: (o: O) => void; reject: (err: unknown) => void };

export function batcher<I, O>(run: (key: string, items: I[]) => Promise<Array<O | Error>>, maxSize = 256) {
  const open = new Map<string, Array<Waiter<I, O>>>();

  const flush = (key: string, batch: Array<Waiter<I, O>>) => {
    if (open.get(key) === batch) open.delete(key);
    run(
      key,
      batch.map((w) => w.item),
    ).then(
      (outs) =>
        batch.forEach((w, i) => {
          const out = outs[i];
          if (out instanceof Error) w.reject(out);
          else w.resolve(out as O);
        }),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
  };

  return (key: string, item: I): Promise<O> =>
    new Promise<O>((resolve, reject) => {
      let batch = open.get(key);
      if (!batch) {
        const fresh: Array<Waiter<I, O>> = [];
        open.set(key, fresh);
        // After the I/O callbacks of this turn: every job woken by the same Redis or MongoDB reply joins.
        setImmediate(() => {
          if (open.get(key) === fresh) flush(key, fresh);
        });
        batch = fresh;
      }
      batch.push({ item, resolve, reject });
      if (batch.length >= maxSize) flush(key, batch);
    });
}
