// The sync token format: every stream as a named part; old tokens (fewer streams) parse
// with the missing streams at 0; unknown parts (newer releases) are ignored.
import { describe, expect, test } from 'vitest';
import { encodeSyncToken, parseSyncToken, requireSyncToken, roomPositionToken, SYNC_STREAMS } from '../../../src/services/sync/sync-token.ts';

describe('sync tokens', () => {
  test('round trip', () => {
    const token = Object.fromEntries(Object.keys(SYNC_STREAMS).map((s, i) => [s, 40 + i])) as Parameters<typeof encodeSyncToken>[0];
    const text = encodeSyncToken(token);
    expect(text).toMatch(/^s1(_[a-z]+\d+)+$/);
    expect(parseSyncToken(text)).toEqual(token);
  });

  test('a token without a stream’s part has that stream at 0; unknown parts are ignored', () => {
    expect(parseSyncToken('s1')).toEqual(Object.fromEntries(Object.keys(SYNC_STREAMS).map((s) => [s, 0])));
    expect(parseSyncToken('s1_e17_zz9')?.events).toBe(17);
  });

  test('room position tokens are sync tokens', () => {
    expect(parseSyncToken(roomPositionToken(12))?.events).toBe(12);
    expect(parseSyncToken(roomPositionToken(-1))?.events).toBe(0);
  });

  test.each(['', 'x', 's2_e1', 's1_e', 's1_e-1', 's1_E1', 's1_e01', 's1_e1_e2', 's1__e1', 's1_e99999999999999999', 's1_e1 '])('%j is not a token', (text) => {
    expect(parseSyncToken(text)).toBeUndefined();
    expect(() => requireSyncToken(text, 'since')).toThrow(expect.objectContaining({ errcode: 'M_INVALID_PARAM' }));
  });
});
