// Builds rooms as plain event objects for protocol tests (auth rules, state resolution).
// Event IDs are synthetic and deterministic ("$name"; "$name:server" in v1/v2 where IDs
// carry the origin's domain): the rules never check them, only compare them. The builder
// does not authorise anything — tests call checkAuth on what it produces — and it does not
// resolve state: an event with several prev_events must be given its state explicitly.
import { selectAuthEventIds } from '../../src/protocol/auth/index.ts';
import { roomVersion as lookupRoomVersion } from '../../src/protocol/room-versions.ts';

export type EventRef = string | [string, Record<string, string>];

export interface RoomEvent {
  event_id: string;
  /** Absent on a v12 create event (its ID is the room ID). */
  room_id?: string;
  type: string;
  state_key?: string;
  sender: string;
  content: Record<string, unknown>;
  prev_events: EventRef[];
  auth_events: EventRef[];
  depth: number;
  origin_server_ts: number;
  redacts?: string;
  [key: string]: unknown;
}

/** State as (type, state_key) → event. */
export type StateMap = Map<string, RoomEvent>;

export interface EventSpec {
  type: string;
  sender: string;
  state_key?: string;
  content?: Record<string, unknown>;
  /** Name for the event ID; default "e<sequence>". */
  id?: string;
  /** prev_events as plain IDs; default: the latest event added. */
  prevEvents?: string[];
  /** auth_events as plain IDs; default: the selection algorithm against the state before. */
  authEvents?: string[];
  /** State before the event; required when prevEvents has more than one entry. */
  stateBefore?: readonly RoomEvent[];
  redacts?: string;
  /** Other top-level fields, applied last (can override anything, e.g. room_id). */
  extra?: Record<string, unknown>;
}

export interface RoomOptions {
  /** Extra create content (e.g. additional_creators, m.federate). */
  createContent?: Record<string, unknown>;
  /** Name of the create event ID; default "create". */
  createId?: string;
  /** v1–v11 room ID; default "!room:<creator's server>". */
  roomId?: string;
}

const BASE_TS = 1_700_000_000_000;

/** Which builder made an event, so a test holding only the event can ask for its state. */
const builtBy = new WeakMap<object, RoomBuilder>();

export function builderOf(event: object): RoomBuilder | undefined {
  return builtBy.get(event);
}

export function stateKey(type: string, key: string): string {
  return JSON.stringify([type, key]);
}

export function serverOf(userId: string): string {
  return userId.slice(userId.indexOf(':') + 1);
}

export class RoomBuilder {
  readonly roomVersion: string;
  readonly roomId: string;
  readonly create: RoomEvent;
  /** Every event added, in order. */
  readonly events: RoomEvent[] = [];
  private readonly byId = new Map<string, RoomEvent>();
  private readonly before = new WeakMap<RoomEvent, StateMap>();
  private readonly after = new Map<string, StateMap>();
  private latest: string;
  private sequence = 0;
  private readonly pairRefs: boolean;
  private readonly idsHaveDomain: boolean;

  constructor(roomVersion: string, creator: string, options: RoomOptions = {}) {
    const version = lookupRoomVersion(roomVersion);
    if (!version) throw new RangeError(`unknown room version ${roomVersion}`);
    this.roomVersion = roomVersion;
    this.pairRefs = version.eventIdFormat === 'v1';
    this.idsHaveDomain = version.eventIdFormat === 'v1';
    const content: Record<string, unknown> = { room_version: roomVersion };
    if (!version.implicitRoomCreator) content.creator = creator;
    Object.assign(content, options.createContent);
    const createId = this.eventId(options.createId ?? 'create', creator);
    this.roomId = version.roomIdFromCreateEvent ? `!${createId.slice(1)}` : (options.roomId ?? `!room:${serverOf(creator)}`);
    const create: RoomEvent = {
      event_id: createId,
      type: 'm.room.create',
      state_key: '',
      sender: creator,
      content,
      prev_events: [],
      auth_events: [],
      depth: 1,
      origin_server_ts: BASE_TS,
    };
    if (!version.roomIdFromCreateEvent) create.room_id = this.roomId;
    this.create = create;
    this.before.set(create, new Map());
    builtBy.set(create, this);
    this.latest = createId;
    this.add(create);
  }

  /** Builds an event on the current head (or the given prev events) without adding it. */
  build(spec: EventSpec): RoomEvent {
    const prevIds = spec.prevEvents ?? [this.latest];
    const stateBefore = this.stateMapBefore(prevIds, spec.stateBefore);
    const seq = ++this.sequence;
    const id = this.eventId(spec.id ?? `e${seq}`, spec.sender);
    if (this.byId.has(id)) throw new Error(`event ID ${id} already used`);
    const content = spec.content ?? {};
    const authIds =
      spec.authEvents ??
      selectAuthEventIds(
        { type: spec.type, state_key: spec.state_key, sender: spec.sender, content },
        (type, key) => stateBefore.get(stateKey(type, key))?.event_id,
        this.roomVersion,
      );
    const depth = Math.max(0, ...prevIds.map((p) => this.byId.get(p)?.depth ?? 0)) + 1;
    const event: RoomEvent = {
      event_id: id,
      room_id: this.roomId,
      type: spec.type,
      sender: spec.sender,
      content,
      prev_events: prevIds.map((p) => this.ref(p)),
      auth_events: authIds.map((a) => this.ref(a)),
      depth,
      origin_server_ts: BASE_TS + seq * 1000,
    };
    if (spec.state_key !== undefined) event.state_key = spec.state_key;
    if (spec.redacts !== undefined) event.redacts = spec.redacts;
    Object.assign(event, spec.extra);
    this.before.set(event, stateBefore);
    builtBy.set(event, this);
    return event;
  }

  /** Adds a built event: it becomes the head and, if it is state, part of the state after it. */
  add(event: RoomEvent): RoomEvent {
    if (this.byId.has(event.event_id)) throw new Error(`event ${event.event_id} already added`);
    const stateAfter = new Map(this.before.get(event) ?? this.currentStateMap());
    if (typeof event.state_key === 'string') stateAfter.set(stateKey(event.type, event.state_key), event);
    this.byId.set(event.event_id, event);
    this.after.set(event.event_id, stateAfter);
    this.events.push(event);
    this.latest = event.event_id;
    return event;
  }

  send(spec: EventSpec): RoomEvent {
    return this.add(this.build(spec));
  }

  get(eventId: string): RoomEvent {
    const event = this.byId.get(eventId);
    if (!event) throw new Error(`no event ${eventId}`);
    return event;
  }

  /** The state the event was built on (the state before it), as a list. */
  stateFor(event: RoomEvent): RoomEvent[] {
    const state = this.before.get(event);
    if (!state) throw new Error(`event ${event.event_id} was not built by this room`);
    return [...state.values()];
  }

  /** The state after an added event. */
  stateAfter(eventId: string): RoomEvent[] {
    const state = this.after.get(eventId);
    if (!state) throw new Error(`no event ${eventId}`);
    return [...state.values()];
  }

  /** The state after the latest event. */
  currentState(): RoomEvent[] {
    return [...this.currentStateMap().values()];
  }

  /** The events an event cites as auth_events (all must be in this room). */
  authEventsOf(event: RoomEvent): RoomEvent[] {
    return event.auth_events.map((ref) => this.get(typeof ref === 'string' ? ref : ref[0]));
  }

  get head(): string {
    return this.latest;
  }

  // Shorthands. Each sends (adds) the event; use build() for one to test without adding.

  member(sender: string, target: string, membership: string, extra: Record<string, unknown> = {}, spec: Partial<EventSpec> = {}): RoomEvent {
    return this.send({ ...spec, type: 'm.room.member', sender, state_key: target, content: { membership, ...extra } });
  }

  join(user: string, extra: Record<string, unknown> = {}): RoomEvent {
    return this.member(user, user, 'join', extra);
  }

  invite(sender: string, target: string): RoomEvent {
    return this.member(sender, target, 'invite');
  }

  leave(user: string): RoomEvent {
    return this.member(user, user, 'leave');
  }

  kick(sender: string, target: string): RoomEvent {
    return this.member(sender, target, 'leave');
  }

  ban(sender: string, target: string): RoomEvent {
    return this.member(sender, target, 'ban');
  }

  knock(user: string): RoomEvent {
    return this.member(user, user, 'knock');
  }

  state(sender: string, type: string, key: string, content: Record<string, unknown>, spec: Partial<EventSpec> = {}): RoomEvent {
    return this.send({ ...spec, type, sender, state_key: key, content });
  }

  powerLevels(sender: string, content: Record<string, unknown>): RoomEvent {
    return this.state(sender, 'm.room.power_levels', '', content);
  }

  joinRules(sender: string, joinRule: string, extra: Record<string, unknown> = {}): RoomEvent {
    return this.state(sender, 'm.room.join_rules', '', { join_rule: joinRule, ...extra });
  }

  message(sender: string, body: string, spec: Partial<EventSpec> = {}): RoomEvent {
    return this.send({ ...spec, type: 'm.room.message', sender, content: { msgtype: 'm.text', body } });
  }

  private eventId(name: string, sender: string): string {
    return this.idsHaveDomain ? `$${name}:${serverOf(sender)}` : `$${name}`;
  }

  private ref(id: string): EventRef {
    return this.pairRefs ? [id, {}] : id;
  }

  private currentStateMap(): StateMap {
    return this.after.get(this.latest) ?? new Map();
  }

  private stateMapBefore(prevIds: string[], explicit: readonly RoomEvent[] | undefined): StateMap {
    if (explicit) return new Map(explicit.map((e) => [stateKey(e.type, e.state_key ?? ''), e]));
    if (prevIds.length !== 1) throw new Error('an event with several prev_events needs stateBefore');
    const state = this.after.get(prevIds[0] as string);
    if (!state) throw new Error(`unknown prev event ${prevIds[0]}`);
    return state;
  }
}

/** A room with the usual opening: create, the creator's join, power levels, join rules. */
export function standardRoom(
  roomVersion: string,
  creator: string,
  options: RoomOptions & { powerLevels?: Record<string, unknown>; joinRule?: string } = {},
): RoomBuilder {
  const room = new RoomBuilder(roomVersion, creator, options);
  room.join(creator);
  const privileged = lookupRoomVersion(roomVersion)?.privilegedCreators ?? false;
  room.powerLevels(creator, options.powerLevels ?? (privileged ? { users: {} } : { users: { [creator]: 100 } }));
  room.joinRules(creator, options.joinRule ?? 'invite');
  return room;
}
