// PUT /rooms/{roomId}/state/{eventType}/{stateKey}: a state event. Setting a state to the
// content it already has (same sender) sends nothing and answers with the existing event.
// New aliases in m.room.canonical_alias must be valid, and local ones must point here.
import { MatrixError } from '../../errors/matrix-error.ts';
import { canonicalJsonLenient } from '../../protocol/canonical-json.ts';
import { parseRoomAlias } from '../../protocol/ids.ts';
import { getAlias } from '../../storage/rooms/aliases.ts';
import { getCurrentStateEventId } from '../../storage/rooms/current-state.ts';
import { getEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { createLocalEvent } from './create-local-event.ts';
import { requireRoomIdSyntax } from './membership-event.ts';

function aliasesOf(content: Record<string, unknown> | undefined): string[] {
  if (!content) return [];
  const alt = Array.isArray(content.alt_aliases) ? content.alt_aliases : [];
  return [content.alias, ...alt].filter((a): a is string => typeof a === 'string');
}

async function checkCanonicalAlias(tenant: TenantContext, roomId: string, content: Record<string, unknown>, previous: Record<string, unknown> | undefined): Promise<void> {
  if (content.alias !== undefined && content.alias !== null && typeof content.alias !== 'string') throw new MatrixError('M_INVALID_PARAM', 'alias must be a room alias');
  if (content.alt_aliases !== undefined && !(Array.isArray(content.alt_aliases) && content.alt_aliases.every((a) => typeof a === 'string'))) {
    throw new MatrixError('M_INVALID_PARAM', 'alt_aliases must be a list of room aliases');
  }
  const known = new Set(aliasesOf(previous));
  for (const alias of aliasesOf(content)) {
    if (known.has(alias)) continue;
    const parsed = parseRoomAlias(alias);
    if (!parsed) throw new MatrixError('M_INVALID_PARAM', `${alias} is not a valid room alias`);
    // Aliases of other servers cannot be checked without federation; local ones can.
    if (parsed.serverName !== tenant.serverName) continue;
    const target = await getAlias(tenant.db, alias);
    if (target?.roomId !== roomId) throw new MatrixError('M_BAD_ALIAS', `The alias ${alias} does not point to this room`);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJsonLenient(a) === canonicalJsonLenient(b);
  } catch {
    return false; // not encodable: the send path reports it
  }
}

export async function sendStateEvent(
  tenant: TenantContext,
  sender: string,
  roomId: string,
  eventType: string,
  stateKey: string,
  content: Record<string, unknown>,
): Promise<{ event_id: string }> {
  requireRoomIdSyntax(roomId);
  const currentId = await getCurrentStateEventId(tenant.db, roomId, eventType, stateKey);
  const current = currentId === undefined ? undefined : await getEvent(tenant.db, currentId);
  if (eventType === 'm.room.canonical_alias') await checkCanonicalAlias(tenant, roomId, content, current?.pdu.content);
  if (current && current.redactedBy === null && current.pdu.sender === sender && sameJson(current.pdu.content, content)) {
    return { event_id: current.eventId };
  }
  const created = await createLocalEvent(tenant, roomId, { type: eventType, stateKey, sender, content });
  return { event_id: created.eventId };
}
