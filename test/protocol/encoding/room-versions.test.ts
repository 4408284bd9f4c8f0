import { describe, expect, it } from 'vitest';
import {
  isValidRoomVersionId,
  KNOWN_ROOM_VERSIONS,
  requireRoomVersion,
  ROOM_VERSIONS,
  roomVersion,
  UnknownRoomVersionError,
} from '../../../src/protocol/room-versions.ts';

// Each row restates a room version page of the spec (content/rooms/vN.md).
const EXPECTED = {
  //                 eventId  stateRes redaction domainRedact keyValidity aliasesAuth strictJson notifPL knock restricted knockRestr intPL implicitCreator redactsInContent roomIdHash creators
  '1': ['v1', 'v1', 'v1', true, false, true, false, false, false, false, false, false, false, false, false, false],
  '2': ['v1', 'v2', 'v1', true, false, true, false, false, false, false, false, false, false, false, false, false],
  '3': ['v3', 'v2', 'v1', false, false, true, false, false, false, false, false, false, false, false, false, false],
  '4': ['v4', 'v2', 'v1', false, false, true, false, false, false, false, false, false, false, false, false, false],
  '5': ['v4', 'v2', 'v1', false, true, true, false, false, false, false, false, false, false, false, false, false],
  '6': ['v4', 'v2', 'v6', false, true, false, true, true, false, false, false, false, false, false, false, false],
  '7': ['v4', 'v2', 'v6', false, true, false, true, true, true, false, false, false, false, false, false, false],
  '8': ['v4', 'v2', 'v8', false, true, false, true, true, true, true, false, false, false, false, false, false],
  '9': ['v4', 'v2', 'v9', false, true, false, true, true, true, true, false, false, false, false, false, false],
  '10': ['v4', 'v2', 'v9', false, true, false, true, true, true, true, true, true, false, false, false, false],
  '11': ['v4', 'v2', 'v11', false, true, false, true, true, true, true, true, true, true, true, false, false],
  '12': ['v4', 'v2.1', 'v11', false, true, false, true, true, true, true, true, true, true, true, true, true],
} as const;

const FLAGS = [
  'eventIdFormat', 'stateRes', 'redaction', 'redactionDomainAuthRule', 'enforceKeyValidity', 'specialCaseAliasesAuth',
  'strictCanonicalJson', 'limitNotificationsPowerLevels', 'knocking', 'restrictedJoins', 'knockRestricted',
  'integerOnlyPowerLevels', 'implicitRoomCreator', 'redactsInContent', 'roomIdFromCreateEvent', 'privilegedCreators',
] as const;

describe('room versions table', () => {
  it('knows exactly versions 1–12, all stable', () => {
    expect([...KNOWN_ROOM_VERSIONS]).toEqual(Object.keys(EXPECTED));
    for (const id of KNOWN_ROOM_VERSIONS) expect(ROOM_VERSIONS[id]?.stability).toBe('stable');
  });

  it.each(Object.entries(EXPECTED))('room version %s has the flags its spec page describes', (id, row) => {
    const version = roomVersion(id);
    expect(version?.id).toBe(id);
    const actual = FLAGS.map((flag) => version?.[flag]);
    expect(actual).toEqual([...row]);
  });

  it('has no other flags than the ones checked here', () => {
    expect(Object.keys(ROOM_VERSIONS['1'] ?? {}).sort()).toEqual(['id', 'stability', ...FLAGS].sort());
  });

  it('answers undefined or throws for unknown versions, including prototype keys', () => {
    for (const id of ['13', '', '1.0', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(roomVersion(id)).toBeUndefined();
      expect(() => requireRoomVersion(id)).toThrow(UnknownRoomVersionError);
    }
    expect(requireRoomVersion('7').knocking).toBe(true);
  });

  it.each([
    ['1', true],
    ['1.2-beta', true],
    ['com.example.version', true],
    ['a'.repeat(32), true],
    ['a'.repeat(33), false],
    ['', false],
    ['V1', false],
    ['1_2', false],
    ['1 2', false],
  ])('room version grammar: %j → %s', (id, valid) => {
    expect(isValidRoomVersionId(id)).toBe(valid);
  });
});
