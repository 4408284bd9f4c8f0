// Rule "membership is invite and content has third_party_invite": the invite stands in for
// an m.room.third_party_invite, proven by the identity server's signature over `signed`.
import { verifyJson } from '../signing.ts';
import { decodeBase64, decodeBase64Url } from '../base64.ts';
import { isRecord, own, ownRecord, ownString, type JsonRecord } from './json.ts';
import { contentOf } from './event-fields.ts';
import { ALLOW, deny, type CheckResult } from './result.ts';
import type { AuthStateView } from './state.ts';

// A legitimate invite carries one or two signatures checked against a few keys; the cap
// bounds the ed25519 work a hostile event can demand (a 64 KiB event could otherwise hold
// hundreds of each). Exceeding it only stops further attempts: the invite is then rejected.
const MAX_VERIFICATIONS = 64;

/** Public keys are unpadded base64, standard or URL-safe alphabet. */
function decodePublicKey(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = decodeBase64(text) ?? decodeBase64Url(text);
  return bytes && bytes.byteLength === 32 ? bytes : undefined;
}

/** public_key plus each public_keys[].public_key, decoded and de-duplicated. */
function publicKeysOf(invite: JsonRecord): Uint8Array[] {
  const content = contentOf(invite) ?? {};
  const encoded: unknown[] = [own(content, 'public_key')];
  const list = own(content, 'public_keys');
  if (Array.isArray(list)) for (const entry of list) encoded.push(own(entry, 'public_key'));
  const seen = new Set<string>();
  const keys: Uint8Array[] = [];
  for (const text of encoded) {
    const key = decodePublicKey(text);
    if (!key) continue;
    const id = Buffer.from(key).toString('hex');
    if (seen.has(id)) continue;
    seen.add(id);
    keys.push(key);
  }
  return keys;
}

/** "If any signature in signed matches any public key in the m.room.third_party_invite". */
function signedByAnyKey(signed: JsonRecord, keys: Uint8Array[]): boolean {
  const signatures = ownRecord(signed, 'signatures');
  if (!signatures || keys.length === 0) return false;
  let attempts = 0;
  for (const server of Object.keys(signatures)) {
    const byKeyId = signatures[server];
    if (!isRecord(byKeyId)) continue;
    for (const keyId of Object.keys(byKeyId)) {
      if (typeof byKeyId[keyId] !== 'string') continue;
      for (const key of keys) {
        if (++attempts > MAX_VERIFICATIONS) return false;
        if (verifyJson(signed, server, keyId, key)) return true;
      }
    }
  }
  return false;
}

export function checkThirdPartyInvite(content: JsonRecord, sender: string, target: string, state: AuthStateView): CheckResult {
  // 1. A banned target cannot be invited this way either.
  if (state.membership(target) === 'ban') return deny('third-party invite: target is banned');
  // 2–3. signed, with mxid and token.
  const signed = ownRecord(own(content, 'third_party_invite'), 'signed');
  if (!signed) return deny('third-party invite: no signed object');
  const mxid = ownString(signed, 'mxid');
  const token = ownString(signed, 'token');
  if (mxid === undefined || token === undefined) return deny('third-party invite: signed lacks mxid or token');
  // 4. The signed block names the invited user.
  if (mxid !== target) return deny('third-party invite: signed.mxid does not match state_key');
  // 5. The invitation it redeems is in the room state …
  const invite = state.event('m.room.third_party_invite', token);
  if (!invite) return deny('third-party invite: no m.room.third_party_invite for the token');
  // 6. … and was made by the same sender.
  if (ownString(invite, 'sender') !== sender) {
    return deny('third-party invite: sender differs from the m.room.third_party_invite sender');
  }
  // 7–8. The identity server proved the binding by signing with one of the invite's keys.
  if (signedByAnyKey(signed, publicKeysOf(invite))) return ALLOW;
  return deny('third-party invite: signed is not signed by any key of the m.room.third_party_invite');
}
