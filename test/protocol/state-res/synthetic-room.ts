// Generated rooms for property tests and the benchmark: a linear history that builds up
// the state, then branches that change it concurrently. Branch state is one mutable map per
// branch (the room builder copies state per event, which is quadratic at 30,000 events).
// Auth events follow the selection algorithm, so the generated events are well formed;
// whether each is authorised depends on the operations chosen.
import { selectAuthEventIds } from '../../../src/protocol/auth/index.ts';
import { roomVersion as lookupRoomVersion } from '../../../src/protocol/room-versions.ts';
import type { StateTuple } from '../../../src/protocol/state-res/index.ts';

const BASE_TS = 1_700_000_000_000;

export interface SyntheticEvent {
  event_id?: string;
  room_id?: string;
  type: string;
  state_key?: string;
  sender: string;
  content: Record<string, unknown>;
  prev_events: Array<string | [string, Record<string, string>]>;
  auth_events: Array<string | [string, Record<string, string>]>;
  depth: number;
  origin_server_ts: number;
}

export interface EventInput {
  type: string;
  sender: string;
  stateKey?: string;
  content: Record<string, unknown>;
  /** Defaults to a clock that advances by one second per event. */
  ts?: number;
}

/** A collision-free map key for (type, state_key). */
export const keyOf = (type: string, stateKey: string): string => `${type.length}:${type}${stateKey}`;

/** A room's events by ID, and the clock and ID sequence its branches share. */
export class SyntheticRoom {
  readonly roomVersion: string;
  readonly events: Record<string, SyntheticEvent> = {};
  readonly roomId: string;
  readonly creator: string;
  private sequence = 0;
  private readonly v1Format: boolean;

  constructor(roomVersion: string, creator: string) {
    const version = lookupRoomVersion(roomVersion);
    if (!version) throw new RangeError(`unknown room version ${roomVersion}`);
    this.roomVersion = roomVersion;
    this.creator = creator;
    this.v1Format = version.eventIdFormat === 'v1';
    this.roomId = version.roomIdFromCreateEvent ? `!${this.nextId('create').slice(1)}` : '!room:example.org';
  }

  nextId(name?: string): string {
    const local = name ?? `e${++this.sequence}`;
    return this.v1Format ? `$${local}:example.org` : `$${local}`;
  }

  ref(id: string): string | [string, Record<string, string>] {
    return this.v1Format ? [id, {}] : id;
  }

  /** Starts the room: the create event, as a branch with it as the only state. */
  start(createContent: Record<string, unknown> = {}): Branch {
    const version = lookupRoomVersion(this.roomVersion);
    const content: Record<string, unknown> = { room_version: this.roomVersion, ...createContent };
    if (!version?.implicitRoomCreator) content.creator = this.creator;
    const id = version?.roomIdFromCreateEvent ? `$${this.roomId.slice(1)}` : this.nextId('create');
    const create: SyntheticEvent = {
      type: 'm.room.create',
      state_key: '',
      sender: this.creator,
      content,
      prev_events: [],
      auth_events: [],
      depth: 1,
      origin_server_ts: BASE_TS,
    };
    if (!version?.roomIdFromCreateEvent) create.room_id = this.roomId;
    if (this.v1Format) create.event_id = id;
    this.events[id] = create;
    const branch = new Branch(this, new Map([[keyOf('m.room.create', ''), ['m.room.create', '', id]]]), id, 1);
    return branch;
  }

  add(id: string, event: SyntheticEvent): void {
    this.events[id] = event;
  }

  get ticks(): number {
    return this.sequence;
  }
}

/** One line of history: its head and the state after it. */
export class Branch {
  readonly room: SyntheticRoom;
  readonly state: Map<string, StateTuple>;
  head: string;
  depth: number;

  constructor(room: SyntheticRoom, state: Map<string, StateTuple>, head: string, depth: number) {
    this.room = room;
    this.state = state;
    this.head = head;
    this.depth = depth;
  }

  fork(): Branch {
    return new Branch(this.room, new Map(this.state), this.head, this.depth);
  }

  lookup(type: string, stateKey: string): string | undefined {
    return this.state.get(keyOf(type, stateKey))?.[2];
  }

  send(input: EventInput): string {
    const room = this.room;
    const id = room.nextId();
    const authIds = selectAuthEventIds(
      { type: input.type, state_key: input.stateKey, sender: input.sender, content: input.content },
      (type, key) => this.lookup(type, key),
      room.roomVersion,
    );
    const event: SyntheticEvent = {
      room_id: room.roomId,
      type: input.type,
      sender: input.sender,
      content: input.content,
      prev_events: [room.ref(this.head)],
      auth_events: authIds.map((a) => room.ref(a)),
      depth: this.depth + 1,
      origin_server_ts: input.ts ?? BASE_TS + room.ticks * 1000,
    };
    if (input.stateKey !== undefined) event.state_key = input.stateKey;
    if (id.includes(':')) event.event_id = id;
    room.add(id, event);
    this.head = id;
    this.depth++;
    if (input.stateKey !== undefined) this.state.set(keyOf(input.type, input.stateKey), [input.type, input.stateKey, id]);
    return id;
  }

  stateSet(): StateTuple[] {
    return [...this.state.values()];
  }
}

export const userId = (i: number): string => `@u${i}:example.org`;

/** Power levels content; v12 creators must not be listed. */
function powerLevelsContent(roomVersion: string, creator: string, mods: readonly string[], extra: Record<string, number> = {}): Record<string, unknown> {
  const users: Record<string, number> = { ...extra };
  if (!lookupRoomVersion(roomVersion)?.privilegedCreators) users[creator] = 100;
  for (const mod of mods) users[mod] = 50;
  return { users, state_default: 50, ban: 50, kick: 50 };
}

export interface BenchRoomOptions {
  roomVersion: string;
  /** Approximate size of each resolved state set. */
  stateEvents: number;
  /** Approximate size of the conflicted state set. */
  conflicted: number;
  /** Moderators (power 50) among the members. */
  moderators?: number;
}

export interface BenchRoom {
  roomVersion: string;
  stateSets: StateTuple[][];
  events: Record<string, SyntheticEvent>;
}

/**
 * A large room with two concurrent branches. History: create, admin, power levels, public
 * join rules; then members join (every 8th changes display name later, leaving superseded
 * member events in the auth chains); custom state by the admin fills up to `stateEvents`;
 * the admin re-issues the power levels every 2,000 events (a long mainline). Each branch
 * then changes distinct keys — display names, kicks and bans by moderators and the admin,
 * custom state — plus the topic and the power levels on both, so about `conflicted`
 * events are in the conflicted state set.
 */
export function benchRoom(options: BenchRoomOptions): BenchRoom {
  const { roomVersion, stateEvents, conflicted } = options;
  const admin = userId(0);
  const room = new SyntheticRoom(roomVersion, admin);
  const main = room.start();
  const modCount = options.moderators ?? 10;
  const mods = Array.from({ length: modCount }, (_, i) => userId(i + 1));
  main.send({ type: 'm.room.member', sender: admin, stateKey: admin, content: { membership: 'join' } });
  main.send({ type: 'm.room.power_levels', sender: admin, stateKey: '', content: powerLevelsContent(roomVersion, admin, mods) });
  main.send({ type: 'm.room.join_rules', sender: admin, stateKey: '', content: { join_rule: 'public' } });

  const members = Math.max(modCount + 10, Math.floor(stateEvents * 0.8));
  for (let i = 1; i <= members; i++) {
    const user = userId(i);
    main.send({ type: 'm.room.member', sender: user, stateKey: user, content: { membership: 'join', displayname: `user ${i}` } });
    if (i % 8 === 0) main.send({ type: 'm.room.member', sender: user, stateKey: user, content: { membership: 'join', displayname: `user ${i}!` } });
    if (i % 2000 === 0) main.send({ type: 'm.room.power_levels', sender: admin, stateKey: '', content: powerLevelsContent(roomVersion, admin, mods, { [userId(i)]: 1 }) });
  }
  for (let i = 0; main.state.size < stateEvents; i++) {
    main.send({ type: 'org.example.setting', sender: admin, stateKey: `s${i}`, content: { value: i } });
  }

  // Each changed key puts two events (old and new) in the conflicted set.
  const perBranch = Math.max(1, Math.floor(conflicted / 4));
  const branches = [main.fork(), main.fork()];
  branches.forEach((branch, b) => {
    branch.send({ type: 'm.room.topic', sender: admin, stateKey: '', content: { topic: `branch ${b}` } });
    branch.send({ type: 'm.room.power_levels', sender: admin, stateKey: '', content: powerLevelsContent(roomVersion, admin, mods, { [userId(modCount + 1 + b)]: 10 }) });
    for (let k = 0; k < perBranch; k++) {
      // Members from modCount+3 on, interleaved so the branches touch different keys.
      const target = userId(modCount + 3 + 2 * k + b);
      const setting = `s${2 * k + b}`;
      switch (k % 4) {
        case 0:
          branch.send({ type: 'm.room.member', sender: target, stateKey: target, content: { membership: 'join', displayname: `renamed ${b}` } });
          break;
        case 1:
          branch.send({ type: 'm.room.member', sender: mods[k % modCount] as string, stateKey: target, content: { membership: 'leave' } });
          break;
        case 2:
          branch.send({ type: 'm.room.member', sender: admin, stateKey: target, content: { membership: 'ban' } });
          break;
        default:
          branch.send({ type: 'org.example.setting', sender: admin, stateKey: setting, content: { value: -k } });
      }
    }
  });
  return { roomVersion, stateSets: branches.map((b) => b.stateSet()), events: room.events };
}
