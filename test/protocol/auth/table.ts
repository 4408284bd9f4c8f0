// Table-driven auth tests: each row names the spec rule it exercises, the room versions it
// applies to, and whether the event is allowed. Rows built with the RoomBuilder are also
// checked against their selected auth events (check 4 of "Checks performed on receipt"),
// which must agree with the state before the event (check 5) and pass the list rules.
import { describe, expect, it } from 'vitest';
import { checkAuth, checkAuthEventsList } from '../../../src/protocol/auth/index.ts';
import { KNOWN_ROOM_VERSIONS, roomVersion } from '../../../src/protocol/room-versions.ts';
import { builderOf, RoomBuilder, standardRoom, type RoomEvent } from '../../helpers/room-builder.ts';

export const ALICE = '@alice:a.example';
export const BOB = '@bob:b.example';
export const CAROL = '@carol:c.example';
export const DAVE = '@dave:a.example';
export const MALLORY = '@mallory:m.example';

export const ALL = KNOWN_ROOM_VERSIONS;
export const from = (n: number): string[] => ALL.filter((v) => Number(v) >= n);
export const upTo = (n: number): string[] => ALL.filter((v) => Number(v) <= n);
export const between = (a: number, b: number): string[] => ALL.filter((v) => Number(v) >= a && Number(v) <= b);

export const isV12 = (v: string): boolean => roomVersion(v)?.privilegedCreators ?? false;

export interface Setup {
  event: object;
  /** The auth state; default: the state the builder built the event on. */
  state?: object[];
  room?: RoomBuilder;
}

export interface Row {
  rule: string;
  versions: readonly string[];
  allowed: boolean;
  /** For denials: text the reason must contain, so the row fails for the rule it names. */
  reason?: string | RegExp;
  setup: (v: string) => Setup | RoomEvent;
}

export function allow(rule: string, versions: readonly string[], setup: Row['setup']): Row {
  return { rule, versions, allowed: true, setup };
}

export function denyRow(rule: string, versions: readonly string[], reason: string | RegExp, setup: Row['setup']): Row {
  return { rule, versions, allowed: false, reason, setup };
}

export function room(v: string, options: Parameters<typeof standardRoom>[2] = {}): RoomBuilder {
  return standardRoom(v, ALICE, options);
}

export function bareRoom(v: string, options: ConstructorParameters<typeof RoomBuilder>[2] = {}): RoomBuilder {
  return new RoomBuilder(v, ALICE, options);
}

function normalise(setup: Setup | RoomEvent): Setup {
  return 'type' in setup ? { event: setup } : setup;
}

export function runTable(name: string, rows: readonly Row[]): void {
  describe(name, () => {
    for (const row of rows) {
      for (const v of row.versions) {
        it(`v${v} ${row.allowed ? 'allows' : 'denies'}: ${row.rule}`, () => {
          const { event, state, room: explicitRoom } = normalise(row.setup(v));
          const builder = explicitRoom ?? builderOf(event);
          const authState = state ?? builder?.stateFor(event as RoomEvent);
          if (!authState) throw new Error('row gave no state and no builder');
          const result = checkAuth(event, authState, v);
          expect(result.allowed, result.allowed ? 'allowed' : result.reason).toBe(row.allowed);
          if (!result.allowed && row.reason !== undefined) expect(result.reason).toMatch(row.reason);

          // Check 4 against the selected auth events must agree with check 5.
          if (builder && !state) {
            const built = event as RoomEvent;
            const authEvents = builder.authEventsOf(built);
            expect(checkAuthEventsList(built, authEvents, v)).toEqual({ allowed: true });
            const withCreate = isV12(v) && built.type !== 'm.room.create' ? [...authEvents, builder.create] : authEvents;
            expect(checkAuth(built, withCreate, v).allowed).toBe(row.allowed);
          }
        });
      }
    }
  });
}

export const member = (sender: string, target: string, membership: string, extra: Record<string, unknown> = {}) => ({
  type: 'm.room.member',
  sender,
  state_key: target,
  content: { membership, ...extra },
});
