// Which canonical JSON an event is hashed and verified in. Room versions 6+ enforce the strict
// form; 1–5 must tolerate floats and large integers their events may carry (v1/v6 canonical
// JSON fragments), so checks over other servers' events use the lenient form there.
import { canonicalJson, canonicalJsonLenient } from './canonical-json.ts';
import type { RoomVersion } from './room-versions.ts';

/** Encodes an event (or part of one) for hashing or signature checks in `version`; with no
 * version, the lenient form (equal to the strict one on everything the strict one accepts).
 * Throws CanonicalJsonError for values that form cannot carry. */
export function encodeEventJson(value: unknown, version: RoomVersion | undefined): string {
  return version?.strictCanonicalJson ? canonicalJson(value) : canonicalJsonLenient(value);
}
