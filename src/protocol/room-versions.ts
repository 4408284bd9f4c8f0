// Room versions as a table of behaviour (content/rooms/v1.md … v12.md). Code asks a flag,
// never compares version strings, so a new version is one more row.

export type EventIdFormat = 'v1' | 'v3' | 'v4';
export type StateResAlgorithm = 'v1' | 'v2' | 'v2.1';
export type RedactionAlgorithm = 'v1' | 'v6' | 'v8' | 'v9' | 'v11';

export interface RoomVersion {
  id: string;
  stability: 'stable' | 'unstable';
  /** v1/v2: event_id chosen by the origin; v3: reference hash, standard base64; v4+: URL-safe. */
  eventIdFormat: EventIdFormat;
  stateRes: StateResAlgorithm;
  redaction: RedactionAlgorithm;
  /** v1–v2: redaction events need the redacts domain to match the sender's (auth rule). */
  redactionDomainAuthRule: boolean;
  /** v5+: signing keys must be valid (valid_until_ts) at the event's origin_server_ts. */
  enforceKeyValidity: boolean;
  /** v1–v5: m.room.aliases has its own auth rule (state_key must be the sender's domain). */
  specialCaseAliasesAuth: boolean;
  /** v6+: canonical JSON is strict (integers within ±(2^53−1), no floats) for hashes and signatures. */
  strictCanonicalJson: boolean;
  /** v6+: the `notifications` power level is checked when changing power levels. */
  limitNotificationsPowerLevels: boolean;
  /** v7+: `knock` membership and join rule. */
  knocking: boolean;
  /** v8+: `restricted` join rule with join_authorised_via_users_server. */
  restrictedJoins: boolean;
  /** v10+: `knock_restricted` join rule. */
  knockRestricted: boolean;
  /** v10+: power level values must be integers (no strings). */
  integerOnlyPowerLevels: boolean;
  /** v11+: create content has no `creator`; the creator is the create event's sender. */
  implicitRoomCreator: boolean;
  /** v11+: m.room.redaction names its target in `content.redacts` (which redaction protects);
   * the top-level `redacts` of v1–v10 is no longer part of the event format. Servers add it
   * back only when serving events to clients (rooms/v11.md). */
  redactsInContent: boolean;
  /** v12+: room ID is `!` + URL-safe reference hash of the create event; create has no room_id. */
  roomIdFromCreateEvent: boolean;
  /** v12+: creators (sender + additional_creators) have infinite power; PLs cannot name them. */
  privilegedCreators: boolean;
}

const V1: RoomVersion = {
  id: '1',
  stability: 'stable',
  eventIdFormat: 'v1',
  stateRes: 'v1',
  redaction: 'v1',
  redactionDomainAuthRule: true,
  enforceKeyValidity: false,
  specialCaseAliasesAuth: true,
  strictCanonicalJson: false,
  limitNotificationsPowerLevels: false,
  knocking: false,
  restrictedJoins: false,
  knockRestricted: false,
  integerOnlyPowerLevels: false,
  implicitRoomCreator: false,
  redactsInContent: false,
  roomIdFromCreateEvent: false,
  privilegedCreators: false,
};

const V2: RoomVersion = { ...V1, id: '2', stateRes: 'v2' };
const V3: RoomVersion = { ...V2, id: '3', eventIdFormat: 'v3', redactionDomainAuthRule: false };
const V4: RoomVersion = { ...V3, id: '4', eventIdFormat: 'v4' };
const V5: RoomVersion = { ...V4, id: '5', enforceKeyValidity: true };
const V6: RoomVersion = {
  ...V5,
  id: '6',
  redaction: 'v6',
  specialCaseAliasesAuth: false,
  strictCanonicalJson: true,
  limitNotificationsPowerLevels: true,
};
const V7: RoomVersion = { ...V6, id: '7', knocking: true };
const V8: RoomVersion = { ...V7, id: '8', redaction: 'v8', restrictedJoins: true };
const V9: RoomVersion = { ...V8, id: '9', redaction: 'v9' };
const V10: RoomVersion = { ...V9, id: '10', knockRestricted: true, integerOnlyPowerLevels: true };
const V11: RoomVersion = { ...V10, id: '11', redaction: 'v11', implicitRoomCreator: true, redactsInContent: true };
const V12: RoomVersion = { ...V11, id: '12', stateRes: 'v2.1', roomIdFromCreateEvent: true, privilegedCreators: true };

export const ROOM_VERSIONS: Readonly<Record<string, RoomVersion>> = Object.freeze({
  '1': V1,
  '2': V2,
  '3': V3,
  '4': V4,
  '5': V5,
  '6': V6,
  '7': V7,
  '8': V8,
  '9': V9,
  '10': V10,
  '11': V11,
  '12': V12,
});

export const KNOWN_ROOM_VERSIONS: readonly string[] = Object.freeze(Object.keys(ROOM_VERSIONS));

/** The server's default; TI-Messenger requires 10. Tenants may configure another. */
export const DEFAULT_ROOM_VERSION = '10';

export function roomVersion(id: string): RoomVersion | undefined {
  return typeof id === 'string' && Object.hasOwn(ROOM_VERSIONS, id) ? ROOM_VERSIONS[id] : undefined;
}

/** Thrown by functions that cannot give any answer for a room version this server does not
 * implement (redact, eventId, referenceHash, signing). Validating functions never throw it:
 * they answer `false` or a result with a reason instead. */
export class UnknownRoomVersionError extends Error {
  override name = 'UnknownRoomVersionError';
  readonly roomVersion: string;
  constructor(roomVersionId: string) {
    super(`unknown room version ${JSON.stringify(roomVersionId)}`);
    this.roomVersion = roomVersionId;
  }
}

export function requireRoomVersion(id: string): RoomVersion {
  const version = roomVersion(id);
  if (!version) throw new UnknownRoomVersionError(id);
  return version;
}

const ROOM_VERSION_GRAMMAR = /^[a-z0-9.-]{1,32}$/;

/** The room version grammar (rooms/_index.md): 1–32 of a-z, 0-9, ".", "-". Says nothing about
 * whether this server implements the version. */
export function isValidRoomVersionId(id: string): boolean {
  return typeof id === 'string' && ROOM_VERSION_GRAMMAR.test(id);
}
