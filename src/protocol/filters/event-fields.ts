// Filter.event_fields: "List of event fields to include … dot-separated paths". The paths
// are merged into a tree first, so `["content", "content.body"]` keeps all of `content`
// whatever the order. A path whose value is missing, or that runs through a non-object, adds
// nothing (no empty parents are created). An absent or empty list keeps the whole event —
// "A server may include more fields than were requested", and an empty event is useless
// (Synapse treats [] the same way). Values are shared with the input, not copied: treat
// both as read-only.
import { isJsonObject, setOwn, type JsonRecord } from '../json-object.ts';
import { parsePropertyPath } from '../property-path.ts';

/** A node of the path tree: `whole` keeps the entire value; otherwise `children` pick parts. */
interface FieldNode {
  whole: boolean;
  readonly children: Map<string, FieldNode>;
}

export type FieldProjection = (event: JsonRecord) => JsonRecord;

function newNode(): FieldNode {
  return { whole: false, children: new Map() };
}

function buildTree(fields: readonly string[]): FieldNode {
  const root = newNode();
  for (const field of fields) {
    let node = root;
    for (const name of parsePropertyPath(field)) {
      if (node.whole) break;
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = newNode()));
      node = child;
    }
    node.whole = true;
  }
  return root;
}

function project(source: JsonRecord, node: FieldNode): JsonRecord | undefined {
  let out: JsonRecord | undefined;
  for (const [name, child] of node.children) {
    if (!Object.hasOwn(source, name)) continue;
    const value = source[name];
    const picked = child.whole ? value : isJsonObject(value) ? project(value, child) : undefined;
    if (picked === undefined) continue;
    out ??= {};
    setOwn(out, name, picked);
  }
  return out;
}

export function compileEventFields(fields: readonly string[] | undefined): FieldProjection {
  if (!fields || fields.length === 0) return (event) => event;
  const tree = buildTree(fields);
  return (event) => (isJsonObject(event) ? (project(event, tree) ?? {}) : {});
}

const projections = new WeakMap<readonly string[], FieldProjection>();

/** `event` reduced to `fields` (a filter's event_fields). */
export function applyEventFields(event: JsonRecord, fields: readonly string[] | undefined): JsonRecord {
  if (!fields || fields.length === 0) return event;
  let projection = projections.get(fields);
  if (!projection) projections.set(fields, (projection = compileEventFields(fields)));
  return projection(event);
}
