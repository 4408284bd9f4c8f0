// Wakes long-polling /sync requests of one tenant when something they may see changed.
// In-process and per tenant: writers call notify() after commit; nothing polls the database.

export interface Waiter {
  /** Resolves true when woken, false on timeout or abort. */
  promise: Promise<boolean>;
  cancel(): void;
}

export class Notifier {
  readonly #waiters = new Map<string, Set<(woken: boolean) => void>>();

  /** Waits until notify() names the user, wakeAll() runs, the timeout passes or the signal aborts. */
  wait(userId: string, timeoutMs: number, signal?: AbortSignal): Waiter {
    let done: (woken: boolean) => void = () => {};
    const promise = new Promise<boolean>((resolve) => {
      if (signal?.aborted) {
        resolve(false);
        return;
      }
      const finish = (woken: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const set = this.#waiters.get(userId);
        set?.delete(finish);
        if (set && set.size === 0) this.#waiters.delete(userId);
        resolve(woken);
      };
      const onAbort = (): void => finish(false);
      done = finish;
      let set = this.#waiters.get(userId);
      if (!set) this.#waiters.set(userId, (set = new Set()));
      set.add(finish);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return { promise, cancel: () => done(false) };
  }

  notify(userIds: Iterable<string>): void {
    for (const userId of userIds) {
      const set = this.#waiters.get(userId);
      if (!set) continue;
      for (const finish of [...set]) finish(true);
    }
  }

  /** Wakes everyone (e.g. when the tenant is reloaded); they re-check and return. */
  wakeAll(): void {
    for (const set of [...this.#waiters.values()]) for (const finish of [...set]) finish(true);
  }

  get waiting(): number {
    let n = 0;
    for (const set of this.#waiters.values()) n += set.size;
    return n;
  }
}
