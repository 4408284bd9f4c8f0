// Which of two backed-up keys of one session the server keeps (spec, "Server-side key
// backups"): the verified one; then the lower first_message_index (it decrypts more of the
// session); then the lower forwarded_count. On a full tie the stored key stays.

export interface SessionKeyMetadata {
  firstMessageIndex: number;
  forwardedCount: number;
  isVerified: boolean;
}

/** True when `incoming` should replace the `stored` key of the same session. */
export function shouldReplaceSessionKey(stored: SessionKeyMetadata, incoming: SessionKeyMetadata): boolean {
  if (stored.isVerified !== incoming.isVerified) return incoming.isVerified;
  if (stored.firstMessageIndex !== incoming.firstMessageIndex) return incoming.firstMessageIndex < stored.firstMessageIndex;
  return incoming.forwardedCount < stored.forwardedCount;
}
