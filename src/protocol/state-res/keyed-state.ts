// A state map keyed by (type, state_key). Nested maps keyed by the events' own strings:
// no composite key strings are built, so lookups hash strings whose hash V8 has cached.

export class KeyedState {
  readonly #byType = new Map<string, Map<string, string>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(type: string, stateKey: string): string | undefined {
    return this.#byType.get(type)?.get(stateKey);
  }

  /** Sets the entry; returns the event ID it replaced, if any. */
  set(type: string, stateKey: string, eventId: string): string | undefined {
    let byKey = this.#byType.get(type);
    if (byKey === undefined) this.#byType.set(type, (byKey = new Map()));
    const previous = byKey.get(stateKey);
    if (previous === undefined) this.#size++;
    byKey.set(stateKey, eventId);
    return previous;
  }

  clone(): KeyedState {
    const copy = new KeyedState();
    for (const [type, byKey] of this.#byType) copy.#byType.set(type, new Map(byKey));
    copy.#size = this.#size;
    return copy;
  }

  *entries(): IterableIterator<[type: string, stateKey: string, eventId: string]> {
    for (const [type, byKey] of this.#byType) for (const [stateKey, id] of byKey) yield [type, stateKey, id];
  }

  ids(): string[] {
    const out: string[] = [];
    for (const byKey of this.#byType.values()) for (const id of byKey.values()) out.push(id);
    return out;
  }
}

/** State being resolved: changes on top of a base that is never copied. v2 resolution
 * starts from the unconflicted state (the base), v12's from nothing. */
export class LayeredState {
  readonly base: KeyedState | undefined;
  readonly changes = new KeyedState();

  constructor(base?: KeyedState) {
    this.base = base;
  }

  get(type: string, stateKey: string): string | undefined {
    return this.changes.get(type, stateKey) ?? this.base?.get(type, stateKey);
  }

  set(type: string, stateKey: string, eventId: string): void {
    this.changes.set(type, stateKey, eventId);
  }
}

/** The final state: every event of `preferred`, plus the resolved events for other keys
 * (rooms/v2 step 5: the unconflicted state map replaces anything with the same key). */
export function mergeStates(preferred: KeyedState, resolved: KeyedState): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const entry of preferred.entries()) out.push(entry);
  for (const [type, stateKey, id] of resolved.entries()) {
    if (preferred.get(type, stateKey) === undefined) out.push([type, stateKey, id]);
  }
  return out;
}
