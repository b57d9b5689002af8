/**
 * Gathers the single-key calls callers make in the same turn of the event loop (a batch looking up
 * its receipts' messages with Promise.all, several shards at once) into one bulk call, so a
 * hundred GetItem (or DeleteItem) round trips become one BatchGetItem (or BatchWriteItem). Each
 * caller still gets its own answer, or the error of the bulk call its key was in.
 */
export type BulkLoad<V> = (keys: string[]) => Promise<Map<string, V>>;

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

export class BatchLoader<V> {
  private waiting = new Map<string, Waiter<V>[]>();
  private scheduled = false;

  constructor(private readonly load: BulkLoad<V>) {}

  get(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    try {
      const found = await this.load([...batch.keys()]);
      for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(key));
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }
}
