// fast-check arbitraries for forked rooms: a shared history, then branches of random
// operations by random users, some merging others (their state resolved on the way). The
// events need not be authorised; resolution must be well behaved regardless.
import fc from 'fast-check';
import { tryResolveState, type StateTuple } from '../../../src/protocol/state-res/index.ts';
import { keyOf, SyntheticRoom, userId, type Branch, type EventInput } from './synthetic-room.ts';

export const OP_KINDS = ['topic', 'name', 'rename', 'kick', 'ban', 'join', 'leave', 'invite', 'power', 'joinRules', 'merge'] as const;

export interface Op {
  kind: (typeof OP_KINDS)[number];
  branch: number;
  actor: number;
  target: number;
  level: number;
  /** Timestamps from a tiny range, so ties (and the event_id tie-break) are common. */
  ts: number;
}

const USERS = 5;

const opArbitrary: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(...OP_KINDS),
  branch: fc.nat(3),
  actor: fc.nat(USERS - 1),
  target: fc.nat(USERS - 1),
  level: fc.constantFrom(0, 50, 100),
  ts: fc.nat(5),
});

export interface RandomRoomSpec {
  roomVersion: string;
  baseOps: Op[];
  branchOps: Op[];
  branches: number;
}

export const randomRoomSpec: fc.Arbitrary<RandomRoomSpec> = fc.record({
  roomVersion: fc.constantFrom('1', '2', '6', '10', '11', '12'),
  baseOps: fc.array(opArbitrary, { maxLength: 8 }),
  branchOps: fc.array(opArbitrary, { maxLength: 24 }),
  branches: fc.integer({ min: 2, max: 4 }),
});

export interface RandomRoom {
  roomVersion: string;
  stateSets: StateTuple[][];
  events: Record<string, object>;
}

function input(op: Op, creator: string): EventInput | undefined {
  const actor = op.actor === 0 ? creator : userId(op.actor);
  const target = op.target === 0 ? creator : userId(op.target);
  const ts = 1_700_000_000_000 + op.ts;
  const member = (sender: string, membership: string, extra: Record<string, unknown> = {}): EventInput => ({
    type: 'm.room.member',
    sender,
    stateKey: target,
    content: { membership, ...extra },
    ts,
  });
  switch (op.kind) {
    case 'topic':
      return { type: 'm.room.topic', sender: actor, stateKey: '', content: { topic: `t${op.ts}` }, ts };
    case 'name':
      return { type: 'm.room.name', sender: actor, stateKey: '', content: { name: `n${op.ts}` }, ts };
    case 'rename':
      return { type: 'm.room.member', sender: actor, stateKey: actor, content: { membership: 'join', displayname: `d${op.ts}` }, ts };
    case 'kick':
      return member(actor, 'leave');
    case 'ban':
      return member(actor, 'ban');
    case 'join':
      return { type: 'm.room.member', sender: target, stateKey: target, content: { membership: 'join' }, ts };
    case 'leave':
      return { type: 'm.room.member', sender: actor, stateKey: actor, content: { membership: 'leave' }, ts };
    case 'invite':
      return member(actor, 'invite');
    case 'power':
      return { type: 'm.room.power_levels', sender: actor, stateKey: '', content: { users: { [target]: op.level } }, ts };
    case 'joinRules':
      return { type: 'm.room.join_rules', sender: actor, stateKey: '', content: { join_rule: op.level === 0 ? 'public' : 'invite' }, ts };
    case 'merge':
      return undefined;
  }
}

/** Merges `other` into `branch`: the state becomes the resolution of both, and the next
 * event on `branch` follows both heads (prev_events are not read by resolution). */
function merge(room: SyntheticRoom, branch: Branch, other: Branch): void {
  const result = tryResolveState(room.roomVersion, [branch.stateSet(), other.stateSet()], room.events);
  if (!result.ok) throw new Error(`merge failed: ${result.reason}`);
  branch.state.clear();
  for (const tuple of result.state) branch.state.set(keyOf(tuple[0], tuple[1]), tuple);
  branch.depth = Math.max(branch.depth, other.depth);
}

export function buildRandomRoom(spec: RandomRoomSpec): RandomRoom {
  const creator = userId(0);
  const room = new SyntheticRoom(spec.roomVersion, creator);
  const main = room.start();
  main.send({ type: 'm.room.member', sender: creator, stateKey: creator, content: { membership: 'join' } });
  const privileged = spec.roomVersion === '12';
  main.send({ type: 'm.room.power_levels', sender: creator, stateKey: '', content: { users: privileged ? { [userId(1)]: 50 } : { [creator]: 100, [userId(1)]: 50 } } });
  main.send({ type: 'm.room.join_rules', sender: creator, stateKey: '', content: { join_rule: 'public' } });
  for (let u = 1; u < USERS; u++) main.send({ type: 'm.room.member', sender: userId(u), stateKey: userId(u), content: { membership: 'join' } });
  for (const op of spec.baseOps) {
    const event = input(op, creator);
    if (event) main.send(event);
  }
  const branches = Array.from({ length: spec.branches }, () => main.fork());
  for (const op of spec.branchOps) {
    const branch = branches[op.branch % branches.length] as Branch;
    const event = input(op, creator);
    if (event) branch.send(event);
    else merge(room, branch, branches[op.target % branches.length] as Branch);
  }
  return { roomVersion: spec.roomVersion, stateSets: branches.map((b) => b.stateSet()), events: room.events };
}
