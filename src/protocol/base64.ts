// Unpadded base64 (spec appendices, "Unpadded Base64"), standard and URL-safe alphabets.

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Decodes padded or unpadded standard base64; returns undefined for malformed input. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!STANDARD.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Decodes padded or unpadded URL-safe base64; returns undefined for malformed input. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!URL_SAFE.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
