// The `filter` query parameter. /sync takes a filter ID or inline JSON, told apart by
// "whether the first character is a `{`"; /messages and /context take inline JSON only.
// Text that is not JSON is M_NOT_JSON ("Request did not contain valid JSON").
import { validateFilter, validateRoomEventFilter } from './validate.ts';
import type { Filter, FilterValidationError, RoomEventFilter, Validation } from './types.ts';

export type SyncFilterParam =
  | { readonly ok: true; readonly kind: 'id'; readonly filterId: string }
  | { readonly ok: true; readonly kind: 'inline'; readonly filter: Filter }
  | FilterValidationError;

function parseJson(text: string): { ok: true; value: unknown } | FilterValidationError {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, errcode: 'M_NOT_JSON', error: 'the filter is not valid JSON' };
  }
}

export function parseSyncFilterParam(param: string): SyncFilterParam {
  if (!param.startsWith('{')) return { ok: true, kind: 'id', filterId: param };
  const json = parseJson(param);
  if (!json.ok) return json;
  const validation = validateFilter(json.value);
  return validation.ok ? { ok: true, kind: 'inline', filter: validation.filter } : validation;
}

export function parseRoomEventFilterParam(param: string): Validation<RoomEventFilter> {
  const json = parseJson(param);
  return json.ok ? validateRoomEventFilter(json.value) : json;
}
