// What a local user (or the server on their behalf) asks to send into a room.
export interface EventDraft {
  type: string;
  stateKey?: string;
  sender: string;
  content: Record<string, unknown>;
  /** Redactions: the redacted event (top level before v11, in content from v11). */
  redacts?: string;
}

export interface TxnKey {
  userId: string;
  deviceId: string;
  txnId: string;
}
