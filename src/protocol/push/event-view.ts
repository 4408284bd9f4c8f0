// One event as the push rules of one evaluation see it. Many rules test the same properties
// (`type` most of all), so values and their case-folded text are looked up once per event.
import { foldCase } from '../case-fold.ts';
import { isJsonObject } from '../json-object.ts';
import { lookupProperty } from '../property-path.ts';

/** A property path parsed once at compile time; `path` is the cache key. */
export interface CompiledKey {
  readonly path: string;
  readonly names: readonly string[];
}

export interface EventText {
  readonly original: string;
  readonly folded: string;
}

const ABSENT = Symbol('absent');

export class EventView {
  readonly event: Record<string, unknown>;
  private readonly values = new Map<string, unknown>();
  private readonly texts = new Map<string, EventText | undefined>();

  constructor(event: unknown) {
    // A non-object "event" has no properties: only rules without conditions can match it.
    this.event = isJsonObject(event) ? event : {};
  }

  /** The value at the key, or undefined when absent. */
  value(key: CompiledKey): unknown {
    const cached = this.values.get(key.path);
    if (cached !== undefined) return cached === ABSENT ? undefined : cached;
    const value = lookupProperty(this.event, key.names);
    this.values.set(key.path, value === undefined ? ABSENT : value);
    return value;
  }

  /** The value at the key and its case-folded form, when it is a string. */
  text(key: CompiledKey): EventText | undefined {
    if (this.texts.has(key.path)) return this.texts.get(key.path);
    const value = this.value(key);
    const text = typeof value === 'string' ? { original: value, folded: foldCase(value) } : undefined;
    this.texts.set(key.path, text);
    return text;
  }

  /** The top-level string property `name`, if any (sender, room_id). */
  topLevelString(name: string): string | undefined {
    const value = Object.hasOwn(this.event, name) ? this.event[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
}
