// Room tags (spec "Room Tagging") are the room account data event m.tag:
// `{ "tags": { "<tag>": { "order"?: number, … } } }`. Shared by the tag endpoints.
import { MatrixError } from '../../errors/matrix-error.ts';
import { requireStorableJson, requireStorableString } from '../validation/storable-json.ts';
import { isJsonObject } from '../../protocol/json-object.ts';

export const TAG_TYPE = 'm.tag';
/** "The name of a tag MUST NOT exceed 255 bytes." */
export const MAX_TAG_BYTES = 255;

export type Tags = Record<string, Record<string, unknown>>;

/** The tags of stored m.tag content (entries that are not objects are dropped). */
export function tagsOf(content: Record<string, unknown> | undefined): Tags {
  const tags = content?.tags;
  if (!isJsonObject(tags)) return {};
  return Object.fromEntries(Object.entries(tags).filter(([, value]) => isJsonObject(value))) as Tags;
}

export function requireTagName(tag: string): void {
  if (tag.length === 0) throw new MatrixError('M_INVALID_PARAM', 'The tag must not be empty');
  if (Buffer.byteLength(tag) > MAX_TAG_BYTES) throw new MatrixError('M_INVALID_PARAM', `The tag must be at most ${MAX_TAG_BYTES} bytes`);
  requireStorableString(tag, 'The tag', 'M_INVALID_PARAM');
}

/** The body of PUT …/tags/{tag}: an object whose `order`, when present, is a number. */
export function requireTagContent(body: Record<string, unknown>): Record<string, unknown> {
  if (Object.hasOwn(body, 'order') && (typeof body.order !== 'number' || !Number.isFinite(body.order))) {
    throw new MatrixError('M_BAD_JSON', 'order must be a number');
  }
  requireStorableJson(body, 'The tag');
  return body;
}
