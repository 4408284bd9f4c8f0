// Generating a tenant's ed25519 signing key.
import { randomBytes } from 'node:crypto';
import { encodeBase64 } from '../../protocol/base64.ts';
import { publicKeyOfSeed } from '../../protocol/signing.ts';

const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Key ids are `ed25519:` + a version of [a-zA-Z0-9_] (spec appendices, signing keys). */
function randomKeyVersion(length = 8): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps the choice uniform over the 62 characters.
      if (byte < 248 && out.length < length) out += KEY_ID_ALPHABET[byte % 62];
    }
  }
  return out;
}

export interface NewSigningKey {
  keyId: string;
  seed: Uint8Array;
  publicKey: string;
}

export function generateSigningKey(): NewSigningKey {
  const seed = new Uint8Array(randomBytes(32));
  return { keyId: `ed25519:${randomKeyVersion()}`, seed, publicKey: encodeBase64(publicKeyOfSeed(seed)) };
}
