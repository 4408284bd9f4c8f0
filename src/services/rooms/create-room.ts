// POST /createRoom (client-server API, "Creation"): the create event, the creator's join,
// power levels, canonical alias, the preset's join rules / history visibility / guest
// access, initial_state, name, topic, then the invites — in the spec's order.
import { isValidUserId } from '../../protocol/ids.ts';
import { roomVersion as lookupRoomVersion, type RoomVersion } from '../../protocol/room-versions.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { insertAlias } from '../../storage/rooms/aliases.ts';
import { setRoomPublished } from '../../storage/rooms/rooms.ts';
import { createLocalEvent } from './create-local-event.ts';
import { createRoomWithCreateEvent } from './create-room-event.ts';
import type { EventDraft } from './event-draft.ts';
import { membershipContent } from './membership-event.ts';

export interface CreateRoomRequest {
  visibility?: 'public' | 'private';
  room_alias_name?: string;
  name?: string;
  topic?: string;
  invite?: string[];
  room_version?: string;
  creation_content?: Record<string, unknown>;
  initial_state?: Array<{ type: string; state_key?: string; content: Record<string, unknown> }>;
  preset?: 'private_chat' | 'public_chat' | 'trusted_private_chat';
  is_direct?: boolean;
  power_level_content_override?: Record<string, unknown>;
}

const PRESETS = {
  private_chat: { joinRule: 'invite', history: 'shared', guestAccess: 'can_join' },
  trusted_private_chat: { joinRule: 'invite', history: 'shared', guestAccess: 'can_join' },
  public_chat: { joinRule: 'public', history: 'shared', guestAccess: 'forbidden' },
} as const;

function bad(message: string): MatrixError {
  return new MatrixError('M_BAD_JSON', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates the request body's shape; throws M_BAD_JSON / M_INVALID_PARAM. */
export function parseCreateRoomRequest(body: unknown): CreateRoomRequest {
  const input = body === undefined ? {} : body;
  if (!isObject(input)) throw new MatrixError('M_NOT_JSON', 'The request body must be a JSON object');
  const r = input as Record<string, unknown>;
  if (r.visibility !== undefined && r.visibility !== 'public' && r.visibility !== 'private') throw bad('visibility must be "public" or "private"');
  for (const key of ['room_alias_name', 'name', 'topic', 'room_version'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') throw bad(`${key} must be a string`);
  }
  if (r.invite !== undefined && (!Array.isArray(r.invite) || !r.invite.every((u) => typeof u === 'string'))) throw bad('invite must be a list of user IDs');
  for (const userId of (r.invite as string[] | undefined) ?? []) {
    if (!isValidUserId(userId)) throw new MatrixError('M_INVALID_PARAM', `invalid user ID in invite: ${userId}`);
  }
  for (const key of ['creation_content', 'power_level_content_override'] as const) {
    if (r[key] !== undefined && !isObject(r[key])) throw bad(`${key} must be an object`);
  }
  if (r.initial_state !== undefined) {
    if (!Array.isArray(r.initial_state)) throw bad('initial_state must be a list of state events');
    for (const event of r.initial_state) {
      if (!isObject(event) || typeof event.type !== 'string' || !isObject(event.content) || (event.state_key !== undefined && typeof event.state_key !== 'string')) {
        throw bad('each initial_state entry needs a string type, an optional string state_key and an object content');
      }
    }
  }
  if (r.preset !== undefined && !(typeof r.preset === 'string' && r.preset in PRESETS)) throw bad('preset must be private_chat, public_chat or trusted_private_chat');
  if (r.is_direct !== undefined && typeof r.is_direct !== 'boolean') throw bad('is_direct must be a boolean');
  return r as CreateRoomRequest;
}

function defaultPowerLevels(creator: string, version: RoomVersion, trustedInvitees: string[]): Record<string, unknown> {
  const users: Record<string, number> = {};
  // v12: creators have unlimited power and must not be listed.
  if (!version.privilegedCreators) users[creator] = 100;
  for (const invitee of trustedInvitees) users[invitee] = 100;
  return {
    users,
    users_default: 0,
    events: {
      'm.room.name': 50,
      'm.room.power_levels': 100,
      'm.room.history_visibility': 100,
      'm.room.canonical_alias': 50,
      'm.room.avatar': 50,
      'm.room.tombstone': 100,
      'm.room.server_acl': 100,
      'm.room.encryption': 100,
    },
    events_default: 0,
    state_default: 50,
    ban: 50,
    kick: 50,
    redact: 50,
    invite: 0,
    historical: 100,
    notifications: { room: 50 },
  };
}

export async function createRoom(tenant: TenantContext, creator: string, body: unknown): Promise<{ room_id: string; room_alias?: string }> {
  const request = parseCreateRoomRequest(body);
  const versionId = request.room_version ?? tenant.config.defaultRoomVersion;
  const version = lookupRoomVersion(versionId);
  if (!version) throw new MatrixError('M_UNSUPPORTED_ROOM_VERSION', `Room version ${versionId} is not supported`);

  let alias: string | undefined;
  if (request.room_alias_name !== undefined) {
    alias = `#${request.room_alias_name}:${tenant.serverName}`;
    if (request.room_alias_name === '' || /[\s:#]/.test(request.room_alias_name) || Buffer.byteLength(alias) > 255) {
      throw new MatrixError('M_INVALID_PARAM', 'room_alias_name must be a non-empty localpart without whitespace, ":" or "#"');
    }
  }

  const createContent: Record<string, unknown> = { ...(request.creation_content ?? {}), room_version: version.id };
  if (!version.implicitRoomCreator) createContent.creator = creator;
  else delete createContent.creator;
  const { roomId } = await createRoomWithCreateEvent(tenant, version, creator, createContent);

  if (alias !== undefined && !(await insertAlias(tenant.db, { alias, roomId, creator, createdTs: Date.now() }))) {
    throw new MatrixError('M_ROOM_IN_USE', `The alias ${alias} is already taken`);
  }

  const send = (draft: Omit<EventDraft, 'sender'>) => createLocalEvent(tenant, roomId, { ...draft, sender: creator });
  await send({ type: 'm.room.member', stateKey: creator, content: await membershipContent(tenant, 'join', { profileOf: creator }) });

  const preset = PRESETS[request.preset ?? (request.visibility === 'public' ? 'public_chat' : 'private_chat')];
  const invitees = [...new Set(request.invite ?? [])].filter((u) => u !== creator);
  const trusted = request.preset === 'trusted_private_chat' ? invitees : [];
  const powerLevels = { ...defaultPowerLevels(creator, version, trusted), ...(request.power_level_content_override ?? {}) };
  await send({ type: 'm.room.power_levels', stateKey: '', content: powerLevels });
  if (alias !== undefined) await send({ type: 'm.room.canonical_alias', stateKey: '', content: { alias } });
  await send({ type: 'm.room.join_rules', stateKey: '', content: { join_rule: preset.joinRule } });
  await send({ type: 'm.room.history_visibility', stateKey: '', content: { history_visibility: preset.history } });
  await send({ type: 'm.room.guest_access', stateKey: '', content: { guest_access: preset.guestAccess } });
  for (const event of request.initial_state ?? []) {
    await send({ type: event.type, stateKey: event.state_key ?? '', content: event.content });
  }
  if (request.name !== undefined) await send({ type: 'm.room.name', stateKey: '', content: { name: request.name } });
  if (request.topic !== undefined) {
    await send({
      type: 'm.room.topic',
      stateKey: '',
      content: { topic: request.topic, 'm.topic': [{ mimetype: 'text/plain', body: request.topic }] },
    });
  }
  for (const invitee of invitees) {
    await send({
      type: 'm.room.member',
      stateKey: invitee,
      content: await membershipContent(tenant, 'invite', { profileOf: invitee, extra: request.is_direct ? { is_direct: true } : {} }),
    });
  }
  if (request.visibility === 'public') await setRoomPublished(tenant.db, roomId, true);
  return alias !== undefined ? { room_id: roomId, room_alias: alias } : { room_id: roomId };
}
