// Reading the fields of an event under authorisation. prev_events and auth_events are
// [id, hashes] pairs in v1/v2 and plain IDs from v3; both forms are read in any version
// (checking the form is event-format validation, a separate step).
import { isRecord, own, type JsonRecord } from './json.ts';

/** The event IDs of a prev_events/auth_events list; undefined when it is malformed. */
export function referencedIds(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const ids: string[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') ids.push(entry);
    else if (Array.isArray(entry) && typeof entry[0] === 'string') ids.push(entry[0]);
    else return undefined;
  }
  return ids;
}

/** The (type, state_key) of a state event, or undefined if it is not one. */
export function stateKeyOf(event: unknown): [type: string, stateKey: string] | undefined {
  const type = own(event, 'type');
  const stateKey = own(event, 'state_key');
  return typeof type === 'string' && typeof stateKey === 'string' ? [type, stateKey] : undefined;
}

/** The content of an event when it is an object, else undefined. */
export function contentOf(event: unknown): JsonRecord | undefined {
  const content = own(event, 'content');
  return isRecord(content) ? content : undefined;
}
