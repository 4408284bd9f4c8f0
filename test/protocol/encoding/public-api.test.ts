// src/protocol/index.ts is the surface the auth, state resolution and server code build on:
// these names and shapes are a contract.
import { describe, expect, it } from 'vitest';
import * as protocol from '../../../src/protocol/index.ts';
import { MINIMAL_EVENT_SIGNED, SPEC_KEY_ID, SPEC_SEED, SPEC_SERVER } from './fixtures.ts';

describe('public API (src/protocol/index.ts)', () => {
  it('exports the contracted functions with their arities', () => {
    const contract: Array<[keyof typeof protocol, number]> = [
      ['canonicalJson', 1],
      ['signJson', 4],
      ['verifyJson', 4],
      ['contentHash', 1],
      ['eventId', 2],
      ['redact', 2],
    ];
    for (const [name, arity] of contract) {
      expect(typeof protocol[name], name).toBe('function');
      expect((protocol[name] as (...args: unknown[]) => unknown).length, name).toBeGreaterThanOrEqual(arity);
    }
    expect(protocol.KNOWN_ROOM_VERSIONS).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(Object.isFrozen(protocol.KNOWN_ROOM_VERSIONS)).toBe(true);
  });

  it('works end to end through the index', () => {
    const signed = protocol.signJson({ a: 1 }, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED);
    expect(protocol.verifyJson(signed, SPEC_SERVER, SPEC_KEY_ID, protocol.publicKeyOfSeed(SPEC_SEED))).toBe(true);
    expect(protocol.canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(protocol.contentHash(MINIMAL_EVENT_SIGNED)).toBe(MINIMAL_EVENT_SIGNED.hashes.sha256);
    expect(protocol.eventId(MINIMAL_EVENT_SIGNED, '10')).toMatch(/^\$[A-Za-z0-9_-]{43}$/);
    expect(protocol.redact(MINIMAL_EVENT_SIGNED, '11')).not.toHaveProperty('origin');
    expect(protocol.validatePdu(MINIMAL_EVENT_SIGNED, '10').ok).toBe(true);
  });
});
