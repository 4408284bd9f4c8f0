// The redaction algorithms (rooms/fragments/v1-redactions.md, v6-, v9-, v11-redactions.md and
// the v8 text in rooms/v8.md; v12 keeps v11's). Redaction keeps only the keys the protocol
// needs, so hashes, signatures and event IDs stay checkable after content is removed.
import { requireRoomVersion, type RedactionAlgorithm, type RoomVersion } from './room-versions.ts';

interface RedactionRules {
  /** Top-level keys that survive. Everything else, `unsigned` included, is stripped. */
  topLevel: readonly string[];
  /** Per event type: content keys that survive, or 'all' to keep the whole content. */
  content: Readonly<Record<string, readonly string[] | 'all'>>;
  /** v11+: m.room.member keeps `third_party_invite`, reduced to its `signed` key. */
  keepThirdPartyInviteSigned: boolean;
}

const TOP_LEVEL_V1: readonly string[] = [
  'event_id',
  'type',
  'room_id',
  'sender',
  'state_key',
  'content',
  'hashes',
  'signatures',
  'depth',
  'prev_events',
  'prev_state',
  'auth_events',
  'origin',
  'origin_server_ts',
  'membership',
];

// v11: `origin`, `membership` and `prev_state` are no longer protected.
const TOP_LEVEL_V11: readonly string[] = TOP_LEVEL_V1.filter(
  (key) => key !== 'origin' && key !== 'membership' && key !== 'prev_state',
);

const POWER_LEVELS_V1 = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];

const CONTENT_V1: RedactionRules['content'] = {
  'm.room.member': ['membership'],
  'm.room.create': ['creator'],
  'm.room.join_rules': ['join_rule'],
  'm.room.power_levels': POWER_LEVELS_V1,
  'm.room.aliases': ['aliases'],
  'm.room.history_visibility': ['history_visibility'],
};

// v6: m.room.aliases loses its special meaning.
const { 'm.room.aliases': _aliases, ...CONTENT_V6 } = CONTENT_V1;

// v8: join rules keep `allow` (restricted rooms).
const CONTENT_V8: RedactionRules['content'] = { ...CONTENT_V6, 'm.room.join_rules': ['join_rule', 'allow'] };

// v9: member events keep `join_authorised_via_users_server`.
const CONTENT_V9: RedactionRules['content'] = {
  ...CONTENT_V8,
  'm.room.member': ['membership', 'join_authorised_via_users_server'],
};

// v11: create keeps everything, power levels keep `invite`, redactions keep `redacts`.
const CONTENT_V11: RedactionRules['content'] = {
  ...CONTENT_V9,
  'm.room.create': 'all',
  'm.room.power_levels': [...POWER_LEVELS_V1, 'invite'],
  'm.room.redaction': ['redacts'],
};

const RULES: Readonly<Record<RedactionAlgorithm, RedactionRules>> = {
  v1: { topLevel: TOP_LEVEL_V1, content: CONTENT_V1, keepThirdPartyInviteSigned: false },
  v6: { topLevel: TOP_LEVEL_V1, content: CONTENT_V6, keepThirdPartyInviteSigned: false },
  v8: { topLevel: TOP_LEVEL_V1, content: CONTENT_V8, keepThirdPartyInviteSigned: false },
  v9: { topLevel: TOP_LEVEL_V1, content: CONTENT_V9, keepThirdPartyInviteSigned: false },
  v11: { topLevel: TOP_LEVEL_V11, content: CONTENT_V11, keepThirdPartyInviteSigned: true },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function redactContent(type: unknown, content: unknown, rules: RedactionRules): Record<string, unknown> {
  if (!isPlainObject(content)) return {};
  const allowed = typeof type === 'string' && Object.hasOwn(rules.content, type) ? rules.content[type] : undefined;
  if (allowed === 'all') return { ...content };
  const out: Record<string, unknown> = {};
  for (const key of allowed ?? []) {
    if (Object.hasOwn(content, key) && content[key] !== undefined) out[key] = content[key];
  }
  if (rules.keepThirdPartyInviteSigned && type === 'm.room.member') {
    // "allows the `signed` key of the `third_party_invite` key": the invite object survives
    // holding only `signed` (if it had one); a non-object invite has no keys to keep.
    const invite = content.third_party_invite;
    if (isPlainObject(invite)) {
      out.third_party_invite = Object.hasOwn(invite, 'signed') && invite.signed !== undefined ? { signed: invite.signed } : {};
    }
  }
  return out;
}

/** Redacts with an already resolved room version. */
export function redactWithVersion(pdu: object, version: RoomVersion): Record<string, unknown> {
  const rules = RULES[version.redaction];
  const source = pdu as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of rules.topLevel) {
    if (Object.hasOwn(source, key) && source[key] !== undefined) out[key] = source[key];
  }
  // Every event has content; a redacted one has what the rules keep, possibly nothing.
  out.content = redactContent(source.type, source.content, rules);
  return out;
}

/** Returns the redacted form of an event under the room version's redaction algorithm.
 * `unsigned` is always stripped (it is not on any keep list; serving `redacted_because` to
 * clients is the caller's business). Content that is not an object becomes `{}`. The result
 * is a new top-level object, but kept values are shared with the input, not copied.
 * Throws UnknownRoomVersionError for a room version this server does not implement. */
export function redact(pdu: object, roomVersion: string): Record<string, unknown> {
  return redactWithVersion(pdu, requireRoomVersion(roomVersion));
}
