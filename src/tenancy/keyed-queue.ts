// Runs tasks one after another per key (e.g. per room), concurrently across keys. Keeps no
// entry for an idle key.
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();
  /** Tasks per key not settled yet (the running one included). */
  readonly #pending = new Map<string, number>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
    const result = previous.then(task, task);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      const left = (this.#pending.get(key) ?? 1) - 1;
      if (left === 0) this.#pending.delete(key);
      else this.#pending.set(key, left);
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Tasks of `key` queued behind the one running. */
  waiting(key: string): number {
    return Math.max(0, (this.#pending.get(key) ?? 0) - 1);
  }

  get activeKeys(): number {
    return this.#tails.size;
  }
}
