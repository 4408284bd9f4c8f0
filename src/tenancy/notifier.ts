// Wakes long-polling /sync requests of one tenant when something they may see changed.
// In-process and per tenant: writers call notify() after commit; nothing polls the database.
// Every notification takes the next sequence number, and the notifier remembers each user's
// latest one: a sync that knows nothing was notified to its user since it computed its last
// response needs no database read to know that nothing new happened (on this shard).

/** Users whose latest notification is remembered; beyond, everyone counts as notified. */
const MAX_REMEMBERED_USERS = 100_000;

export interface Waiter {
  /** Resolves true when woken, false on timeout or abort. */
  promise: Promise<boolean>;
  cancel(): void;
}

export class Notifier {
  readonly #waiters = new Map<string, Set<(woken: boolean) => void>>();
  #sequence = 0;
  /** User → sequence number of the latest notification naming them. */
  readonly #lastNotified = new Map<string, number>();
  /** Sequence number of the latest notification that named everyone. */
  #everyoneNotifiedAt = 0;

  /** The sequence number of the latest notification. */
  get sequence(): number {
    return this.#sequence;
  }

  /** Whether a notification naming the user came after `sequence`. */
  notifiedAfter(userId: string, sequence: number): boolean {
    return Math.max(this.#lastNotified.get(userId) ?? 0, this.#everyoneNotifiedAt) > sequence;
  }

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
    const sequence = ++this.#sequence;
    for (const userId of userIds) {
      this.#lastNotified.set(userId, sequence);
      const set = this.#waiters.get(userId);
      if (!set) continue;
      for (const finish of [...set]) finish(true);
    }
    if (this.#lastNotified.size > MAX_REMEMBERED_USERS) {
      this.#lastNotified.clear();
      this.#everyoneNotifiedAt = sequence;
    }
  }

  /** Wakes everyone (e.g. when the tenant is reloaded); they re-check and return. */
  wakeAll(): void {
    this.#everyoneNotifiedAt = ++this.#sequence;
    for (const set of [...this.#waiters.values()]) for (const finish of [...set]) finish(true);
  }

  get waiting(): number {
    let n = 0;
    for (const set of this.#waiters.values()) n += set.size;
    return n;
  }
}
