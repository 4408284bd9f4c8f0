// Events, contexts and spec text shared by the push rule tests.
import { readFileSync } from 'node:fs';
import { specRoot } from '../../helpers/openapi.ts';
import type { PushContext } from '../../../src/protocol/push/index.ts';

export const ALICE = '@alice:example.org';
export const BOB = '@bob:example.org';
export const ROOM = '!room:example.org';

type Json = Record<string, unknown>;

/** A room event from Bob, as push rules see it. */
export function event(type: string, content: Json = {}, extra: Json = {}): Json {
  return { type, content, sender: BOB, room_id: ROOM, event_id: '$e:example.org', origin_server_ts: 1, ...extra };
}

export function message(body: string, content: Json = {}, extra: Json = {}): Json {
  return event('m.room.message', { msgtype: 'm.text', body, ...content }, extra);
}

export function stateEvent(type: string, stateKey: string, content: Json = {}, extra: Json = {}): Json {
  return event(type, content, { state_key: stateKey, ...extra });
}

/** Alice in a group room (5 members), Bob an ordinary member. */
export function context(overrides: Partial<PushContext> = {}): PushContext {
  return { userId: ALICE, roomMemberCount: 5, senderPowerLevel: 0, ...overrides };
}

export const pushModule = (): string => readFileSync(`${specRoot()}content/client-server-api/modules/push.md`, 'utf8');

/** The JSON definitions of the predefined rules, in document order, from one section of
 * push.md ("Default Override Rules" or "Default Underride Rules"). */
export function specRuleDefinitions(section: 'Override' | 'Underride'): Json[] {
  const text = pushModule();
  const start = text.indexOf(`##### Default ${section} Rules`);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n#{3,5} /);
  const body = end < 0 ? rest : rest.slice(0, end);
  return [...body.matchAll(/Definition:\s*```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1] as string) as Json);
}
