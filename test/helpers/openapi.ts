// Validates HTTP responses against the Matrix spec's OpenAPI definitions
// (../shared/matrix-spec/data/api, next to the repository). A test states which operation it
// called by method and concrete path; the helper finds the spec operation, the response for
// the status, and checks the body with ajv. Anything the spec does not define fails the
// test, so a typo in a path cannot silently skip validation.
import { AssertionError } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { $RefParser, type FileInfo, type ParserOptions } from '@apidevtools/json-schema-ref-parser';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

/** The APIs a homeserver answers; the key and well-known server APIs are part of server-server. */
export type SpecApi = 'client-server' | 'server-server';
export const SPEC_APIS: readonly SpecApi[] = ['client-server', 'server-server'];

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface SpecExample {
  name: string;
  value: unknown;
}

export interface SpecResponse {
  description: string;
  /** The `application/json` schema; undefined when the spec gives the status no JSON body. */
  schema: object | undefined;
  /** Response examples the spec gives for the JSON body. */
  examples: SpecExample[];
}

export interface SpecOperation {
  api: SpecApi;
  /** File under data/api/<api>/, e.g. "versions.yaml". */
  file: string;
  /** Upper case, e.g. "GET". */
  method: string;
  /** Full path template including the file's base path, e.g. "/_matrix/client/v3/rooms/{roomId}/state". */
  template: string;
  operationId: string;
  /** The spec lets the final path parameter be empty and its trailing slash be left out. */
  optionalLastParameter: boolean;
  /** Keyed by status ("200", "4XX") or "default". */
  responses: Record<string, SpecResponse>;
}

export interface LoadedSpec {
  /** Root of the spec checkout (the directory holding data/). */
  root: string;
  operations: SpecOperation[];
}

export interface SpecResponseMatch {
  operation: SpecOperation;
  /** The response key used: the status itself, its range ("4XX") or "default". */
  responseKey: string;
  /** False when the spec defines the status without a JSON body, so there was nothing to check. */
  validated: boolean;
}

export interface SpecCheck {
  ok: boolean;
  /** Readable failure description when not ok. */
  message: string;
  /** Every operation tried, with the response key used (several when the spec defines the endpoint twice). */
  matches: SpecResponseMatch[];
}

// ---- locating and loading the spec -------------------------------------------------------

/** ../shared/matrix-spec relative to the repository root. */
export function specRoot(): string {
  const root = fileURLToPath(new URL('../../../shared/matrix-spec/', import.meta.url));
  if (!existsSync(`${root}data/api`)) {
    throw new Error(
      `Matrix spec not found at ${root}: the OpenAPI tests need a copy of matrix-spec (with data/api) ` +
        'in ../shared/matrix-spec, next to the repository checkout.',
    );
  }
  return root;
}

// The default YAML parser of json-schema-ref-parser rejects some spec files (ping.yaml).
// Every file is YAML or JSON (which is YAML); local files only, and no circular $refs
// (ajv compiles plain object trees).
const REF_PARSER_OPTIONS: ParserOptions = {
  resolve: { http: false },
  parse: {
    yaml: {
      order: 1,
      allowEmpty: false,
      canParse: ['.yaml', '.yml', '.json'],
      parse: (file: FileInfo) => YAML.parse(Buffer.isBuffer(file.data) ? file.data.toString('utf8') : String(file.data)),
    },
    json: false,
    text: false,
    binary: false,
  },
  dereference: { circular: false },
};

async function dereferenceFile(path: string): Promise<Record<string, unknown>> {
  return (await new $RefParser().dereference(path, REF_PARSER_OPTIONS)) as Record<string, unknown>;
}

function basePathOf(doc: Record<string, unknown>, file: string): string {
  const servers = doc.servers as { url?: string; variables?: Record<string, { default?: string }> }[] | undefined;
  const server = servers?.[0];
  if (!server?.url) throw new Error(`${file}: no servers entry to take the base path from`);
  // "{protocol}://{hostname}{basePath}": everything after the host is the base path.
  const url = server.url.replace(/\{(\w+)\}/g, (_m, name: string) => server.variables?.[name]?.default ?? '');
  const path = url.replace(/^[a-z]+:\/\/[^/]*/, '');
  return path.replace(/\/$/, '');
}

function responsesOf(raw: Record<string, unknown> | undefined): Record<string, SpecResponse> {
  const responses: Record<string, SpecResponse> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const response = value as { description?: string; content?: Record<string, { schema?: object; examples?: Record<string, { value?: unknown }>; example?: unknown }> };
    const json = response.content?.['application/json'];
    const examples: SpecExample[] = Object.entries(json?.examples ?? {})
      .filter(([, example]) => example !== null && typeof example === 'object' && 'value' in example)
      .map(([name, example]) => ({ name, value: example.value }));
    if (json && 'example' in json) examples.push({ name: 'example', value: json.example });
    responses[key] = { description: response.description ?? '', schema: json?.schema, examples };
  }
  return responses;
}

interface SpecParameter {
  in?: string;
  name?: string;
  description?: string;
}

/** True where the final path parameter is documented as "the trailing slash on this endpoint is optional". */
function hasOptionalLastParameter(path: string, parameters: SpecParameter[]): boolean {
  const last = /\{([^}]+)\}$/.exec(path)?.[1];
  if (last === undefined) return false;
  const parameter = parameters.find((p) => p.in === 'path' && p.name === last);
  return /trailing slash[^.]*optional/i.test(parameter?.description ?? '');
}

async function loadApi(root: string, api: SpecApi): Promise<SpecOperation[]> {
  const dir = `${root}data/api/${api}/`;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const docs = await Promise.all(files.map(async (file) => ({ file, doc: await dereferenceFile(dir + file) })));
  const operations: SpecOperation[] = [];
  for (const { file, doc } of docs) {
    const base = basePathOf(doc, file);
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const method of HTTP_METHODS) {
        const op = item[method] as { operationId?: string; parameters?: SpecParameter[]; responses?: Record<string, unknown> } | undefined;
        if (!op) continue;
        operations.push({
          api,
          file,
          method: method.toUpperCase(),
          // The spec writes a second definition of one endpoint with a trailing space ("/events ").
          template: base + path.trim(),
          operationId: op.operationId ?? `${method} ${path}`,
          optionalLastParameter: hasOptionalLastParameter(path, [...(op.parameters ?? []), ...((item.parameters ?? []) as SpecParameter[])]),
          responses: responsesOf(op.responses),
        });
      }
    }
  }
  return operations;
}

let loading: Promise<LoadedSpec> | undefined;

/** Loads and dereferences every client-server and server-server file once per process. */
export function loadSpec(): Promise<LoadedSpec> {
  loading ??= (async () => {
    const root = specRoot();
    const operations = (await Promise.all(SPEC_APIS.map((api) => loadApi(root, api)))).flat();
    return { root, operations };
  })();
  return loading;
}

// ---- path matching -----------------------------------------------------------------------

interface TemplateShape {
  template: string;
  /** Literal segments, null for a path parameter. */
  segments: (string | null)[];
  /** The final parameter may be empty, its trailing slash then optional (state keys). */
  optionalLast: boolean;
}

function shapeOf(template: string, optionalLast: boolean): TemplateShape {
  const segments = template.split('/').map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : segment));
  return { template, segments, optionalLast: optionalLast && segments.at(-1) === null };
}

function matchesShape(shape: TemplateShape, path: string): boolean {
  const actual = path.split('/');
  if (shape.optionalLast && actual.length === shape.segments.length - 1) actual.push('');
  if (actual.length !== shape.segments.length) return false;
  return shape.segments.every((literal, i) => {
    const segment = actual[i] as string;
    if (literal !== null) return segment === literal;
    return segment.length > 0 || (shape.optionalLast && i === actual.length - 1);
  });
}

/** Literal segments beat parameters, compared left to right (…/query/profile over …/query/{queryType}). */
function compareSpecificity(a: TemplateShape, b: TemplateShape): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const literalA = a.segments[i] !== null;
    if (literalA !== (b.segments[i] !== null)) return literalA ? -1 : 1;
  }
  return 0;
}

const shapesBySpec = new WeakMap<LoadedSpec, Map<SpecApi, TemplateShape[]>>();

/** One shape per distinct template of an API, computed once per loaded spec. */
function templateShapes(spec: LoadedSpec, api: SpecApi): TemplateShape[] {
  let byApi = shapesBySpec.get(spec);
  if (!byApi) {
    byApi = new Map();
    shapesBySpec.set(spec, byApi);
  }
  let shapes = byApi.get(api);
  if (!shapes) {
    const optional = new Map<string, boolean>();
    for (const op of spec.operations) {
      if (op.api === api) optional.set(op.template, (optional.get(op.template) ?? false) || op.optionalLastParameter);
    }
    shapes = [...optional].map(([template, optionalLast]) => shapeOf(template, optionalLast));
    byApi.set(api, shapes);
  }
  return shapes;
}

/** The most specific path template of `api` matching a concrete path (percent-encoded or
 * not, query ignored); undefined when none does. */
export function findSpecTemplate(spec: LoadedSpec, api: SpecApi, path: string): string | undefined {
  const bare = path.split('?')[0] as string;
  return templateShapes(spec, api)
    .filter((shape) => matchesShape(shape, bare))
    .sort(compareSpecificity)[0]?.template;
}

// ---- validation --------------------------------------------------------------------------

const MATRIX_FORMATS: Record<string, RegExp> = {
  // Prefix checks as in the spec's string-formats.yaml, plus the ":server" part where the
  // grammar always has one. Room and event IDs of newer room versions carry no server name.
  'mx-user-id': /^@[^:]*:.+$/,
  'mx-room-alias': /^#[^:]*:.+$/,
  'mx-room-id': /^!.+$/,
  'mx-event-id': /^\$.+$/,
  'mx-server-name': /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,255})(?::\d{1,5})?$/,
  'mx-mxc-uri': /^mxc:\/\/[^/]+\/[^/]+$/,
  'mx-unpadded-base64': /^[A-Za-z0-9+/]*$/,
  'mx-urlsafe-unpadded-base64': /^[A-Za-z0-9_-]*$/,
};

// OpenAPI and Matrix annotation keywords; anything else unknown is a schema error (strict mode).
const ANNOTATION_KEYWORDS = [
  'example',
  'discriminator',
  'xml',
  'externalDocs',
  'x-addedInMatrixVersion',
  'x-changedInMatrixVersion',
  'x-pattern-format',
  'x-weight',
];

let ajvInstance: Ajv2020 | undefined;

function ajv(): Ajv2020 {
  if (!ajvInstance) {
    ajvInstance = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
    addFormats.default(ajvInstance);
    for (const [name, pattern] of Object.entries(MATRIX_FORMATS)) ajvInstance.addFormat(name, pattern);
    ajvInstance.addVocabulary(ANNOTATION_KEYWORDS);
  }
  return ajvInstance;
}

// Compiled validators, keyed by schema object (dereferenced schemas are shared between operations).
const validators = new WeakMap<object, ValidateFunction>();

/** The cached ajv validator for a spec schema object. */
export function specValidator(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv().compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

const MAX_LISTED_ERRORS = 25;

/** ajv errors as lines "<instance path>: <message> (<schema path>)". */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const lines = (errors ?? []).map((e) => {
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    const detail =
      e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : '';
    const allowed = e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : '';
    return `  ${where}: ${e.message ?? e.keyword}${detail}${allowed} (${e.schemaPath})`;
  });
  const shown = lines.slice(0, MAX_LISTED_ERRORS);
  if (lines.length > shown.length) shown.push(`  … and ${lines.length - shown.length} more`);
  return shown.join('\n');
}

function preview(body: unknown): string {
  const text = body === undefined ? '(no JSON body)' : JSON.stringify(body, null, 2);
  return text.length > 2000 ? `${text.slice(0, 2000)}\n…` : text;
}

function responseKeyFor(operation: SpecOperation, status: number): string | undefined {
  const exact = String(status);
  const range = `${exact[0]}XX`;
  return [exact, range, 'default'].find((key) => operation.responses[key] !== undefined);
}

/** Checks a response without throwing; see expectSpecResponse. */
export async function checkSpecResponse(api: SpecApi, method: string, path: string, status: number, body: unknown): Promise<SpecCheck> {
  const spec = await loadSpec();
  const verb = method.toUpperCase();
  const call = `${verb} ${path} → ${status}`;
  const template = findSpecTemplate(spec, api, path);
  if (template === undefined) {
    return { ok: false, matches: [], message: `${call}: no ${api} operation in the spec matches this path` };
  }
  const onPath = spec.operations.filter((op) => op.api === api && op.template === template);
  const operations = onPath.filter((op) => op.method === verb);
  if (operations.length === 0) {
    const allowed = [...new Set(onPath.map((op) => op.method))].join(', ');
    return { ok: false, matches: [], message: `${call}: the spec defines ${template} for ${allowed}, not ${verb}` };
  }
  const matches: SpecResponseMatch[] = [];
  const failures: string[] = [];
  for (const operation of operations) {
    const where = `${operation.operationId} (${api}/${operation.file}, ${verb} ${template})`;
    const responseKey = responseKeyFor(operation, status);
    if (responseKey === undefined) {
      failures.push(`${where} defines no response for status ${status} (only ${Object.keys(operation.responses).join(', ')})`);
      continue;
    }
    const { schema } = operation.responses[responseKey] as SpecResponse;
    if (schema === undefined) {
      matches.push({ operation, responseKey, validated: false });
      continue;
    }
    const validate = specValidator(schema);
    if (validate(body)) {
      matches.push({ operation, responseKey, validated: true });
    } else {
      failures.push(`${where}, response ${responseKey}, body does not match the schema:\n${formatAjvErrors(validate.errors)}`);
    }
  }
  // Where the spec defines one endpoint twice (e.g. GET /events), either definition will do.
  if (matches.length > 0) return { ok: true, matches, message: '' };
  return { ok: false, matches, message: `${call} does not conform to the spec:\n${failures.join('\n')}\nbody: ${preview(body)}` };
}

/**
 * Asserts that a response conforms to the spec: `path` is the concrete request path (e.g.
 * "/_matrix/client/v3/rooms/!a:b/state"; percent-encode segments that contain "/"). Fails
 * when no operation matches path and method, when the operation defines neither the status
 * nor a default response, or when the body does not match the response schema (listing
 * ajv's errors with instance paths). Resolves to the operation and response used.
 */
export async function expectSpecResponse(
  api: SpecApi,
  method: string,
  path: string,
  status: number,
  body: unknown,
): Promise<SpecResponseMatch> {
  const check = await checkSpecResponse(api, method, path, status, body);
  if (!check.ok) throw new AssertionError({ message: check.message, stackStartFn: expectSpecResponse });
  return check.matches[0] as SpecResponseMatch;
}

const definitions = new Map<string, Promise<object>>();

/**
 * Asserts that a body matches a schema file of the spec, for responses that no operation
 * defines (an unknown endpoint's 404, a 405): e.g. expectSpecSchema('client-server',
 * 'definitions/errors/error.yaml', body).
 */
export async function expectSpecSchema(api: SpecApi, file: string, body: unknown): Promise<void> {
  let loaded = definitions.get(`${api}/${file}`);
  if (!loaded) {
    loaded = dereferenceFile(`${specRoot()}data/api/${api}/${file}`);
    definitions.set(`${api}/${file}`, loaded);
  }
  const validate = specValidator(await loaded);
  if (!validate(body)) {
    throw new AssertionError({
      message: `body does not match ${api}/${file}:\n${formatAjvErrors(validate.errors)}\nbody: ${preview(body)}`,
      stackStartFn: expectSpecSchema,
    });
  }
}

/**
 * Checks a client-server response against the spec. An error status the operation does not
 * list (the spec documents only some errors per endpoint, while any endpoint may answer with
 * the standard error response) is checked against the standard error schema instead — the
 * rate-limited one for 429. A body that fails a schema the spec does define always fails.
 */
export async function expectSpecConformance(method: string, path: string, status: number, body: unknown): Promise<void> {
  const check = await checkSpecResponse('client-server', method, path, status, body);
  if (check.ok) return;
  const undocumentedError =
    status >= 400 &&
    check.matches.length === 0 &&
    check.message.includes(`defines no response for status ${status}`) &&
    !check.message.includes('does not match');
  if (!undocumentedError) throw new AssertionError({ message: check.message, stackStartFn: expectSpecConformance });
  await expectSpecSchema('client-server', status === 429 ? 'definitions/errors/rate_limited.yaml' : 'definitions/errors/error.yaml', body);
}
