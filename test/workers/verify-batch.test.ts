// verifyBatch: per-PDU event ID, required signatures and content hash; never throws.
import { describe, expect, it } from 'vitest';
import { tryEventId } from '../../src/protocol/event-id.ts';
import { verifyBatch } from '../../src/workers/verify-batch.ts';
import { KEY, KEYS, OTHER, OTHER_KEY, SERVER, keysFor, message, signed } from './signed-events.ts';

function verdicts(pdus: unknown[], roomVersion = '10', keys = KEYS) {
  const result = verifyBatch({ pdus, roomVersion, keys });
  if (!result.ok) throw new Error(result.reason);
  return result.results;
}

describe('verifyBatch', () => {
  it('accepts correctly hashed and signed events and gives their event IDs', () => {
    const pdus = [0, 1, 2].map((n) => signed(message(n)));
    const results = verdicts(pdus);
    expect(results).toEqual(pdus.map((pdu) => ({ eventId: (tryEventId(pdu, '10') as { id: string }).id, ok: true })));
  });

  it('asks for redaction when only the content hash fails (signatures cover the redacted form)', () => {
    const pdu = signed(message(0));
    const tampered = { ...pdu, content: { msgtype: 'm.text', body: 'changed' } };
    expect(verdicts([tampered])[0]).toMatchObject({ ok: false, redact: true, reason: expect.stringMatching(/content hash/) });
  });

  it('rejects a bad signature: a change to a redaction-preserved field', () => {
    const pdu = signed(message(0));
    expect(verdicts([{ ...pdu, origin_server_ts: 5 }])[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/bad signature/) });
    expect(verdicts([{ ...pdu, origin_server_ts: 5 }])[0]?.redact).toBeUndefined();
  });

  it('requires a signature by the sender’s server under a known key', () => {
    const bySomeoneElse = signed(message(0), '10', OTHER, OTHER_KEY);
    expect(verdicts([bySomeoneElse])[0]).toMatchObject({ ok: false, reason: `not signed by ${SERVER}` });
    const unknownKeyOnly = signed(message(1));
    expect(verdicts([unknownKeyOnly], '10', keysFor([SERVER, OTHER_KEY]))[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/known key/) });
  });

  it('skips signatures under unknown keys when a known one verifies', () => {
    const pdu = signed(message(0));
    const withJunk = { ...pdu, signatures: { [SERVER]: { ...(pdu.signatures as Record<string, Record<string, string>>)[SERVER], 'ed25519:old': 'AAAA' } } };
    expect(verdicts([withJunk])[0]?.ok).toBe(true);
  });

  it('v1/v2: also requires the server named in the event ID', () => {
    const event = { ...message(0, '1'), event_id: `$x:${OTHER}` };
    expect(verdicts([signed(event, '1')], '1')[0]).toMatchObject({ ok: false, reason: `not signed by ${OTHER}` });
    const both = signed(signed(event, '1'), '1', OTHER, OTHER_KEY);
    expect(verdicts([both], '1')[0]).toEqual({ eventId: `$x:${OTHER}`, ok: true });
  });

  it('restricted joins: also requires the authorising user’s server', () => {
    const join = {
      ...message(0),
      type: 'm.room.member',
      state_key: `@user:${SERVER}`,
      content: { membership: 'join', join_authorised_via_users_server: `@admin:${OTHER}` },
    };
    expect(verdicts([signed(join)])[0]).toMatchObject({ ok: false, reason: `not signed by ${OTHER}` });
    expect(verdicts([signed(signed(join), '10', OTHER, OTHER_KEY)])[0]?.ok).toBe(true);
  });

  it('answers per PDU for malformed PDUs without failing the batch', () => {
    const good = signed(message(0));
    const results = verdicts([null, 'x', [], { ...good, sender: 'nobody' }, { ...good, signatures: 'x' }, good, { ...good, content: { n: 1.5 } }]);
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false, false, true, false]);
    for (const r of results) if (!r.ok) expect(typeof r.reason).toBe('string');
  });

  it('reports a malformed key rather than throwing', () => {
    const keys = { [SERVER]: { [KEY.keyId]: '!!not base64!!' } };
    expect(verdicts([signed(message(0))], '10', keys)[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/) });
  });

  it('answers a malformed batch with an error result', () => {
    for (const input of [null, 5, {}, { pdus: 'x', roomVersion: '10', keys: {} }, { pdus: [], roomVersion: '99', keys: {} }, { pdus: [], roomVersion: '10', keys: 4 }]) {
      const result = verifyBatch(input);
      expect(result.ok).toBe(false);
    }
  });
});
