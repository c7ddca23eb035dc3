/**
 * Many writes inside one Dexie transaction, issued straight on its IndexedDB transaction as
 * the caller builds them: the browser writes one slice while the page builds the next, instead
 * of the two taking turns, and Dexie's per-row bookkeeping is skipped (as in db.ts putRowsRaw).
 * Everything stays in the caller's transaction: a failed write, a thrown error or a cancel
 * aborts it and nothing is left. Measured at 10,000 cards (tests/bench/transfer-bench.ts):
 * each IndexedDB write costs the browser 0.1-0.4 ms whatever its size (more on a loaded
 * machine), about as much as building the card, so the two are better done side by side.
 *
 * Use only after the transaction's last Dexie call: waiting on a native request does not keep
 * Dexie's zone, so later Dexie calls could run outside the transaction.
 */
import Dexie from 'dexie';

export interface QueuedWrites {
  add(table: string, value: unknown): void;
  put(table: string, value: unknown): void;
  /**
   * Lets the page paint and handle input: resolves once the browser has written what was
   * queued before the previous call (so a slice is always being written while the next is
   * built), or, if that is already done, what is queued now.
   */
  breathe(): Promise<void>;
  /** Resolves once every queued write is done. */
  flush(): Promise<void>;
}

/** Writes queued on the current Dexie transaction (call inside `db.transaction('rw', …)`). */
export function queueWrites(): QueuedWrites {
  const trans = Dexie.currentTransaction;
  if (!trans) throw new Error('queueWrites needs a transaction');
  const idb = trans.idbtrans;
  let last: IDBRequest | undefined;
  let lastTable = '';
  let previous: { done: boolean; promise: Promise<void> } | undefined;

  const settled = (request: IDBRequest | undefined) => {
    const mark = { done: true, promise: Promise.resolve() };
    if (!request || request.readyState === 'done') return mark;
    mark.done = false;
    mark.promise = new Promise<void>((resolve, reject) => {
      request.addEventListener('success', () => {
        mark.done = true;
        resolve();
      });
      // The error also aborts the transaction; the caller's transaction rejects with it.
      request.addEventListener('error', () => reject(request.error ?? new Error('IndexedDB write failed')));
    });
    mark.promise.catch(() => undefined);
    return mark;
  };

  return {
    add(table, value) {
      last = idb.objectStore(table).add(value);
      lastTable = table;
    },
    put(table, value) {
      last = idb.objectStore(table).put(value);
      lastTable = table;
    },
    async breathe() {
      // Nothing in flight (everything written, or nothing queued yet): a read of nothing is
      // the turn of the event loop, so the page paints (a timer would let the transaction commit).
      if (!last || last.readyState === 'done') last = idb.objectStore(lastTable || idb.objectStoreNames[0]!).get(0);
      const current = settled(last);
      const wait = previous && !previous.done ? previous : current;
      previous = current;
      await wait.promise;
    },
    async flush() {
      await settled(last).promise;
    },
  };
}
