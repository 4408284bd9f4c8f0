// The protocol library's public API. One `export … from` statement per module; the auth and
// state resolution modules add their own lines.
export { canonicalJson, canonicalJsonLenient, compareCodePoints, CanonicalJsonError } from './canonical-json.ts';
export { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from './base64.ts';
export {
  isEd25519KeyId,
  privateKeyFromSeed,
  publicKeyFromRaw,
  publicKeyOfSeed,
  signingKeyFromSeed,
  signJson,
  signJsonWithKey,
  verifyJson,
  verifyJsonWithKey,
  type JsonEncoder,
  type Signatures,
  type SigningKey,
} from './signing.ts';
export {
  DEFAULT_ROOM_VERSION,
  isValidRoomVersionId,
  KNOWN_ROOM_VERSIONS,
  requireRoomVersion,
  ROOM_VERSIONS,
  roomVersion,
  UnknownRoomVersionError,
  type EventIdFormat,
  type RedactionAlgorithm,
  type RoomVersion,
  type StateResAlgorithm,
} from './room-versions.ts';
export { encodeEventJson } from './event-json.ts';
export { redact, redactWithVersion } from './redaction.ts';
export {
  addContentHash,
  contentHash,
  contentHashBytes,
  referenceHash,
  referenceHashWithVersion,
  verifyContentHash,
} from './event-hashes.ts';
export { eventId, roomIdFromCreateEvent, tryEventId, tryRoomIdFromCreateEvent, type IdResult } from './event-id.ts';
export {
  hashAndSignEvent,
  signEvent,
  verifyEventSignature,
  verifyEventSignatureWithKey,
} from './event-signing.ts';
export {
  isHistoricalUserId,
  isValidEventId,
  isValidRoomAlias,
  isValidRoomId,
  isValidUserId,
  MAX_ID_BYTES,
  parseEventId,
  parseRoomAlias,
  parseRoomId,
  parseUserId,
  serverNameOf,
  type ParsedEventId,
  type ParsedRoomAlias,
  type ParsedRoomId,
  type ParsedUserId,
  type UserIdConformance,
} from './ids.ts';
export { isServableServerName, isValidServerName, parseServerName, type ParsedServerName } from './server-name.ts';
export {
  MAX_AUTH_EVENTS,
  MAX_KEY_BYTES,
  MAX_PDU_BYTES,
  MAX_PREV_EVENTS,
  validatePdu,
  type PduValidation,
} from './pdu-validation.ts';
export type { CheckResult, JsonObject, JsonValue, Pdu, StateEvent } from './types.ts';
export {
  authEventTypes,
  checkAuth,
  checkAuthEventsList,
  checkAuthWithLookup,
  parsePowerLevels,
  parsePowerLevelValue,
  POWER_LEVEL_DEFAULTS,
  powerLevelRequiredFor,
  requiredSignatories,
  roomCreators,
  selectAuthEventIds,
  userPowerLevel,
  type AuthEventsListOptions,
  type PowerLevels,
  type SelectableEvent,
  type StateKeyPair,
  type StateLookup,
} from './auth/index.ts';
export {
  resolveState,
  StateResInputError,
  tryResolveState,
  type ResolveOptions,
  type ResolveResult,
  type StateTuple,
} from './state-res/index.ts';
export * from './push/index.ts';
export * from './filters/index.ts';
