// POST /pushers/set: creates, updates (same user, app_id and pushkey) or, with
// `kind: null`, deletes a pusher. Without `append`, pushers of other users with the same
// app_id and pushkey are removed (the device now belongs to this user).
//
// Kinds: "http" needs data.url, an HTTPS URL with the path /_matrix/push/v1/notify, and an
// optional data.format of "event_id_only"; "email" needs app_id "m.email" and an email
// address as pushkey. Pushers are stored only: delivering notifications to push gateways
// (and emails) is not implemented yet.
import { MatrixError } from '../../errors/matrix-error.ts';
import { countPushers, deleteOthersPushers, deletePusher, pusherExists, upsertPusher } from '../../storage/push/pushers.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { requireStorableJson, requireStorableString } from '../validation/storable-json.ts';

export const PUSHER_KINDS: readonly string[] = ['http', 'email'];
export const EMAIL_APP_ID = 'm.email';
export const PUSH_GATEWAY_PATH = '/_matrix/push/v1/notify';
/** Most pushers one user may have. */
export const MAX_PUSHERS_PER_USER = 100;
const MAX_APP_ID_CHARS = 64;
const MAX_PUSHKEY_BYTES = 512;
const MAX_NAME_CHARS = 512;
const MAX_LANG_CHARS = 64;
const MAX_PROFILE_TAG_CHARS = 256;
const MAX_DATA_BYTES = 8_192;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Body = Record<string, unknown>;

function badType(name: string, expected: string): MatrixError {
  return new MatrixError('M_BAD_JSON', `${name} must be ${expected}`);
}

function stringField(body: Body, name: string, maxChars: number): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badType(name, 'a string');
  requireStorableString(value, name);
  if (value.length > maxChars) throw new MatrixError('M_INVALID_PARAM', `${name} must be at most ${maxChars} characters`);
  return value;
}

function requiredIdentity(body: Body): { appId: string; pushkey: string } {
  const missing = ['app_id', 'pushkey'].filter((name) => body[name] === undefined);
  if (missing.length > 0) throw new MatrixError('M_MISSING_PARAM', `Missing parameters: ${missing.join(', ')}`);
  const appId = stringField(body, 'app_id', MAX_APP_ID_CHARS) as string;
  const pushkey = stringField(body, 'pushkey', Number.MAX_SAFE_INTEGER) as string;
  if (appId === '') throw new MatrixError('M_INVALID_PARAM', 'app_id must not be empty');
  if (pushkey === '') throw new MatrixError('M_INVALID_PARAM', 'pushkey must not be empty');
  if (Buffer.byteLength(pushkey) > MAX_PUSHKEY_BYTES) throw new MatrixError('M_INVALID_PARAM', `pushkey must be at most ${MAX_PUSHKEY_BYTES} bytes`);
  return { appId, pushkey };
}

function validateHttpData(data: Body): void {
  const url = data['url'];
  if (url === undefined) throw new MatrixError('M_MISSING_PARAM', 'data.url is required for http pushers');
  if (typeof url !== 'string') throw badType('data.url', 'a string');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MatrixError('M_INVALID_PARAM', 'data.url is not a URL');
  }
  if (parsed.protocol !== 'https:') throw new MatrixError('M_INVALID_PARAM', 'data.url must be an HTTPS URL');
  if (parsed.pathname !== PUSH_GATEWAY_PATH) throw new MatrixError('M_INVALID_PARAM', `data.url must have the path ${PUSH_GATEWAY_PATH}`);
  const format = data['format'];
  if (format !== undefined && format !== 'event_id_only') throw new MatrixError('M_INVALID_PARAM', 'data.format must be "event_id_only" when given');
}

interface PusherFields {
  kind: string;
  appDisplayName: string;
  deviceDisplayName: string;
  lang: string;
  data: Body;
  profileTag: string | null;
  append: boolean;
}

function pusherFields(body: Body, kind: string, identity: { appId: string; pushkey: string }): PusherFields {
  if (!PUSHER_KINDS.includes(kind)) throw new MatrixError('M_INVALID_PARAM', `Unknown pusher kind ${JSON.stringify(kind)}; supported: ${PUSHER_KINDS.join(', ')}`);
  const missing = ['app_display_name', 'device_display_name', 'lang', 'data'].filter((name) => body[name] === undefined || body[name] === null);
  if (missing.length > 0) throw new MatrixError('M_MISSING_PARAM', `Missing parameters: ${missing.join(', ')}`);
  const appDisplayName = stringField(body, 'app_display_name', MAX_NAME_CHARS) as string;
  const deviceDisplayName = stringField(body, 'device_display_name', MAX_NAME_CHARS) as string;
  const lang = stringField(body, 'lang', MAX_LANG_CHARS) as string;
  const profileTag = body['profile_tag'] === null ? null : (stringField(body, 'profile_tag', MAX_PROFILE_TAG_CHARS) ?? null);
  const data = body['data'];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw badType('data', 'an object');
  requireStorableJson(data, 'data');
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) throw new MatrixError('M_INVALID_PARAM', `data must be at most ${MAX_DATA_BYTES} bytes`);
  const append = body['append'];
  if (append !== undefined && typeof append !== 'boolean') throw badType('append', 'true or false');
  if (kind === 'http') validateHttpData(data as Body);
  if (kind === 'email') {
    if (identity.appId !== EMAIL_APP_ID) throw new MatrixError('M_INVALID_PARAM', `Email pushers have the app_id ${EMAIL_APP_ID}`);
    if (!EMAIL.test(identity.pushkey)) throw new MatrixError('M_INVALID_PARAM', 'The pushkey of an email pusher must be an email address');
  }
  return { kind, appDisplayName, deviceDisplayName, lang, data: data as Body, profileTag, append: append ?? false };
}

export async function setPusher(tenant: TenantContext, viewer: Viewer, body: Body): Promise<Record<string, never>> {
  if (!Object.hasOwn(body, 'kind')) throw new MatrixError('M_MISSING_PARAM', 'Missing parameters: kind');
  const kind = body['kind'];
  if (kind !== null && typeof kind !== 'string') throw badType('kind', 'a string or null');
  const identity = requiredIdentity(body);
  if (kind === null) {
    await deletePusher(tenant.db, viewer.userId, identity.appId, identity.pushkey);
    return {};
  }
  const fields = pusherFields(body, kind, identity);
  await tenant.db.transaction().execute(async (trx) => {
    const full = (await countPushers(trx, viewer.userId)) >= MAX_PUSHERS_PER_USER;
    if (full && !(await pusherExists(trx, viewer.userId, identity.appId, identity.pushkey))) {
      throw new MatrixError('M_INVALID_PARAM', `A user can have at most ${MAX_PUSHERS_PER_USER} pushers`);
    }
    if (!fields.append) await deleteOthersPushers(trx, viewer.userId, identity.appId, identity.pushkey);
    await upsertPusher(trx, {
      userId: viewer.userId,
      appId: identity.appId,
      pushkey: identity.pushkey,
      kind: fields.kind,
      appDisplayName: fields.appDisplayName,
      deviceDisplayName: fields.deviceDisplayName,
      profileTag: fields.profileTag,
      lang: fields.lang,
      data: fields.data,
      deviceId: viewer.deviceId,
      createdTs: Date.now(),
    });
  });
  return {};
}
