// Who is typing where, for one tenant, in memory (TenantCaches.typing): typing notifications
// are ephemeral and never stored. Each change of a room's typing list takes the next
// position of the tenant's typing stream; positions start at the clock's milliseconds when
// the tenant is loaded, so tokens issued before a reload stay below every later position.
// Entries expire on their own: one timer, set for the earliest expiry, removes them and
// reports the rooms whose list changed. Rooms nobody typed in for a while are forgotten;
// `forgottenUpTo` lets a reader with an older token resend those rooms' (empty) lists.

/** How long an empty room's entry is kept after its last change. */
export const FORGET_EMPTY_ROOM_MS = 5 * 60_000;

interface RoomTyping {
  /** User ID → expiry time (ms since the epoch). */
  users: Map<string, number>;
  /** Stream position of the last change of this room's list. */
  position: number;
  changedAt: number;
}

export class TypingRooms {
  readonly #rooms = new Map<string, RoomTyping>();
  readonly #onExpired: (roomIds: string[]) => void;
  #position: number;
  #forgottenUpTo = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;

  /** `onExpired` is called with the rooms whose list changed because entries expired. */
  constructor(now: number, onExpired: (roomIds: string[]) => void) {
    this.#position = now;
    this.#onExpired = onExpired;
  }

  /** The typing stream's current position. */
  get position(): number {
    return this.#position;
  }

  /** Rooms changed at or before this position may have been forgotten. */
  get forgottenUpTo(): number {
    return this.#forgottenUpTo;
  }

  #changed(roomId: string, room: RoomTyping, now: number): void {
    room.position = ++this.#position;
    room.changedAt = now;
    this.#rooms.set(roomId, room);
  }

  /** Marks the user typing until `expiresAt`; true when the room's list changed. */
  start(roomId: string, userId: string, expiresAt: number, now: number): boolean {
    this.#expireAndReport(now);
    const room = this.#rooms.get(roomId) ?? { users: new Map<string, number>(), position: 0, changedAt: now };
    const wasTyping = room.users.has(userId);
    room.users.set(userId, expiresAt);
    if (wasTyping) this.#rooms.set(roomId, room);
    else this.#changed(roomId, room, now);
    this.#schedule(now);
    return !wasTyping;
  }

  /** Marks the user not typing; true when the room's list changed. */
  stop(roomId: string, userId: string, now: number): boolean {
    this.#expireAndReport(now);
    const room = this.#rooms.get(roomId);
    if (!room?.users.delete(userId)) return false;
    this.#changed(roomId, room, now);
    return true;
  }

  /** Users typing in the room now, in the order they started. */
  typing(roomId: string, now: number): string[] {
    this.#expireAndReport(now);
    return [...(this.#rooms.get(roomId)?.users.keys() ?? [])];
  }

  /** Of `roomIds`, those whose list changed after `since` (all with someone typing when
   * since is null), with their current lists. */
  changedSince(roomIds: Iterable<string>, since: number | null, now: number): Map<string, string[]> {
    this.#expireAndReport(now);
    const result = new Map<string, string[]>();
    // A token from before forgotten changes, or from the future (another shard, a clock
    // step): every room's current list.
    const everything = since !== null && (since < this.#forgottenUpTo || since > this.#position);
    for (const roomId of roomIds) {
      const room = this.#rooms.get(roomId);
      if (since === null) {
        if (room && room.users.size > 0) result.set(roomId, [...room.users.keys()]);
      } else if (everything || (room && room.position > since)) {
        result.set(roomId, [...(room?.users.keys() ?? [])]);
      }
    }
    return result;
  }

  /** Removes expired entries and forgets long-empty rooms; returns rooms whose list changed. */
  #expire(now: number): string[] {
    const changed: string[] = [];
    for (const [roomId, room] of this.#rooms) {
      let removed = false;
      for (const [userId, expiresAt] of room.users) {
        if (expiresAt <= now) {
          room.users.delete(userId);
          removed = true;
        }
      }
      if (removed) {
        this.#changed(roomId, room, now);
        changed.push(roomId);
      } else if (room.users.size === 0 && now - room.changedAt > FORGET_EMPTY_ROOM_MS) {
        this.#rooms.delete(roomId);
        this.#forgottenUpTo = Math.max(this.#forgottenUpTo, room.position);
      }
    }
    return changed;
  }

  /** #expire, telling `onExpired` about the rooms whose list changed. */
  #expireAndReport(now: number): void {
    const changed = this.#expire(now);
    if (changed.length > 0) this.#onExpired(changed);
  }

  #schedule(now: number): void {
    let next = Infinity;
    for (const room of this.#rooms.values()) for (const expiresAt of room.users.values()) next = Math.min(next, expiresAt);
    if (next === Infinity || next >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = next;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, next - now));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = Date.now();
    this.#expireAndReport(now);
    this.#schedule(now);
  }

  /** Stops the timer (the tenant is unloaded). */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }
}
