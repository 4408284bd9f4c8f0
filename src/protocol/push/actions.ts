// Push rule actions ("Actions"; "Historical Actions"). `dont_notify` and `coalesce` MUST be
// ignored, not rejected (spec v1.12): validation accepts and strips them, interpretation skips
// them, so `["dont_notify"]` behaves exactly like `[]`.
import { isJsonObject, ownValue, setOwn } from '../json-object.ts';
import type { JsonValue } from '../types.ts';
import type { PushAction, TweakAction } from './types.ts';

const HISTORICAL_ACTIONS: ReadonlySet<string> = new Set(['dont_notify', 'coalesce']);

export type ActionsValidation = { ok: true; actions: PushAction[] } | { ok: false; error: string };

/** `actions` without the historical actions. */
export function stripHistoricalActions(actions: readonly PushAction[]): PushAction[] {
  return actions.filter((action) => typeof action !== 'string' || !HISTORICAL_ACTIONS.has(action));
}

function validateTweak(action: Record<string, unknown>, where: string): TweakAction | string {
  const name = action['set_tweak'];
  if (typeof name !== 'string' || name === '') return `${where}.set_tweak must be a non-empty string`;
  const hasValue = Object.hasOwn(action, 'value');
  const value = action['value'];
  if (name === 'highlight' && hasValue && typeof value !== 'boolean') return `${where}: the highlight tweak's value must be a boolean`;
  if (name === 'sound' && typeof value !== 'string') return `${where}: the sound tweak needs a string value`;
  // Other tweaks are agreed between clients and push gateways; their values pass through.
  return hasValue ? { set_tweak: name, value: value as JsonValue } : { set_tweak: name };
}

/** Checks an `actions` array from a request body and returns it in stored form. */
export function validateActions(value: unknown, where = 'actions'): ActionsValidation {
  if (!Array.isArray(value)) return { ok: false, error: `${where} must be an array` };
  const actions: PushAction[] = [];
  for (let i = 0; i < value.length; i++) {
    const action: unknown = value[i];
    const at = `${where}[${i}]`;
    if (typeof action === 'string') {
      if (action === 'notify') actions.push(action);
      else if (!HISTORICAL_ACTIONS.has(action)) return { ok: false, error: `${at}: unknown action ${JSON.stringify(action)}` };
    } else if (isJsonObject(action)) {
      const tweak = validateTweak(action, at);
      if (typeof tweak === 'string') return { ok: false, error: tweak };
      actions.push(tweak);
    } else {
      return { ok: false, error: `${at} must be a string or an object` };
    }
  }
  return { ok: true, actions };
}

export interface ActionEffect {
  readonly notify: boolean;
  readonly highlight: boolean;
  readonly sound?: string;
  readonly tweaks: Readonly<Record<string, JsonValue>>;
}

/**
 * What a list of actions does. Tolerates anything (rules may come from older storage):
 * unknown strings and malformed entries are ignored. A tweak without `value` is `true` — the
 * spec says so for highlight, and it is the natural reading for any flag-like tweak.
 */
export function interpretActions(actions: unknown): ActionEffect {
  let notify = false;
  const tweaks: Record<string, JsonValue> = {};
  for (const action of Array.isArray(actions) ? actions : []) {
    if (action === 'notify') notify = true;
    const name = ownValue(action, 'set_tweak');
    if (typeof name === 'string') {
      const value = isJsonObject(action) && Object.hasOwn(action, 'value') ? (action['value'] as JsonValue) : true;
      setOwn(tweaks, name, value);
    }
  }
  // Without notify there is no notification, so nothing to highlight either.
  const highlight = notify && Object.hasOwn(tweaks, 'highlight') && tweaks['highlight'] === true;
  const sound = Object.hasOwn(tweaks, 'sound') ? tweaks['sound'] : undefined;
  return typeof sound === 'string' ? { notify, highlight, sound, tweaks } : { notify, highlight, tweaks };
}
