// Which servers must have signed an event (server-server API, "Validating hashes and
// signatures on received events"; v1 auth rules preamble; v8+ member rule 2).
import { own } from './json.ts';
import { contentOf } from './event-fields.ts';
import { sigilIdDomain, userIdDomain } from './user-id.ts';
import { authRulesFor } from './rules.ts';

/**
 * The server names whose signatures the event needs, the sender's server first:
 * - always the sender's server (also for third-party invites: the sender must be the
 *   inviter, whose server signs when it exchanges the invite);
 * - v1/v2: the server named in the event_id, if different;
 * - v8+ m.room.member with content.join_authorised_via_users_server: that user's server.
 * Undefined when this cannot be determined — unknown room version, sender not a user ID,
 * v1/v2 event_id without a domain — and the event must then be dropped, never treated as
 * needing no signature. An authoriser that is not a user ID is left out here; checkAuth
 * rejects the event for it.
 */
export function requiredSignatories(pdu: unknown, roomVersion: string): string[] | undefined {
  const rules = authRulesFor(roomVersion);
  if (!rules) return undefined;
  const senderServer = userIdDomain(own(pdu, 'sender'));
  if (senderServer === undefined) return undefined;
  const servers = [senderServer];
  const add = (server: string | undefined) => {
    if (server !== undefined && !servers.includes(server)) servers.push(server);
  };
  if (rules.eventIdHasDomain) {
    const idServer = sigilIdDomain(own(pdu, 'event_id'), '$');
    if (idServer === undefined) return undefined;
    add(idServer);
  }
  if (rules.version.restrictedJoins && own(pdu, 'type') === 'm.room.member') {
    add(userIdDomain(own(contentOf(pdu), 'join_authorised_via_users_server')));
  }
  return servers;
}
