// Unpadded base64 (spec appendices, "Unpadded Base64"), standard and URL-safe alphabets.
// Encoders never pad. Decoders accept padded or unpadded input, as the spec asks, and do not
// insist that unused trailing bits are zero: the spec's own test seed has non-zero ones.

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** True when the data characters can form whole bytes and padding, if any, is exactly what
 * a padded encoding would carry (the total length a multiple of 4). */
function wellShaped(text: string): boolean {
  const data = text.replace(/=+$/, '');
  if (data.length % 4 === 1) return false;
  return data.length === text.length || text.length % 4 === 0;
}

/** Decodes padded or unpadded standard base64; returns undefined for malformed input. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !STANDARD.test(text) || !wellShaped(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Decodes padded or unpadded URL-safe base64; returns undefined for malformed input. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !URL_SAFE.test(text) || !wellShaped(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
