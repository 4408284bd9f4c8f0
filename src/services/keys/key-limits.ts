// Size limits of the key APIs. Clients stay far below them (libolm and vodozemac hold at
// most 100 unpublished one-time keys and upload about half of that at a time); they exist
// so one request or one device cannot make the server store or compute without bound.
// Exceeding a count limit is 413 M_TOO_LARGE ("The request or entity was too large").

/** One-time keys in one /keys/upload. */
export const MAX_ONE_TIME_KEYS_PER_UPLOAD = 100;
/** Unclaimed one-time keys stored per device (all algorithms). */
export const MAX_STORED_ONE_TIME_KEYS = 1_000;
/** Fallback keys in one /keys/upload (one per algorithm). */
export const MAX_FALLBACK_KEYS_PER_UPLOAD = 10;
/** Entries of a device's `algorithms` and `keys`. */
export const MAX_DEVICE_KEY_ENTRIES = 50;
/** Canonical JSON of one device keys object, cross-signing key or signed object. */
export const MAX_KEY_OBJECT_BYTES = 16_384;
/** Bytes of the algorithm and of the key ID in a one-time or fallback key's name (both are
 * indexed; a btree entry must stay under about 2.7 kB). Real ones are a few dozen bytes. */
export const MAX_KEY_NAME_PART_BYTES = 255;
/** Canonical JSON of one one-time or fallback key. */
export const MAX_ONE_TIME_KEY_BYTES = 4_096;
/** Users in one /keys/query or /keys/claim, and devices in one /keys/claim. */
export const MAX_QUERIED_USERS = 10_000;
export const MAX_CLAIMED_DEVICES = 10_000;
/** Device IDs listed for one user in /keys/query. */
export const MAX_QUERIED_DEVICES_PER_USER = 1_000;
/** Signed objects in one /keys/signatures/upload. */
export const MAX_SIGNED_OBJECTS = 1_000;
